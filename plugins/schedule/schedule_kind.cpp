// The schedule.function kind (schedule_kind.hpp).
#include "schedule_kind.hpp"

#include "schedule_trigger.hpp"

namespace modrt::schedule {

std::unique_ptr<Trigger> ScheduleKind::create_trigger(const EntryInfo& info) {
    ScheduleSpec spec = ScheduleSpec::from_entry(info);
    TriggerIdentity identity = TriggerIdentity::from_entry(info);
    {
        std::lock_guard lock(mutex_);
        unchecked_.emplace_back(spec.id, spec.func);
    }
    return std::make_unique<ScheduleTrigger>(host_, std::move(spec), std::move(identity), info.field("args"));
}

void ScheduleKind::load_finished(ValueSlot problems) {
    std::vector<std::pair<std::string, std::string>> checking;
    {
        std::lock_guard lock(mutex_);
        checking.swap(unchecked_);
    }
    for (const auto& [id, func] : checking)
        if (host_.find_entry(func) == nullptr)
            add_load_problem(problems, id, "func", "func: no entry '" + func + "' in the registry");
}

}  // namespace modrt::schedule
