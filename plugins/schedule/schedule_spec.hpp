// What one `schedule.function` entry asks for, read and checked at registry load:
//
//   - name: cleanup
//     kind: schedule.function
//     func: app.jobs:cleanup        # the function each run calls (required)
//     interval: 30s                 # every 30s from the start ...
//     cron: "*/5 * * * *"           # ... or on a 5-field cron expression, UTC (exactly one of the two)
//     args: [{days: 30}]            # the run's arguments (default none)
//     timeout: 20s                  # each run's deadline (default 1m)
//     overlap: false                # a run may start while the last still runs (default false: skipped)
//     immediate: false              # also run once at start (default false)
//     lifecycle: {auto_start: true, stop_timeout: 10s, security: {actor: {id: "service:jobs"}}}
#pragma once

#include "cron_expression.hpp"

#include <modrt/sdk.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace modrt::schedule {

struct ScheduleSpec {
    std::string id;    // the entry
    std::string func;  // the function each run calls
    std::optional<std::chrono::nanoseconds> interval;
    std::optional<CronExpression> cron;
    std::chrono::nanoseconds timeout{};
    bool overlap = false;
    bool immediate = false;

    /// Read and check the entry; throws Failure (with set_field) naming what is wrong.
    static ScheduleSpec from_entry(const EntryInfo& info);
    /// "every 30s" or "cron */5 * * * * (UTC)": what the start log shows.
    std::string describe() const;
};

}  // namespace modrt::schedule
