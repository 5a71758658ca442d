// The queue.driver.memory plugin: in-process queues for the queue plugin (modrt/queue.h).
#include "memory_driver.hpp"

MODRT_PLUGIN("queue.driver.memory", "1.0.0",
             modrt::provide_data_kind<modrt::queue_memory::MemoryDriverKind>("queue.driver.memory"))
