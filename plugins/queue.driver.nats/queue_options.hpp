// What the NATS driver reads: its entry's fields (DriverSettings) and, per queue, the queue
// entry's driver_options.nats (QueueOptions). Defaults come from the queue's name, so a queue
// needs no options at all (README.md).
#pragma once

#include "connection_spec.hpp"

#include <modrt/sdk.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace modrt::queue_nats {

/// A queue.driver.nats entry's fields.
struct DriverSettings {
    nats::ConnectionSpec connection;
    std::string subject_prefix = "modrt.queue.";                 ///< a queue's subject: prefix + queue_name
    std::chrono::milliseconds publish_timeout{5000};              ///< waiting for the stream's ack
    static DriverSettings from_entry(const EntryInfo& info);      ///< throws Failure naming the field
};

/// driver_options.nats of one queue: its stream and its durable pull consumer.
struct QueueOptions {
    std::string stream;   ///< stream name (default: the queue name, characters NATS refuses made '_')
    std::string subject;  ///< the subject published to and consumed from (default: subject_prefix + name)
    bool memory_storage = false;
    int64_t replicas = 1;
    int64_t max_msgs = -1;   ///< -1: unlimited
    int64_t max_bytes = -1;  ///< -1: unlimited
    std::chrono::nanoseconds max_age{0};  ///< 0: kept until acked
    std::string durable = "modrt";        ///< the shared pull consumer's durable name
    std::chrono::nanoseconds ack_wait = std::chrono::seconds(30);
    int64_t max_deliver = -1;      ///< -1: unlimited (modrt's dead_letter.max_attempts decides)
    int64_t max_ack_pending = -1;  ///< -1: the server's default (1000 on 2.9)

    /// Read `options` (nil: all defaults) for queue `name`; throws Failure(INVALID) naming
    /// "driver_options.nats.<field>".
    static QueueOptions read(ValueView options, std::string_view name, const DriverSettings& driver);
};

}  // namespace modrt::queue_nats
