// Per-thread call counts of a caller_runs pool (caller_run_counts.hpp).
#include "runtime/caller_run_counts.hpp"

#include <memory>
#include <new>

namespace modrt::kernel {

CallerRunCounts::~CallerRunCounts() {
    for (auto& chunk : chunks_) std::unique_ptr<Chunk>(chunk.load(std::memory_order_relaxed)).reset();
}

CallerRunCounts::Slot& CallerRunCounts::first_use(uint32_t thread_slot) noexcept {
    if (thread_slot == kNoThreadSlot) return shared_;
    std::atomic<Chunk*>& at = chunks_[thread_slot / kChunkSlots];
    try {
        auto made = std::make_unique<Chunk>();
        Chunk* expected = nullptr;
        // Another thread of the same chunk may have won; either way the chunk is there now.
        if (at.compare_exchange_strong(expected, made.get(), std::memory_order_acq_rel)) made.release();
        return (*at.load(std::memory_order_acquire))[thread_slot % kChunkSlots];
    } catch (const std::bad_alloc&) {
        return shared_;
    }
}

CallerRunCounts::Totals CallerRunCounts::read() const noexcept {
    Totals t;
    auto add_slot = [&](const Slot& s) {
        t.completed += s.completed_.load(std::memory_order_acquire);
        t.started += s.started_.load(std::memory_order_relaxed);
    };
    add_slot(shared_);
    for (const auto& at : chunks_)
        if (const Chunk* chunk = at.load(std::memory_order_acquire))
            for (const Slot& s : *chunk) add_slot(s);
    return t;
}

}  // namespace modrt::kernel
