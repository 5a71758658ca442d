// A running consumer (consumer_trigger.hpp).
#include "consumer_trigger.hpp"

#include "codec.hpp"

#include <modrt/error_kinds.hpp>

#include <algorithm>
#include <chrono>
#include <string>

namespace modrt::queue {

namespace {

constexpr auto kFetchWait = std::chrono::milliseconds(200);  // how long an idle worker waits before looking at stop

std::string error_text(const Error& err) {
    return std::string(error_kind_name(err.kind())) + ": " + std::string(err.message());
}

}  // namespace

/// The message one worker is handling; lent to its call as a modrt_queue_delivery.
struct ConsumerTrigger::Delivery {
    modrt_queue_delivery lent{};
    ConsumerTrigger* owner = nullptr;
    int64_t handle = 0;
    int64_t attempt = 0;
    std::string id;
    std::string body;  // as the driver gave it (codec bytes), for the dead-letter queue
    Value headers;
    std::atomic<bool> settled{false};

    /// True for the first settlement only (Wippy: whichever lands first wins).
    bool claim() noexcept { return !settled.exchange(true); }
};

Error ConsumerTrigger::start(ValueSlot out) {
    identity_.resolve(host_);
    queue_ = QueueEntry::find(host_, spec_.queue);
    if (queue_ == nullptr)
        return Error(MODRT_ERR_NOT_FOUND, "queue: no queue.queue entry '" + spec_.queue + "'").set_field("queue");
    if (!queue_->spec().dead_letter.empty()) dead_letter_ = QueueEntry::find(host_, queue_->spec().dead_letter);
    driver_ = queue_->driver();
    if (Error err = subscribe(); err.failed()) return err;
    stopping_ = false;
    frames_.assign(static_cast<size_t>(spec_.concurrency), nullptr);
    for (size_t i = 0; i < frames_.size(); ++i) workers_.emplace_back([this, i] { work(i); });
    out.set_map();
    ValueSlot listen = out.insert("listen");
    listen.set_array(1);
    listen.push().set_string("queue " + spec_.queue + " (driver " + queue_->spec().driver + ") -> " + spec_.func +
                             ", concurrency " + std::to_string(spec_.concurrency));
    return {};
}

Error ConsumerTrigger::subscribe() {
    const modrt_queue_driver_api* api = driver_.api;
    if (api->struct_size < offsetof(modrt_queue_driver_api, subscribe) + sizeof(void*) || api->subscribe == nullptr)
        return {};
    Value options;
    ValueSlot o = options.slot();
    o.set_map(4);
    o.insert("prefetch").set_int(spec_.prefetch);
    o.insert("concurrency").set_int(spec_.concurrency);
    o.insert("timeout_ns").set_int(spec_.timeout.count());
    ValueView mine = QueueEntry::options_for(host_, queue_->spec().driver, spec_.driver_options.view());
    if (!mine.is_nil()) host_api().value_copy(o.insert("driver_options").raw(), mine.raw());
    Error err(api->subscribe(driver_.queue, options.raw()));
    if (err.failed()) return std::move(err.wrap(spec_.id));
    subscribed_ = true;
    return {};
}

void ConsumerTrigger::work(size_t slot) {
    while (!stopping_) {
        Value message;
        const int64_t until = host_api().now_ns() + std::chrono::nanoseconds(kFetchWait).count();
        if (Error err(driver_.api->fetch(driver_.queue, until, message.raw())); err.failed()) {
            log(MODRT_LOG_ERROR, "fetch failed: " + error_text(err));
            std::unique_lock lock(mutex_);
            idle_.wait_for(lock, kFetchWait, [&] { return stopping_.load(); });
            continue;
        }
        if (!message.view().is_map()) continue;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {  // fetched just as stop came: hand it back untouched
                settle_error(driver_.api->release(driver_.queue, message.view().find("delivery").as_int()),
                             message.view().find("id").as_string());
                ++released_;
                return;
            }
            ++busy_;
        }
        handle(message.view(), slot);
        std::lock_guard lock(mutex_);
        --busy_;
        idle_.notify_all();
    }
}

