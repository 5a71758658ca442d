// One running queue.consumer: `concurrency` worker threads, each fetching a message from the
// queue's driver, decoding it with the queue's codec and calling the consumer's function with
// it as a root call (the entry's lifecycle.security identity, its timeout as the deadline, the
// message lent to the call as MODRT_QUEUE_DELIVERY_KEY), then settling it:
//   - true or any non-false result: ack;
//   - false, msg:nack(), or a retryable error: delivered again after the queue's redelivery
//     backoff, until dead_letter.max_attempts deliveries;
//   - a non-retryable error (a body the codec cannot read included), or the last attempt: moved
//     to the dead-letter queue with the error in x_dead_letter_* headers; without a dead-letter
//     queue a non-retryable failure is dropped with an error log line naming the message.
// Stop: no more fetches; calls in flight finish until the stop deadline, the rest are canceled
// and their messages released unacked, so the driver delivers them again.
#pragma once

#include "consumer_spec.hpp"
#include "queue_entry.hpp"

#include <modrt/queue.h>
#include <modrt/sdk.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace modrt::queue {

class ConsumerTrigger final : public Trigger {
public:
    ConsumerTrigger(const Host& host, ConsumerSpec spec, TriggerIdentity identity)
        : host_(host), spec_(std::move(spec)), identity_(std::move(identity)) {}
    ~ConsumerTrigger() override { stop(host_api().now_ns()); }

    Error start(ValueSlot out) override;
    void stop(int64_t deadline_ns) override;

private:
    struct Delivery;

    /// Tell a driver that buffers (modrt/queue.h's subscribe) how this consumer fetches.
    Error subscribe();
    void work(size_t slot);
    void handle(ValueView message, size_t slot);
    /// Settle a failed delivery: redeliver with backoff, dead-letter, or (no dead-letter queue) drop loudly.
    void fail(Delivery& d, const Error& err);
    static int settle_early(void* self, int ack) noexcept;
    /// A driver's ack/nack/release result: logged (and freed) when it failed.
    void settle_error(modrt_error* raw, std::string_view id) const;
    void log(modrt_log_level level, const std::string& message) const { host_.log(level, spec_.id + ": " + message); }

    const Host& host_;
    const ConsumerSpec spec_;
    TriggerIdentity identity_;
    QueueEntry* queue_ = nullptr;
    QueueEntry* dead_letter_ = nullptr;
    QueueEntry::DriverQueue driver_{nullptr, nullptr};
    bool subscribed_ = false;  // the driver's subscribe succeeded: unsubscribe once the workers are gone

    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable idle_;      // busy_ dropped
    std::vector<modrt_frame*> frames_;  // per worker: the root frame of the call it runs, or null
    size_t busy_ = 0;                   // workers handling a message
    std::vector<std::jthread> workers_;
    std::atomic<uint64_t> acked_{0}, redelivered_{0}, dead_lettered_{0}, dropped_{0}, released_{0};
};

}  // namespace modrt::queue
