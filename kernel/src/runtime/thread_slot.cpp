// Thread slots (thread_slot.hpp): the lowest free one first, so counters stay dense; given
// back when the thread exits.
#include "runtime/thread_slot.hpp"

#include <array>
#include <bit>
#include <mutex>
#include <type_traits>

namespace modrt::kernel {

namespace {

// Process-wide because a slot indexes counters of every runtime in the process: two
// threads alive at once must never share one, whichever runtime they call. Trivially
// destructible, so a thread exiting after static destruction still finds it intact.
struct SlotPool {
    std::mutex mutex;
    std::array<uint64_t, kThreadSlots / 64> taken{};
};
constinit SlotPool g_slots;
static_assert(std::is_trivially_destructible_v<SlotPool>);

// Gives the slot back at thread exit. The mutex orders the old owner's last writes to its
// counters before the next owner's first.
struct SlotLease {
    uint32_t slot = kNoThreadSlot;
    ~SlotLease() {
        if (slot != kNoThreadSlot) {
            std::lock_guard lock(g_slots.mutex);
            g_slots.taken[slot / 64] &= ~(uint64_t{1} << (slot % 64));
        }
        t_thread_slot_plus_one = kNoThreadSlot + 1;  // a call made later in this thread's exit shares
    }
};

uint32_t lowest_free() {
    std::lock_guard lock(g_slots.mutex);
    for (uint32_t w = 0; w < g_slots.taken.size(); ++w) {
        if (~g_slots.taken[w] == 0) continue;
        uint32_t bit = static_cast<uint32_t>(std::countr_one(g_slots.taken[w]));
        g_slots.taken[w] |= uint64_t{1} << bit;
        return w * 64 + bit;
    }
    return kNoThreadSlot;
}

}  // namespace

uint32_t take_thread_slot() {
    thread_local SlotLease lease;
    lease.slot = lowest_free();
    t_thread_slot_plus_one = lease.slot + 1;
    return lease.slot;
}

}  // namespace modrt::kernel
