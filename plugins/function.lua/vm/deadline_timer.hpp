// One thread that calls a callback when a deadline passes: it arms the
// cancellation hook of a call whose deadline has come (call_watch.hpp).
//
// A call's deadline is otherwise noticed only by whoever checks it, and with
// the JIT on nothing checks while compiled code runs: the hook must be set
// from outside, at the deadline. One timer serves every state of a kind
// instance (StateSettings holds it), started on first use and joined when the
// kind is gone. Adding and removing allocate nothing once the list has grown
// to the most calls with a deadline that were ever in flight at once.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace modrt::lua {

class DeadlineTimer {
public:
    using Fire = void (*)(void* user);
    using Ticket = uint64_t;  ///< 0 is never a ticket

    DeadlineTimer() = default;
    ~DeadlineTimer();
    DeadlineTimer(const DeadlineTimer&) = delete;
    DeadlineTimer& operator=(const DeadlineTimer&) = delete;

    /// Call fire(user) on the timer's thread once the host clock (now_ns) reaches
    /// `deadline_ns`, unless removed first. Throws std::bad_alloc or std::system_error.
    Ticket add(int64_t deadline_ns, Fire fire, void* user);
    /// Forget `ticket` (one that fired already is ignored). After it returns, the
    /// timer is not running its callback and never will.
    void remove(Ticket ticket) noexcept;

private:
    struct Pending {
        int64_t deadline_ns;
        Fire fire;
        void* user;
        Ticket ticket;
    };
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<Pending> pending_;  // unordered: few at a time, scanned at each wake
    // When the thread wakes next on its own; a new deadline before it must wake it.
    int64_t planned_ns_ = INT64_MAX;
    Ticket next_ticket_ = 1;
    bool stopping_ = false;
    std::thread thread_;  // started by the first add
};

}  // namespace modrt::lua
