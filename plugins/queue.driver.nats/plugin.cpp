// The queue.driver.nats plugin: queues on NATS JetStream for the queue plugin (modrt/queue.h).
#include "nats_driver.hpp"

MODRT_PLUGIN("queue.driver.nats", "1.0.0",
             modrt::provide_data_kind<modrt::queue_nats::NatsDriverKind>("queue.driver.nats"))
