// The deadline timer (deadline_timer.hpp).
#include "vm/deadline_timer.hpp"

#include <modrt/sdk.hpp>

#include <algorithm>
#include <chrono>

namespace modrt::lua {

DeadlineTimer::~DeadlineTimer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

DeadlineTimer::Ticket DeadlineTimer::add(int64_t deadline_ns, Fire fire, void* user) {
    std::lock_guard lock(mutex_);
    Ticket ticket = next_ticket_++;
    pending_.push_back(Pending{deadline_ns, fire, user, ticket});
    if (!thread_.joinable()) {
        try {
            thread_ = std::thread([this] { run(); });
        } catch (...) {
            pending_.pop_back();
            throw;
        }
    } else if (deadline_ns < planned_ns_) {
        // Only when it is due before the thread would wake anyway: a call that ends
        // before its deadline (most do) then costs the thread nothing.
        planned_ns_ = deadline_ns;
        wake_.notify_one();
    }
    return ticket;
}

void DeadlineTimer::remove(Ticket ticket) noexcept {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(pending_.begin(), pending_.end(), [ticket](const Pending& p) { return p.ticket == ticket; });
    if (it == pending_.end()) return;  // it fired
    *it = pending_.back();
    pending_.pop_back();
}

void DeadlineTimer::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const int64_t now = host_api().now_ns();
        int64_t next = INT64_MAX;
        for (size_t i = 0; i < pending_.size();) {
            if (pending_[i].deadline_ns <= now) {
                // Under the lock: remove() returning means the callback is not running.
                pending_[i].fire(pending_[i].user);
                pending_[i] = pending_.back();
                pending_.pop_back();
            } else {
                next = std::min(next, pending_[i].deadline_ns);
                ++i;
            }
        }
        planned_ns_ = next;
        if (next == INT64_MAX) wake_.wait(lock);
        else wake_.wait_for(lock, std::chrono::nanoseconds(next - now));
    }
}

}  // namespace modrt::lua
