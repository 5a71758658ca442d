// One in-process queue of the memory driver: messages ready to hand out, messages waiting
// out a redelivery delay, and messages handed out and not yet settled. It lives as long as
// its driver entry (the runtime), in this process only: nothing survives a restart.
#pragma once

#include <modrt/sdk.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace modrt::queue_memory {

class MemoryQueue {
public:
    MemoryQueue(std::string name, size_t max_length) : name_(std::move(name)), max_length_(max_length) {}

    /// UNAVAILABLE (retryable) when the queue already holds max_length messages.
    Error publish(std::string_view body, ValueView headers);
    /// The next ready message as modrt/queue.h's fetch writes it, waiting until `deadline_ns`
    /// or wake(); `out` stays nil when none came.
    void fetch(int64_t deadline_ns, ValueSlot out);
    Error ack(int64_t delivery);
    Error nack(int64_t delivery, int64_t delay_ns);
    Error release(int64_t delivery);
    void wake();
    void info(ValueSlot out);

private:
    struct Message {
        std::string id;
        std::string body;
        std::vector<std::pair<std::string, std::string>> headers;
        int64_t attempt = 0;  // deliveries so far
    };
    using Clock = std::chrono::steady_clock;

    /// Move delayed messages whose time has come to the ready list; with mutex_ held.
    void promote_due(Clock::time_point now);
    size_t held() const { return ready_.size() + delayed_.size() + in_flight_.size(); }
    Error unknown(int64_t delivery) const;

    const std::string name_;
    const size_t max_length_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Message> ready_;
    std::multimap<Clock::time_point, Message> delayed_;
    std::map<int64_t, Message> in_flight_;
    int64_t next_delivery_ = 1;
    uint64_t wakes_ = 0;  // bumped by wake(): fetches waiting when it came return
    uint64_t published_ = 0, acked_ = 0, nacked_ = 0, released_ = 0;
};

}  // namespace modrt::queue_memory
