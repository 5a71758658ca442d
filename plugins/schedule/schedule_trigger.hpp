// One running schedule: a thread that waits for the next fire time and starts a run (a root
// call of the entry's function, as its lifecycle.security identity, with its timeout as the
// deadline). A run still going when the next fire comes makes that fire skipped, unless the
// entry says `overlap: true`. Stop: no new runs; runs in flight get until the deadline, then
// are canceled; stop returns once every run has returned.
#pragma once

#include "schedule_spec.hpp"

#include <modrt/sdk.hpp>

#include <chrono>
#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>

namespace modrt::schedule {

class ScheduleTrigger final : public Trigger {
public:
    ScheduleTrigger(const Host& host, ScheduleSpec spec, TriggerIdentity identity, ValueView args);
    ~ScheduleTrigger() override;

    Error start(ValueSlot out) override;
    void stop(int64_t deadline_ns) override;

private:
    struct Run {
        std::jthread thread;
        RootFrame frame;    // the run's call is made under it; set before the call, guarded by mutex_
        bool done = false;  // guarded by mutex_
    };

    void loop();
    /// The first fire time strictly after `t`.
    std::chrono::system_clock::time_point next_after(std::chrono::system_clock::time_point t) const;
    /// Start a run for the fire at `at` (or skip it); called with mutex_ held.
    void fire(std::chrono::system_clock::time_point at);
    void run(Run* self, std::chrono::system_clock::time_point at);

    const Host& host_;
    ScheduleSpec spec_;
    TriggerIdentity identity_;
    modrt::Value args_;

    std::mutex mutex_;
    std::condition_variable cv_;  // wakes the loop (stop) and stop (a run finished)
    bool stopping_ = false;
    std::list<Run> runs_;  // in flight (finished ones are pruned at the next fire)
    uint64_t fired_ = 0, skipped_ = 0;
    std::jthread loop_;
};

}  // namespace modrt::schedule
