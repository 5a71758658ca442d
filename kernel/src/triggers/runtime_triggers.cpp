// The runtime's triggers (modrt/kernel/runtime.hpp: start_triggers, stop_triggers, triggers).
#include "calling/frame.hpp"
#include "runtime/logging.hpp"
#include "runtime/runtime_impl.hpp"
#include "triggers/trigger_handle.hpp"

#include <modrt/duration.hpp>

#include <thread>

namespace modrt::kernel {

namespace {

// Where a start error points: its details' {field}, else the entry itself.
RegistryError start_error(const Entry& e, const modrt_error& err) {
    std::string field;
    if (err.details)
        if (const Value* f = err.details->find("field"); f && f->type == MODRT_STRING) field = f->str;
    return {e.raw.file, field.empty() ? e.raw.line : e.raw.line_of(field), e.raw.id, "start: " + err.message};
}

}  // namespace

void stop_all_triggers(modrt_runtime& rt) {
    // All at once: each stops taking work now and drains within its own stop_timeout.
    std::vector<std::jthread> stopping;
    for (auto& e : rt.entries)
        if (e->trigger && e->trigger->running) {
            TriggerHandle* t = e->trigger.get();
            int64_t deadline = now_ns() + t->lifecycle.stop_timeout.count();
            stopping.emplace_back([t, deadline, id = e->raw.id] {
                t->stop(deadline);
                logger()->info("{}: stopped", id);
            });
        }
}

std::vector<RegistryError> Runtime::start_triggers() {
    std::vector<RegistryError> errors;
    for (auto& e : impl_->entries) {
        TriggerHandle* t = e->trigger.get();
        if (t == nullptr || t->running || !t->lifecycle.auto_start || !e->load_error.empty()) continue;
        for (const auto& field : t->lifecycle.ignored)
            logger()->warn("{} ({}:{}): {} is not supported by modrt; ignored", e->raw.id, e->raw.file, e->raw.line,
                           field);
        if (modrt_error* err = t->start()) {
            ErrorPtr owned(err);
            errors.push_back(start_error(*e, *owned));
            stop_all_triggers(*impl_);  // nothing half-started keeps running
            return errors;
        }
        if (t->listen.empty()) logger()->info("{}: started", e->raw.id);
        else
            for (const auto& l : t->listen) logger()->info("{}: listening on {}", e->raw.id, l);
    }
    return errors;
}

void Runtime::stop_triggers() { stop_all_triggers(*impl_); }

std::vector<TriggerSummary> Runtime::triggers() const {
    std::vector<TriggerSummary> out;
    for (const auto& e : impl_->entries)
        if (e->trigger)
            out.push_back({e->raw.id, e->raw.kind, e->trigger->lifecycle.auto_start, e->trigger->running,
                           e->trigger->lifecycle.stop_timeout, e->trigger->listen});
    return out;
}

}  // namespace modrt::kernel
