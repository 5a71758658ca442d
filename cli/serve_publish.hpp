// `modrt serve --publish QUEUE_ID=JSON`: messages published once the triggers run, through
// the queue's own interface (modrt/queue.h) as the outside caller, so an in-process queue
// (the memory driver) can be fed from the command line and its consumers run.
#pragma once

#include <modrt/kernel/runtime.hpp>
#include <modrt/kernel/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace modrt::cli {

struct PublishRequest {
    std::string queue;   // a queue.queue entry id
    kernel::Value body;  // the message, parsed from JSON
};

/// Parse each "QUEUE_ID=JSON"; prints the problem and returns nullopt on a malformed one.
std::optional<std::vector<PublishRequest>> parse_publish_requests(const std::vector<std::string>& texts);

/// Publish each in order; prints a failure and returns false at the first one.
bool publish_all(kernel::Runtime& rt, const std::vector<PublishRequest>& requests);

}  // namespace modrt::cli
