// What a queue.consumer entry says (Wippy's fields, plus modrt's `timeout`):
//
//   - name: worker
//     kind: queue.consumer
//     queue: app.queue:tasks      # a queue.queue entry
//     func: app.queue:handle      # gets the decoded body as its first argument
//     concurrency: 4              # messages handled at once (default 1)
//     prefetch: 10                # the driver's delivery buffer (default 10; the memory driver hands
//                                 # messages straight to free workers, so it buffers none)
//     auto_ack: false             # true: settled when handed out, a failure is logged, never redelivered
//     timeout: 1m                 # each message's deadline (default 1m)
//     lifecycle: {stop_timeout: 10s, security: {actor: {id: "service:worker"}, policies: [...]}}
#pragma once

#include <modrt/sdk.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace modrt::queue {

struct ConsumerSpec {
    std::string id, queue, func;
    int64_t concurrency = 1;
    int64_t prefetch = 10;
    bool auto_ack = false;
    std::chrono::nanoseconds timeout = std::chrono::minutes(1);
    Value driver_options;  // each driver's sub-map under its name (handed to subscribe); nil when absent

    /// Throws Failure (with set_field) for a field that is wrong on its own.
    static ConsumerSpec from_entry(const EntryInfo& info);
};

/// Headers whose values a message's call gets in its context, under the same names.
inline const std::vector<std::string>& context_headers() {
    static const std::vector<std::string> names{"trace_id", "correlation_id", "request_id"};
    return names;
}

}  // namespace modrt::queue