void ConsumerTrigger::handle(ValueView message, size_t slot) {
    Delivery d;
    d.owner = this;
    d.handle = message.find("delivery").as_int();
    d.attempt = message.find("attempt").as_int();
    d.id = std::string(message.find("id").as_string());
    d.body = std::string(message.find("body").as_string());
    host_api().value_copy(d.headers.raw(), message.find("headers").raw());
    d.lent = modrt_queue_delivery{sizeof(modrt_queue_delivery),  &d, to_str(d.id), d.headers.raw(), d.attempt,
                                  &ConsumerTrigger::settle_early};

    Value args;
    args.slot().set_array(1);
    try {
        decode_body(queue_->spec().codec, d.body, args.slot().push());
    } catch (const Failure& f) {
        d.claim();
        fail(d, Error(f.release()));
        return;
    }
    if (spec_.auto_ack && d.claim()) {
        settle_error(driver_.api->ack(driver_.queue, d.handle), d.id);
        ++acked_;
    }

    Value context;
    ValueSlot c = context.slot();
    c.set_map(6);
    c.insert("queue").set_string(spec_.queue);
    c.insert("message_id").set_string(d.id);
    for (const auto& name : context_headers())
        if (ValueView h = d.headers.view().find(name); h.is_string()) c.insert(name).set_string(h.as_string());
    modrt_call_options options = identity_.options(spec_.timeout, context.raw());

    Value result;
    Error err;
    try {
        RootFrame frame = RootFrame::make(host_, options, MODRT_QUEUE_DELIVERY_KEY, &d.lent);
        {
            std::lock_guard lock(mutex_);
            frames_[slot] = frame.raw();  // from here stop can cancel the call
        }
        err = host_.call(frame.raw(), spec_.func, args.view(), result.slot());
        std::lock_guard lock(mutex_);
        frames_[slot] = nullptr;
    } catch (const Failure& f) {
        err = Error(f.release());
    }

    if (!d.claim()) {  // settled already: by auto_ack or by the handler (msg:ack() / msg:nack())
        if (spec_.auto_ack && err.failed())
            log(MODRT_LOG_ERROR,
                "message " + d.id + " failed after it was acknowledged (auto_ack): " + error_text(err));
        return;
    }
    if (err.failed()) {
        if (stopping_ && err.kind() == MODRT_ERR_CANCELED) {  // stopped, not failed: deliver it again later
            settle_error(driver_.api->release(driver_.queue, d.handle), d.id);
            ++released_;
            return;
        }
        fail(d, err);
    } else if (result.view().type() == MODRT_BOOL && !result.view().as_bool()) {
        fail(d, Error(MODRT_ERR_UNAVAILABLE, "the handler returned false").set_retryable(true));
    } else {
        settle_error(driver_.api->ack(driver_.queue, d.handle), d.id);
        ++acked_;
    }
}

void ConsumerTrigger::settle_error(modrt_error* raw, std::string_view id) const {
    // Owned: freed here. Not fatal: an unsettled message comes back from the driver (a broker's ack_wait).
    if (Error err(raw); err.failed())
        log(MODRT_LOG_WARN, "settling message " + std::string(id) + " failed: " + error_text(err));
}

int ConsumerTrigger::settle_early(void* self, int ack) noexcept {
    auto& d = *static_cast<Delivery*>(self);
    if (!d.claim()) return 0;
    try {
        if (ack) {
            d.owner->settle_error(d.owner->driver_.api->ack(d.owner->driver_.queue, d.handle), d.id);
            ++d.owner->acked_;
        } else {
            d.owner->fail(d, Error(MODRT_ERR_UNAVAILABLE, "the handler nacked it").set_retryable(true));
        }
    } catch (...) {  // out of memory building the error: the message stays unsettled, delivered again
        d.owner->log(MODRT_LOG_ERROR, "settling message " + d.id + " failed");
    }
    return 1;
}

