// A small number per live thread, unique among the threads alive at once: an index into
// per-thread counters (caller_run_counts.hpp) that only that thread writes.
#pragma once

#include <cstdint>

namespace modrt::kernel {

/// How many threads can hold a slot at once.
inline constexpr uint32_t kThreadSlots = 4096;
/// What a thread gets past that (or while it exits): counters then take a shared, locked path.
inline constexpr uint32_t kNoThreadSlot = kThreadSlots;

// The slot plus one (0: none taken yet). Trivial and initial-exec so that the hot read is
// one TLS load; the lease that gives the slot back at thread exit lives beside it
// (thread_slot.cpp). The kernel is linked into the program, never dlopen'ed.
[[gnu::tls_model("initial-exec")]] inline thread_local uint32_t t_thread_slot_plus_one = 0;

/// Takes the lowest free slot for this thread (first use on a thread only).
uint32_t take_thread_slot();

/// This thread's slot (below kThreadSlots), or kNoThreadSlot.
inline uint32_t this_thread_slot() {
    uint32_t s = t_thread_slot_plus_one;
    return s != 0 ? s - 1 : take_thread_slot();
}

}  // namespace modrt::kernel
