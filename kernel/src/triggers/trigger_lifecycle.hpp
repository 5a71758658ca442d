// The `lifecycle` block of a trigger entry (an entry whose kind a trigger plugin provides:
// http.service, schedule.function), in Wippy's field names. The kernel reads what it acts on:
//
//   lifecycle:
//     auto_start: true    # `modrt serve` starts it (default true)
//     stop_timeout: 10s   # at stop, how long calls in flight may take to finish (default 10s)
//     security: {...}     # the actor and policies of its calls: read by the trigger plugin
//                         # (the SDK's modrt::TriggerCaller)
//
// Wippy's supervisor fields modrt does not act on (start_timeout, stable_threshold, requires,
// depends_on, restart) are accepted and reported once as ignored, so a Wippy registry loads.
#pragma once

#include "loading/registry_reader.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace modrt::kernel {

struct TriggerLifecycle {
    bool auto_start = true;
    std::chrono::nanoseconds stop_timeout = std::chrono::seconds(10);
    std::vector<std::string> ignored;  // Wippy fields present but not acted on ("lifecycle.restart")
};

/// Read `lifecycle` of a trigger entry over the defaults; problems name the field ("lifecycle.stop_timeout").
std::vector<FieldProblem> read_trigger_lifecycle(const RawEntry& entry, TriggerLifecycle& out);

}  // namespace modrt::kernel
