// Kernel values a synchronous funcs.call reuses for its arguments, result and error.
//
// start_call parks what it creates for the kernel where a Lua error (a longjmp)
// cannot leak it. A userdata with __gc per call did that, but allocating and
// finalizing two of them was half the cost of a nested call. Instead each
// WorkerState keeps one slot per nesting level, made on first use and freed
// when the top-level call ends: a level a Lua error skipped is freed then too.
#pragma once

#include <modrt/abi.h>

#include <array>
#include <cstddef>

namespace modrt::lua {

/// The values of one synchronous call made from Lua.
struct CallSlot {
    modrt_value* args = nullptr;    ///< owned
    modrt_value* result = nullptr;  ///< owned
    modrt_error* error = nullptr;   ///< owned when set; freed on the slot's next use
};

/// One CallSlot per nesting level of the calls Lua makes on one state, reused in LIFO order.
class CallSlots {
public:
    /// The deepest level served; deeper calls (or levels a caught Lua error leaked) get null.
    static constexpr size_t kMaxLevels = 64;

    CallSlots() = default;
    CallSlots(const CallSlots&) = delete;
    CallSlots& operator=(const CallSlots&) = delete;
    ~CallSlots() { free_all(); }

    /// The next level's slot, args and result as the last call at this level left them (the
    /// call writes both whole, keeping their memory), or null when
    /// none can be had (too deep, out of memory): the caller then owns its values itself.
    CallSlot* acquire() noexcept;
    /// Give back the slot acquire returned last.
    void release() noexcept { --used_; }
    /// Free every slot (the state's top-level call ended).
    void free_all() noexcept;

private:
    // A fixed array: a slot's address must hold while calls nested deeper take theirs.
    std::array<CallSlot, kMaxLevels> slots_{};
    size_t made_ = 0;  // slots_[0, made_) hold values
    size_t used_ = 0;  // slots_[0, used_) are taken
};

}  // namespace modrt::lua
