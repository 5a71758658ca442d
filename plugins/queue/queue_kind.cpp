// The queue.queue kind (queue_kind.hpp).
#include "queue_kind.hpp"

#include "queue_entry.hpp"

namespace modrt::queue {

std::unique_ptr<DataEntry> QueueKind::create_entry(const EntryInfo& info) {
    QueueSpec spec = QueueSpec::from_entry(info);
    {
        std::lock_guard lock(mutex_);
        unchecked_.push_back({spec.id, spec.driver, spec.dead_letter, spec.queue_name, Value(spec.driver_options.view())});
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
        auto [api, self] = QueueEntry::driver_api(host_, q.driver);
        if (host_.find_entry(q.driver) == nullptr)
            add_load_problem(problems, q.id, "driver", "driver: no entry '" + q.driver + "' in the registry");
        else if (api == nullptr)
            add_load_problem(problems, q.id, "driver",
                             "driver: '" + q.driver + "' is not a queue driver (kind queue.driver.memory, ...)");
        else if (api->struct_size >= offsetof(modrt_queue_driver_api, check) + sizeof(void*) && api->check != nullptr) {
            // The driver's own options, checked now so a mistake names the file and line.
            ValueView options = QueueEntry::options_for(host_, q.driver, q.driver_options.view());
            Error err(api->check(self, to_str(q.queue_name), options.is_nil() ? nullptr : options.raw()));
            if (err.failed()) add_load_problem(problems, q.id, "driver_options", std::string(err.message()));
        }
        if (!q.dead_letter.empty() && QueueEntry::find(host_, q.dead_letter) == nullptr)
            add_load_problem(problems, q.id, "dead_letter.queue",
                             "dead_letter.queue: no queue.queue entry '" + q.dead_letter + "' in the registry");
    }
}

}  // namespace modrt::queue
