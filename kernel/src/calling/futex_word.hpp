// Parking a thread on a 32-bit atomic and waking it (Linux futex): what a caller waiting
// for its call on a pool sleeps on (call_task.cpp). A condition variable needs its mutex
// on both sides, and its waker must touch the waiter's memory after the wake; a futex
// word lets the finishing thread publish the result and learn whether anyone sleeps in
// one exchange, then wake by address alone.
#pragma once

#include <atomic>
#include <climits>
#include <cstdint>
#include <ctime>

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace modrt::kernel {

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t) && std::atomic<uint32_t>::is_always_lock_free,
              "a futex word is a plain 32-bit integer");

/// Sleep while `word` holds `expected`, until woken or `deadline_ns` (steady_clock, 0: none).
/// Returns at once if the word already differs; spurious returns happen: re-check after.
inline void futex_wait(std::atomic<uint32_t>& word, uint32_t expected, int64_t deadline_ns) noexcept {
    timespec at{};
    const timespec* until = nullptr;
    if (deadline_ns != 0) {  // FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC time: steady_clock's
        at.tv_sec = static_cast<time_t>(deadline_ns / 1'000'000'000);
        at.tv_nsec = static_cast<long>(deadline_ns % 1'000'000'000);
        until = &at;
    }
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_BITSET_PRIVATE, expected, until, nullptr,
              FUTEX_BITSET_MATCH_ANY);
}

/// Wake every thread sleeping on `word`. Reads no memory: the word may already be freed or reused
/// (a sleeper woken that way sees an unchanged word and sleeps again).
inline void futex_wake_all(std::atomic<uint32_t>& word) noexcept {
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}

}  // namespace modrt::kernel
