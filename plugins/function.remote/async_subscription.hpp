// An asynchronous cnats subscription whose handler is a std::function, closed safely: the
// destructor unsubscribes and waits for cnats' completion callback, so no delivery runs into
// a handler (or plugin code) that is gone. nats.client's SubscriptionPtr only destroys.
#pragma once

#include "connections.hpp"

#include <functional>
#include <future>
#include <memory>
#include <string>

namespace modrt::remote {

class AsyncSubscription {
public:
    using Handler = std::function<void(nats::MsgPtr)>;

    /// Subscribe `nc` to `subject` (in `queue` when not empty); `handler` runs on cnats' delivery
    /// thread of this subscription, one message at a time. Throws Failure on a NATS error.
    AsyncSubscription(natsConnection* nc, const std::string& subject, const std::string& queue, Handler handler);
    ~AsyncSubscription();
    AsyncSubscription(const AsyncSubscription&) = delete;
    AsyncSubscription& operator=(const AsyncSubscription&) = delete;

    /// Stop deliveries now and wait until the handler is no longer running (idempotent).
    void close();

private:
    struct State {
        Handler handler;
        std::promise<void> complete;
    };
    static void on_message(natsConnection*, natsSubscription*, natsMsg* msg, void* closure);
    static void on_complete(void* closure);

    std::unique_ptr<State> state_;
    std::future<void> complete_;
    nats::SubscriptionPtr sub_;
};

}  // namespace modrt::remote
