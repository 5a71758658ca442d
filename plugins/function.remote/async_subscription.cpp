// Asynchronous subscriptions closed safely (async_subscription.hpp).
#include "async_subscription.hpp"

#include "nats_status.hpp"

#include <chrono>

namespace modrt::remote {

AsyncSubscription::AsyncSubscription(natsConnection* nc, const std::string& subject, const std::string& queue,
                                     Handler handler)
    : state_(std::make_unique<State>()) {
    state_->handler = std::move(handler);
    complete_ = state_->complete.get_future();
    natsSubscription* raw = nullptr;
    natsStatus s = queue.empty() ? natsConnection_Subscribe(&raw, nc, subject.c_str(), on_message, state_.get())
                                 : natsConnection_QueueSubscribe(&raw, nc, subject.c_str(), queue.c_str(), on_message,
                                                                 state_.get());
    nats::check(s, "subscribe to " + subject);
    sub_.reset(raw);
    nats::check(natsSubscription_SetOnCompleteCB(raw, on_complete, state_.get()), "subscribe to " + subject);
    // Calls wait in NATS rather than in memory here: no byte limit, a generous message count.
    nats::check(natsSubscription_SetPendingLimits(raw, 65536, -1), "subscribe to " + subject);
}

AsyncSubscription::~AsyncSubscription() { close(); }

void AsyncSubscription::close() {
    if (!sub_) return;
    if (natsSubscription_Unsubscribe(sub_.get()) == NATS_OK || natsSubscription_IsValid(sub_.get())) {
        // The completion callback comes once the last delivery has returned; a closed
        // connection runs it too. Bounded so that a wedged handler cannot hang a stop forever.
        if (complete_.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
            log(MODRT_LOG_ERROR, "function.remote", "a subscription did not complete in 30 s; leaking its handler");
            (void)state_.release();
        }
    } else {
        complete_.wait_for(std::chrono::seconds(5));
    }
    sub_.reset();
}

void AsyncSubscription::on_message(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
    try {  // nothing may unwind into cnats' thread
        static_cast<State*>(closure)->handler(nats::MsgPtr(msg));
    } catch (const std::exception& e) {
        log(MODRT_LOG_ERROR, "function.remote", std::string("message handler failed: ") + e.what());
    }
}

void AsyncSubscription::on_complete(void* closure) { static_cast<State*>(closure)->complete.set_value(); }

}  // namespace modrt::remote
