// The queue.queue kind (queue_kind.hpp).
#include "queue_kind.hpp"

#include "queue_entry.hpp"

namespace modrt::queue {

std::unique_ptr<DataEntry> QueueKind::create_entry(const EntryInfo& info) {
    QueueSpec spec = QueueSpec::from_entry(info);
    {
        std::lock_guard lock(mutex_);
        unchecked_.push_back({spec.id, spec.driver, spec.dead_letter});
    }
    return std::make_unique<QueueEntry>(host_, std::move(spec));
}

void QueueKind::load_finished(ValueSlot problems) {
    std::vector<Unchecked> checking;
    {
        std::lock_guard lock(mutex_);
        checking.swap(unchecked_);
    }
    for (const auto& q : checking) {
        void* self = nullptr;
        if (host_.find_entry(q.driver) == nullptr)
            add_load_problem(problems, q.id, "driver", "driver: no entry '" + q.driver + "' in the registry");
        else if (host_.entry_interface(q.driver, MODRT_QUEUE_DRIVER_INTERFACE, &self) == nullptr)
            add_load_problem(problems, q.id, "driver",
                             "driver: '" + q.driver + "' is not a queue driver (kind queue.driver.memory, ...)");
        if (!q.dead_letter.empty() && QueueEntry::find(host_, q.dead_letter) == nullptr)
            add_load_problem(problems, q.id, "dead_letter.queue",
                             "dead_letter.queue: no queue.queue entry '" + q.dead_letter + "' in the registry");
    }
}

}  // namespace modrt::queue
