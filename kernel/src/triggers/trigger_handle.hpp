// A trigger made by a trigger plugin for one registry entry, and the runtime's running of
// them: `modrt serve` starts every auto_start trigger and, at SIGINT/SIGTERM, stops them.
// A trigger runs its own threads and calls functions as root calls through the host API
// (abi.h modrt_trigger_api); the kernel only starts it, stops it and lets go of it.
#pragma once

#include "triggers/trigger_lifecycle.hpp"

#include <modrt/abi.h>
#include <modrt/kernel/runtime.hpp>

#include <string>
#include <vector>

namespace modrt::kernel {

class LoadedPlugin;

struct TriggerHandle {
    const modrt_trigger_api* api = nullptr;
    void* plugin = nullptr;
    void* handle = nullptr;
    const LoadedPlugin* owner = nullptr;
    TriggerLifecycle lifecycle;
    bool running = false;             // started and not yet stopped
    std::vector<std::string> listen;  // what start() said it listens on

    /// Start it (guarded); an owned error when it could not (it then holds nothing running).
    modrt_error* start();
    /// Stop it (guarded): calls in flight get until `deadline_ns` (now_ns clock), then are canceled.
    void stop(int64_t deadline_ns);
    /// Stops it at once if still running, then destroys it.
    ~TriggerHandle();
};

}  // namespace modrt::kernel
