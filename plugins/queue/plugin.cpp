// The queue plugin: queue.queue entries and queue.consumer triggers, over driver plugins.
#include "consumer_kind.hpp"
#include "queue_kind.hpp"

MODRT_PLUGIN("queue", "1.0.0", modrt::provide_data_kind<modrt::queue::QueueKind>("queue.queue"),
             modrt::provide_trigger<modrt::queue::ConsumerKind>("queue.consumer"))
