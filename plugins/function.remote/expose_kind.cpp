// The function.expose kind (expose_kind.hpp).
#include "expose_kind.hpp"

#include "expose_trigger.hpp"

namespace modrt::remote {

std::unique_ptr<Trigger> ExposeKind::create_trigger(const EntryInfo& info) {
    ExposeSpec spec = ExposeSpec::from_entry(info);
    TriggerIdentity identity = TriggerIdentity::from_entry(info);
    {
        std::lock_guard lock(mutex_);
        for (const auto& fn : spec.functions) unchecked_.emplace_back(spec.id, fn);
    }
    return std::make_unique<ExposeTrigger>(host_, connections_, std::move(spec), std::move(identity));
}

void ExposeKind::load_finished(ValueSlot problems) {
    std::vector<std::pair<std::string, std::string>> checking;
    {
        std::lock_guard lock(mutex_);
        checking.swap(unchecked_);
    }
    for (const auto& [id, fn] : checking)
        if (host_.find_entry(fn) == nullptr)
            add_load_problem(problems, id, "functions", "functions: no entry '" + fn + "' in the registry");
}

}  // namespace modrt::remote
