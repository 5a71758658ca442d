// Spinning before parking, only while spinning pays. Shared by the kernel (a caller
// waiting for its call on a pool) and the pools (a worker waiting for work); header-only.
//
// On an idle machine a spin hands work over in well under a microsecond, where parking
// and waking cost tens (an idle virtual CPU exits to the hypervisor). On a busy one the
// thread waited for is often not running, and spinning only takes CPU from it and from
// everything else: a round trip through pool.static measured 4x asio's (which always
// parks) beside a parallel build, 0.3-0.5x on an idle machine. A governor remembers how
// its owner's last spins went and stops spinning after a few misses in a row, trying
// again now and then.
#ifndef MODRT_SPIN_GOVERNOR_HPP
#define MODRT_SPIN_GOVERNOR_HPP

#include <chrono>

namespace modrt {

/// Tells the CPU this is a spin-wait loop (less power, and a sibling hyper-thread runs faster).
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/// How one spin went.
struct SpinResult {
    bool done = false;     ///< done() came true
    bool at_once = false;  ///< done() was true at the first poll: there was nothing to spin for
    /// Whether done() came true (what spin_until returned before it said more).
    explicit operator bool() const noexcept { return done; }
};

/// Spins until `done()` or until `limit` has passed.
/// It never yields the CPU: beside a many-threaded process, `sched_yield` between polls made
/// a pool round trip 1.4-2.2 ms instead of 12-50 µs (the scheduler ran every other thread
/// first); the governor below is what stops a spin that does not pay.
template <class Done>
SpinResult spin_until(Done&& done, std::chrono::nanoseconds limit) noexcept {
    if (done()) return {true, true};
    const auto until = std::chrono::steady_clock::now() + limit;
    do {
        for (int i = 0; i < 64; ++i) {
            cpu_relax();
            if (done()) return {true, false};
        }
    } while (std::chrono::steady_clock::now() < until);
    return {done(), false};
}

/// One waiting thread's memory of its spins; not shared between threads.
class SpinGovernor {
public:
    /// Whether to spin before this wait (otherwise park at once).
    bool should_spin() noexcept {
        if (misses_ < kMaxMisses) return true;
        if (++parked_since_ < kRetryEvery) return false;
        parked_since_ = 0;
        return true;  // the machine may have calmed down: one spin finds out
    }
    /// How the spin went. One that found its answer at the first poll says nothing about
    /// spinning: when both threads share one core, the one waited for often runs before this
    /// one starts to wait (woken, it preempts its waker), and counting that as a hit kept both
    /// spinning through each other's time slices (a round trip 13-15 µs against asio's 9-10).
    void record(const SpinResult& spin) noexcept {
        if (spin.at_once) return;
        misses_ = spin.done ? 0 : (misses_ < kMaxMisses ? misses_ + 1 : kMaxMisses);
    }
    /// A spin known only as a hit or a miss.
    void record(bool hit) noexcept { record(SpinResult{hit, false}); }

private:
    static constexpr int kMaxMisses = 3;    // spins in a row that found nothing before it parks at once
    static constexpr int kRetryEvery = 64;  // waits parked at once between two trial spins
    int misses_ = 0;
    int parked_since_ = 0;
};

}  // namespace modrt

#endif  // MODRT_SPIN_GOVERNOR_HPP
