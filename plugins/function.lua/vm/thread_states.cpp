// Per-thread states (thread_states.hpp).
#include "vm/thread_states.hpp"

#include <modrt/sdk.hpp>

#include <vector>

namespace modrt::lua {
namespace {

// This thread's states, one per live kind instance. thread_local is the point:
// a lua_State is not thread-safe, so each worker thread owns its own.
struct Slot {
    std::weak_ptr<const void> owner;
    std::unique_ptr<WorkerState> state;
};
// The slot this thread used last. A plain pointer: reading it needs no
// thread_local initialisation check (t_slots has a destructor, so every access
// to it does). Reset whenever the list changes.
thread_local Slot* t_last = nullptr;
struct Slots {
    std::vector<Slot> list;  // destroyed (states closed) when the thread exits
    ~Slots() { t_last = nullptr; }
};
thread_local Slots t_slots;

// A template, not shared_ptr<const void>: converting would copy the pointer (two atomic
// reference count updates per call).
template <class T>
bool same_owner(const std::weak_ptr<const void>& w, const std::shared_ptr<T>& s) noexcept {
    return !w.owner_before(s) && !s.owner_before(w);
}

}  // namespace

WorkerState& state_for_thread(const std::shared_ptr<const StateSettings>& owner) {
    // The slot's weak_ptr keeps the owner's control block allocated, so a
    // match is that owner, never a later one at the same address.
    if (Slot* last = t_last; last != nullptr && same_owner(last->owner, owner)) return *last->state;
    auto& list = t_slots.list;
    for (auto& slot : list) {
        if (same_owner(slot.owner, owner)) {
            t_last = &slot;
            return *slot.state;
        }
    }
    // States of kinds that are gone can never be used again: close them now.
    t_last = nullptr;
    std::erase_if(list, [](const Slot& s) { return s.owner.expired(); });
    list.push_back(Slot{owner, std::make_unique<WorkerState>(WorkerState::Mode::worker, owner->memory_limit,
                                                                   owner->deadlines.get())});
    log(MODRT_LOG_DEBUG, "function.lua", "created a Lua state for this worker thread");
    t_last = &list.back();
    return *list.back().state;
}

}  // namespace modrt::lua
