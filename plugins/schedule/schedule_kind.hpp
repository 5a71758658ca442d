// The `schedule.function` entry kind: each entry is a trigger that calls a function every
// interval or on a cron expression (schedule_spec.hpp has the fields).
#pragma once

#include <modrt/sdk.hpp>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace modrt::schedule {

class ScheduleKind final : public TriggerKind {
public:
    explicit ScheduleKind(const Host& host) : host_(host) {}

    std::unique_ptr<Trigger> create_trigger(const EntryInfo& info) override;
    /// Every entry's `func` names a function the runtime has.
    void load_finished(ValueSlot problems) override;

private:
    const Host& host_;
    std::mutex mutex_;
    std::vector<std::pair<std::string, std::string>> unchecked_;  // (entry id, func) since the last load
};

}  // namespace modrt::schedule
