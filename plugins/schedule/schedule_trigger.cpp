// A running schedule (schedule_trigger.hpp).
#include "schedule_trigger.hpp"

#include <algorithm>

namespace modrt::schedule {

namespace {

using Clock = std::chrono::system_clock;

std::string log_text(const std::string& id, std::string_view message) { return id + ": " + std::string(message); }

}  // namespace

ScheduleTrigger::ScheduleTrigger(const Host& host, ScheduleSpec spec, TriggerIdentity identity, ValueView args)
    : host_(host), spec_(std::move(spec)), identity_(std::move(identity)) {
    if (args.is_nil()) args_.slot().set_array(0);
    else host_api().value_copy(args_.raw(), args.raw());
}

ScheduleTrigger::~ScheduleTrigger() { stop(host_api().now_ns()); }

Error ScheduleTrigger::start(ValueSlot out) {
    identity_.resolve(host_);  // every entry is loaded now: groups can be listed
    stopping_ = false;
    loop_ = std::jthread([this] { loop(); });
    out.set_map();
    ValueSlot listen = out.insert("listen");
    listen.set_array(1);
    listen.push().set_string(spec_.describe() + " -> " + spec_.func);
    return {};
}

Clock::time_point ScheduleTrigger::next_after(Clock::time_point t) const {
    if (spec_.interval) return t + std::chrono::duration_cast<Clock::duration>(*spec_.interval);
    auto next = spec_.cron->next_after(std::chrono::floor<std::chrono::seconds>(t));
    return next ? Clock::time_point(*next) : Clock::time_point::max();  // never: the loop just waits for stop
}

void ScheduleTrigger::loop() {
    std::unique_lock lock(mutex_);
    Clock::time_point next = Clock::now();
    if (!spec_.immediate) next = next_after(next);
    while (!stopping_) {
        if (!cv_.wait_until(lock, next, [&] { return stopping_; })) {
            fire(next);
            // Fixed rate without catch-up: a fire time already past (the machine slept, a
            // clock jump) is dropped, never run in a burst.
            Clock::time_point now = Clock::now();
            next = next_after(next);
            if (next <= now) next = next_after(now);
        }
    }
}

void ScheduleTrigger::fire(Clock::time_point at) {
    runs_.remove_if([](const Run& r) { return r.done; });  // joins threads that already returned
    ++fired_;
    if (!spec_.overlap && !runs_.empty()) {
        ++skipped_;
        host_.log(MODRT_LOG_WARN,
                  log_text(spec_.id, "skipped a run: the previous one is still running (overlap: false); " +
                                         std::to_string(skipped_) + " of " + std::to_string(fired_) + " skipped"));
        return;
    }
    Run& r = runs_.emplace_back();
    r.thread = std::jthread([this, self = &r, at] { run(self, at); });
}

void ScheduleTrigger::run(Run* self, Clock::time_point at) {
    modrt::Value context;
    ValueSlot c = context.slot();
    c.set_map(2);
    c.insert("schedule").set_string(spec_.id);
    c.insert("scheduled_at").set_int(std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
    modrt_call_options options = identity_.options(spec_.timeout, context.raw());
    Error err;
    try {
        RootFrame frame = RootFrame::make(host_, options);
        modrt_frame* parent = frame.raw();
        {
            std::lock_guard lock(mutex_);
            self->frame = std::move(frame);  // from here stop() can cancel the call
        }
        modrt::Value result;
        err = host_.call(parent, spec_.func, args_.view(), result.slot());
    } catch (const Failure& f) {
        err = Error(f.release());
    }
    if (err.failed())
        host_.log(MODRT_LOG_ERROR,
                  log_text(spec_.id, "run of " + spec_.func + " failed: " + std::string(err.message())));
    else host_.log(MODRT_LOG_DEBUG, log_text(spec_.id, "run of " + spec_.func + " finished"));
    std::lock_guard lock(mutex_);
    self->done = true;  // the frame stays until the run is pruned: stop may still cancel it, harmlessly
    cv_.notify_all();
}

void ScheduleTrigger::stop(int64_t deadline_ns) {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (loop_.joinable()) loop_.join();
    std::unique_lock lock(mutex_);
    auto all_done = [&] { return std::all_of(runs_.begin(), runs_.end(), [](const Run& r) { return r.done; }); };
    const int64_t left = deadline_ns - host_api().now_ns();
    if (!cv_.wait_for(lock, std::chrono::nanoseconds(std::max<int64_t>(left, 0)), all_done)) {
        host_.log(MODRT_LOG_WARN, log_text(spec_.id, "canceling runs still going at the stop deadline"));
        // Again and again: a run that had not yet published its frame when we looked is caught next time.
        while (!all_done()) {
            for (Run& r : runs_)
                if (r.frame.raw() != nullptr && !r.done) r.frame.cancel();
            cv_.wait_for(lock, std::chrono::milliseconds(20), all_done);
        }
    }
    std::list<Run> finished;
    finished.swap(runs_);
    lock.unlock();  // the run threads have returned or are returning: join them outside the lock
}

}  // namespace modrt::schedule