void ConsumerTrigger::fail(Delivery& d, const Error& err) {
    const int64_t max = queue_->spec().max_attempts;
    const bool last = max > 0 && d.attempt >= max;
    const auto backoff = queue_->spec().redelivery.delay_after(d.attempt);
    if (err.retryable() && !last) {
        settle_error(driver_.api->nack(driver_.queue, d.handle, backoff.count()), d.id);
        ++redelivered_;
        log(MODRT_LOG_WARN, "message " + d.id + " attempt " + std::to_string(d.attempt) + " failed (" +
                                error_text(err) + "); delivering it again in " +
                                std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(backoff).count()) +
                                "ms");
        return;
    }
    const std::string why = last ? "after " + std::to_string(d.attempt) + " attempts" : "not retryable";
    if (dead_letter_ != nullptr) {
        Value headers;
        host_api().value_copy(headers.raw(), d.headers.raw());
        ValueSlot h = headers.slot();
        h.insert("x_dead_letter_error").set_string(err.message());
        h.insert("x_dead_letter_kind").set_string(error_kind_name(err.kind()));
        h.insert("x_dead_letter_queue").set_string(spec_.queue);
        h.insert("x_dead_letter_message_id").set_string(d.id);
        h.insert("x_dead_letter_attempts").set_string(std::to_string(d.attempt));
        if (Error dl = dead_letter_->publish_encoded(d.body, headers.view()); dl.failed()) {
            // Never dropped: it stays in its queue and is tried again.
            settle_error(driver_.api->nack(driver_.queue, d.handle, backoff.count()), d.id);
            ++redelivered_;
            log(MODRT_LOG_ERROR, "message " + d.id + " could not be dead-lettered to " + dead_letter_->spec().id +
                                     " (" + error_text(dl) + "); delivering it again");
            return;
        }
        settle_error(driver_.api->ack(driver_.queue, d.handle), d.id);
        ++dead_lettered_;
        queue_->count_dead_lettered();
        log(MODRT_LOG_WARN,
            "message " + d.id + " moved to " + dead_letter_->spec().id + " (" + why + "): " + error_text(err));
        return;
    }
    settle_error(driver_.api->ack(driver_.queue, d.handle), d.id);
    ++dropped_;
    queue_->count_dropped();
    log(MODRT_LOG_ERROR, "message " + d.id + " dropped (" + why + ", and " + spec_.queue +
                             " has no dead_letter queue): " + error_text(err) + "; body: " + d.body.substr(0, 200));
}

void ConsumerTrigger::stop(int64_t deadline_ns) {
    stopping_ = true;
    if (driver_.queue != nullptr) driver_.api->wake(driver_.queue);
    {
        std::unique_lock lock(mutex_);
        idle_.notify_all();
        const int64_t left = deadline_ns - host_api().now_ns();
        if (!idle_.wait_for(lock, std::chrono::nanoseconds(std::max<int64_t>(left, 0)), [&] { return busy_ == 0; })) {
            log(MODRT_LOG_WARN,
                "canceling " + std::to_string(busy_) + " message(s) still in flight at the stop deadline");
            // Again and again: a call that had not yet published its frame is caught next time.
            while (busy_ != 0) {
                for (modrt_frame* f : frames_)
                    if (f != nullptr) host_api().root_frame_cancel(f);
                idle_.wait_for(lock, std::chrono::milliseconds(20), [&] { return busy_ == 0; });
            }
        }
    }
    if (workers_.empty()) return;
    for (auto& w : workers_)
        if (w.joinable()) w.join();
    workers_.clear();
    if (subscribed_) {  // after the workers: nothing fetches any more, the driver may give its buffer back
        driver_.api->unsubscribe(driver_.queue);
        subscribed_ = false;
    }
    // The destructor stops again, maybe after the driver's entry is gone: touch the driver no more.
    driver_ = {nullptr, nullptr};
    log(MODRT_LOG_INFO, "stopped: " + std::to_string(acked_) + " acked, " + std::to_string(redelivered_) +
                            " redelivered, " + std::to_string(dead_lettered_) + " dead-lettered, " +
                            std::to_string(dropped_) + " dropped, " + std::to_string(released_) + " released unacked");
}

}  // namespace modrt::queue
