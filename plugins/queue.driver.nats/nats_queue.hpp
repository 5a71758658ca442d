// One queue opened on the NATS driver: a JetStream stream (made or updated on first use) that
// stores the queue's messages, and a durable pull consumer that every node consuming the queue
// shares, so that nodes split the work. Publishing waits for the stream's ack (a published
// message is stored). Consumers pull in batches of their prefetch into a local buffer that
// fetch hands out; while a message waits in that buffer or is being handled, a heartbeat tells
// the server it is in progress, so a handler running longer than ack_wait is not redelivered
// elsewhere. A node that dies stops the heartbeat: its messages come back after ack_wait.
#pragma once

#include "connections.hpp"
#include "queue_options.hpp"

#include <modrt/sdk.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <random>
#include <mutex>
#include <string>
#include <thread>

namespace modrt::queue_nats {

class NatsQueue {
public:
    NatsQueue(nats::ConnectionPtr connection, std::string owner, QueueOptions options, const DriverSettings& driver);
    ~NatsQueue();
    NatsQueue(const NatsQueue&) = delete;
    NatsQueue& operator=(const NatsQueue&) = delete;

    /// Store a message; UNAVAILABLE (retryable) when the stream is full or NATS is unreachable.
    Error publish(std::string_view body, ValueView headers);
    /// A message as modrt/queue.h's fetch writes it, or nil at the deadline or on wake().
    void fetch(int64_t deadline_ns, ValueSlot out);
    Error ack(int64_t delivery);
    Error nack(int64_t delivery, int64_t delay_ns);
    Error release(int64_t delivery);
    void wake();
    void info(ValueSlot out);
    /// A consumer starts: pull batches of the largest prefetch so far.
    Error subscribe(ValueView options);
    /// A consumer stopped: the last one gives the buffered messages back (nak) and ends the heartbeat.
    void unsubscribe();

private:
    using Clock = std::chrono::steady_clock;

    /// Make or update the stream (once; again after NATS lost it). Throws Failure.
    void ensure_stream();
    /// The subscription pulled messages arrive on, made (and the durable consumer made or updated) on first use. Throws Failure.
    natsSubscription* subscription();
    /// Send `what` ("+ACK", "-NAK", "+WPI", ...) to a message's reply subject.
    natsStatus reply_to(natsMsg* msg, const std::string& what);
    /// Pull up to `batch` messages, waiting at most `wait`; appended to `into`. Throws Failure.
    void pull(int batch, std::chrono::milliseconds wait, std::deque<nats::MsgPtr>& into);
    /// Take an unsettled delivery out of in_flight_, or NOT_FOUND.
    Error take(int64_t delivery, nats::MsgPtr& out);
    /// A message id: this queue object's random prefix and a counter. Sent as Nats-Msg-Id, so a
    /// publish the client retries is stored once (the stream's duplicate window); the random
    /// prefix keeps ids apart between queue objects and processes publishing to one stream.
    std::string next_message_id();
    void heartbeat(std::stop_token stop);
    /// Log `what` at warn once per kind of trouble, and at info when it is over (a down server is not log spam).
    void trouble(const Error& err);
    void recovered();

    const uint64_t id_prefix_ = (uint64_t(std::random_device{}()) << 32) | std::random_device{}();
    std::atomic<uint64_t> id_counter_{0};
    const std::string owner_;  // "<queue name> on <driver id>", for logs and errors
    const QueueOptions options_;
    const std::chrono::milliseconds publish_timeout_;
    nats::ConnectionPtr connection_;  // declared first: destroyed last
    nats::JsPtr js_;

    std::mutex setup_mutex_;  // stream and subscription setup (network round trips, one at a time)
    bool stream_ready_ = false;
    bool consumer_ready_ = false;
    nats::SubscriptionPtr subscription_;
    std::string inbox_;         // the subscription's subject
    std::string next_subject_;  // $JS.API.CONSUMER.MSG.NEXT.<stream>.<durable>
    // The pull request open at the server (touched only by the one worker pulling: pulling_).
    int request_left_ = 0;
    Clock::time_point request_until_{};

    std::mutex mutex_;
    std::condition_variable cv_;
    // Deliveries this node handed out, by stream sequence: nats-server 2.9 sometimes reports a
    // redelivery after a delayed NAK as delivery 1 again (seen: 1, 1, 3, 1), so the attempt is
    // the larger of its count and ours. Forgotten on ack; the oldest go past kAttemptsKept.
    std::map<uint64_t, int64_t> attempts_;
    std::deque<nats::MsgPtr> buffer_;           // pulled, not yet handed out
    std::map<int64_t, nats::MsgPtr> in_flight_;  // handed out, not settled
    int64_t next_delivery_ = 1;
    bool pulling_ = false;  // one worker pulls at a time; the others wait for the buffer
    uint64_t wakes_ = 0;
    int subscribers_ = 0;
    int batch_ = 1;  // the largest prefetch of the consumers subscribed
    std::string trouble_;  // the last trouble logged ("" when all is well)
    uint64_t published_ = 0, acked_ = 0, nacked_ = 0, released_ = 0, pulled_ = 0;
    std::jthread heartbeat_;  // runs while subscribers_ > 0
    std::condition_variable_any heartbeat_cv_;
};

}  // namespace modrt::queue_nats
