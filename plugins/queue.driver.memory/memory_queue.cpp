// One queue of the memory driver (memory_queue.hpp).
#include "memory_queue.hpp"

#include <atomic>
#include <random>

namespace modrt::queue_memory {

namespace {

// Message ids: a per-process random prefix and a counter, unique across queues and restarts.
std::string next_message_id() {
    static const uint64_t prefix = std::random_device{}() | (uint64_t(std::random_device{}()) << 32);
    static std::atomic<uint64_t> counter{0};  // process-wide: ids stay unique across drivers
    char buf[40];
    std::snprintf(buf, sizeof buf, "%016llx-%llu", static_cast<unsigned long long>(prefix),
                  static_cast<unsigned long long>(++counter));
    return buf;
}

}  // namespace

Error MemoryQueue::publish(std::string_view body, ValueView headers) {
    Message m;
    m.id = next_message_id();
    m.body.assign(body);
    for (size_t i = 0; i < headers.size(); ++i)
        if (headers.is_map()) m.headers.emplace_back(headers.key(i), headers[i].as_string());
    {
        std::lock_guard lock(mutex_);
        if (held() >= max_length_)
            return Error(MODRT_ERR_UNAVAILABLE, "queue '" + name_ + "' is full (" + std::to_string(max_length_) +
                                                    " messages; driver_options.memory.max_length)");
        ready_.push_back(std::move(m));
        ++published_;
    }
    cv_.notify_one();
    return {};
}

void MemoryQueue::promote_due(Clock::time_point now) {
    while (!delayed_.empty() && delayed_.begin()->first <= now) {
        ready_.push_back(std::move(delayed_.begin()->second));
        delayed_.erase(delayed_.begin());
    }
}

void MemoryQueue::fetch(int64_t deadline_ns, ValueSlot out) {
    const auto deadline = Clock::time_point(std::chrono::nanoseconds(deadline_ns));
    std::unique_lock lock(mutex_);
    const uint64_t wakes = wakes_;
    for (;;) {
        auto now = Clock::now();
        promote_due(now);
        if (!ready_.empty() || wakes_ != wakes || now >= deadline) break;
        auto until = deadline;
        if (!delayed_.empty() && delayed_.begin()->first < until) until = delayed_.begin()->first;
        cv_.wait_until(lock, until);
    }
    if (ready_.empty() || wakes_ != wakes) return;
    Message m = std::move(ready_.front());
    ready_.pop_front();
    ++m.attempt;
    const int64_t delivery = next_delivery_++;
    out.set_map(5);
    out.insert("id").set_string(m.id);
    out.insert("body").set_bytes(m.body);
    ValueSlot h = out.insert("headers");
    h.set_map(m.headers.size());
    for (const auto& [k, v] : m.headers) h.insert(k).set_string(v);
    out.insert("attempt").set_int(m.attempt);
    out.insert("delivery").set_int(delivery);
    in_flight_.emplace(delivery, std::move(m));
}

Error MemoryQueue::unknown(int64_t delivery) const {
    return Error(MODRT_ERR_NOT_FOUND,
                 "queue '" + name_ + "': no unsettled delivery " + std::to_string(delivery) + " (settled already?)");
}

Error MemoryQueue::ack(int64_t delivery) {
    std::lock_guard lock(mutex_);
    if (in_flight_.erase(delivery) == 0) return unknown(delivery);
    ++acked_;
    return {};
}

Error MemoryQueue::nack(int64_t delivery, int64_t delay_ns) {
    {
        std::lock_guard lock(mutex_);
        auto it = in_flight_.find(delivery);
        if (it == in_flight_.end()) return unknown(delivery);
        delayed_.emplace(Clock::now() + std::chrono::nanoseconds(std::max<int64_t>(delay_ns, 0)),
                         std::move(it->second));
        in_flight_.erase(it);
        ++nacked_;
    }
    cv_.notify_all();  // a waiting fetch re-arms its wait for the new due time
    return {};
}

Error MemoryQueue::release(int64_t delivery) {
    {
        std::lock_guard lock(mutex_);
        auto it = in_flight_.find(delivery);
        if (it == in_flight_.end()) return unknown(delivery);
        --it->second.attempt;  // it was never handled: the next delivery is the same attempt
        ready_.push_front(std::move(it->second));
        in_flight_.erase(it);
        ++released_;
    }
    cv_.notify_one();
    return {};
}

void MemoryQueue::wake() {
    {
        std::lock_guard lock(mutex_);
        ++wakes_;
    }
    cv_.notify_all();
}

void MemoryQueue::info(ValueSlot out) {
    std::lock_guard lock(mutex_);
    out.set_map(8);
    out.insert("ready").set_int(static_cast<int64_t>(ready_.size()));
    out.insert("delayed").set_int(static_cast<int64_t>(delayed_.size()));
    out.insert("in_flight").set_int(static_cast<int64_t>(in_flight_.size()));
    out.insert("message_count").set_int(static_cast<int64_t>(held()));
    out.insert("published").set_int(static_cast<int64_t>(published_));
    out.insert("acked").set_int(static_cast<int64_t>(acked_));
    out.insert("nacked").set_int(static_cast<int64_t>(nacked_));
    out.insert("released").set_int(static_cast<int64_t>(released_));
}

}  // namespace modrt::queue_memory
