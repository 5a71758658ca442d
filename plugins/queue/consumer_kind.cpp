// The queue.consumer kind (consumer_kind.hpp).
#include "consumer_kind.hpp"

#include "consumer_trigger.hpp"
#include "queue_entry.hpp"

namespace modrt::queue {

std::unique_ptr<Trigger> ConsumerKind::create_trigger(const EntryInfo& info) {
    ConsumerSpec spec = ConsumerSpec::from_entry(info);
    TriggerIdentity identity = TriggerIdentity::from_entry(info);
    {
        std::lock_guard lock(mutex_);
        unchecked_.push_back({spec.id, spec.queue, spec.func});
    }
    return std::make_unique<ConsumerTrigger>(host_, std::move(spec), std::move(identity));
}

void ConsumerKind::load_finished(ValueSlot problems) {
    std::vector<Unchecked> checking;
    {
        std::lock_guard lock(mutex_);
        checking.swap(unchecked_);
    }
    for (const auto& c : checking) {
        if (QueueEntry::find(host_, c.queue) == nullptr)
            add_load_problem(problems, c.id, "queue", "queue: no queue.queue entry '" + c.queue + "' in the registry");
        if (host_.find_entry(c.func) == nullptr)
            add_load_problem(problems, c.id, "func", "func: no entry '" + c.func + "' in the registry");
    }
}

}  // namespace modrt::queue
