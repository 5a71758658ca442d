// A synchronous call handed to a pool, and the caller's wait for it.
//
// The task lives on the heap (recycled per thread) because its caller may give
// up on it: a call still queued when its deadline passes or its caller is
// canceled returns at once, and the pool, which still holds the task, frees
// it when it later runs or drops it. A call that has started is waited for; it
// sees the cancellation itself (frame_canceled) and returns soon.
#pragma once

#include "runtime/runtime_impl.hpp"

#include <atomic>
#include <memory>

namespace modrt::kernel {

class CallTask {
public:
    /// Submit `e`'s call to its pool and wait for the result (or for the caller to give up).
    static modrt_error* run_on_pool(const Entry* e, modrt_frame* frame, const modrt_value* args, modrt_value* result);
    /// The same for a MODRT_POOL_SYNCHRONOUS pool: the task lives on this stack frame.
    static modrt_error* run_in_place(const Entry* e, modrt_frame* frame, const modrt_value* args, modrt_value* result);
    /// At shutdown: wake every caller parked on a queued call of `rt`, so it gives up (CANCELED).
    static void wake_parked(modrt_runtime* rt);

private:
    // state_ is a futex word (futex_word.hpp): a stage in the low byte, and flags above it.
    enum State : uint32_t { kPending, kRunning, kDone, kAbandoned };
    static constexpr uint32_t kStageMask = 0xff;
    static constexpr uint32_t kParked = 0x100;  // the caller sleeps on state_: finish must wake it
    static constexpr uint32_t kWoken = 0x200;   // cancellation or shutdown poked a parked caller
    static uint32_t stage(uint32_t word) { return word & kStageMask; }

    static void run(void* self);
    static void drop(void* self, modrt_error* reason);
    static void wake(void* self, modrt_error_kind);
    static std::unique_ptr<CallTask> acquire();
    static void recycle(std::unique_ptr<CallTask> task);
    /// Claim the task for running (false: the caller abandoned it; it is freed here).
    bool claim();
    void finish();
    /// Wait for kDone; returns false when the caller abandoned the task (it must not touch it again).
    bool wait();
    /// Sleep until the stage is kDone, or (`may_give_up`) the caller is canceled or the runtime closes.
    void park(bool may_give_up);
    /// Move the stage from kPending to `to`, keeping the flags; false if it was no longer pending.
    bool leave_pending(State to);

    modrt_task task_{};
    // What the pool sees as task_.frame: the caller's frame (and its ancestors) may be gone
    // once the caller abandons the task, while the pool may still read it; this one lives
    // with the task. It carries the deadline, and the caller marks it when it gives up.
    modrt_frame gate_;
    const Entry* entry_ = nullptr;
    modrt_frame* frame_ = nullptr;
    const modrt_value* args_ = nullptr;
    modrt_value* result_ = nullptr;
    modrt_error* error_ = nullptr;
    std::atomic<uint32_t> state_{kPending};
    const void* waiter_thread_ = nullptr;  // marker of the submitting thread
};

}  // namespace modrt::kernel
