// The calls the kernel runs on callers' threads for a caller_runs pool (pool.inline never
// sees them), counted without a locked instruction: each thread adds to a slot only it
// writes (thread_slot.hpp) and a reader sums the slots. Two locked adds per call were a
// fifth of a native inline call (BM_Call/native_inline 28.0 -> 22.7 ns, alternating runs).
#pragma once

#include "runtime/thread_slot.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>

namespace modrt::kernel {

class CallerRunCounts {
public:
    /// One thread's counts (or the shared ones, for a thread without a slot).
    class alignas(64) Slot {  // a cache line each: threads calling one entry at once share none
    public:
        void started() noexcept { add(started_, std::memory_order_relaxed); }
        // Release, read with acquire: a reader that sees a call completed sees it started.
        void completed() noexcept { add(completed_, std::memory_order_release); }

    private:
        friend class CallerRunCounts;
        void add(std::atomic<uint64_t>& c, std::memory_order order) noexcept {
            if (shared_) [[unlikely]]
                c.fetch_add(1, order);
            else  // only this thread writes it: no read-modify-write needed
                c.store(c.load(std::memory_order_relaxed) + 1, order);
        }
        std::atomic<uint64_t> started_{0};
        std::atomic<uint64_t> completed_{0};
        bool shared_ = false;
    };

    CallerRunCounts() { shared_.shared_ = true; }
    CallerRunCounts(const CallerRunCounts&) = delete;
    CallerRunCounts& operator=(const CallerRunCounts&) = delete;
    ~CallerRunCounts();

    /// The calling thread's slot: take it once per call, then count its start and end.
    Slot& this_thread() noexcept {
        uint32_t t = this_thread_slot();
        if (t != kNoThreadSlot) [[likely]]
            if (Chunk* chunk = chunks_[t / kChunkSlots].load(std::memory_order_acquire)) [[likely]]
                return (*chunk)[t % kChunkSlots];
        return first_use(t);
    }

    struct Totals {
        uint64_t started = 0;
        uint64_t completed = 0;
    };
    /// Every thread's counts summed; completed read first (acquire), so it never runs ahead of
    /// started for the calls of one thread.
    Totals read() const noexcept;

private:
    static constexpr uint32_t kChunkSlots = 32;
    using Chunk = std::array<Slot, kChunkSlots>;

    /// This thread's slot when its chunk is not made yet; the shared one without a slot or memory.
    Slot& first_use(uint32_t thread_slot) noexcept;

    std::array<std::atomic<Chunk*>, kThreadSlots / kChunkSlots> chunks_{};  // made on a thread's first call
    Slot shared_;
};

}  // namespace modrt::kernel
