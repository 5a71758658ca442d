#include "calling/call_task.hpp"

#include "calling/call_path.hpp"
#include "calling/futex_word.hpp"

#include <modrt/spin_governor.hpp>

#include <chrono>
#include <thread>

namespace modrt::kernel {

namespace {

/// An address unique to the calling thread (cheaper than std::this_thread::get_id()).
const void* thread_marker() {
    thread_local const char marker = 0;
    return &marker;
}

// One spare task per thread: a thread makes one synchronous call at a time
// (nested calls reuse it after the inner one returns), so this removes the
// allocation from the steady state.
thread_local std::unique_ptr<CallTask> t_spare;

// Spin before parking: most calls finish quickly, and parking costs tens of µs (a sleep and a
// wake-up, measured on the 2-core machine) on an idle machine; on a busy one spinning costs
// more than it saves, which this thread's governor notices (modrt/spin_governor.hpp). The spin
// is as long as a pool worker's (WorkerPoolConfig::spin): a short Lua call's round trip is
// 3-5 µs, which a spin of 2000 loads (~2 µs) missed every time.
constexpr std::chrono::microseconds kSpin{20};
thread_local SpinGovernor t_spin;

}  // namespace

std::unique_ptr<CallTask> CallTask::acquire() {
    if (t_spare) return std::move(t_spare);
    return std::make_unique<CallTask>();
}

void CallTask::recycle(std::unique_ptr<CallTask> task) {
    task->state_.store(kPending, std::memory_order_relaxed);
    task->error_ = nullptr;
    if (!t_spare) t_spare = std::move(task);
}

bool CallTask::leave_pending(State to) {
    // Acquire even when it fails: a worker that finds the task abandoned frees it, after the
    // caller's last writes to it.
    uint32_t word = state_.load(std::memory_order_acquire);
    while (stage(word) == kPending)
        if (state_.compare_exchange_weak(word, (word & ~kStageMask) | to, std::memory_order_acq_rel)) return true;
    return false;
}

bool CallTask::claim() {
    if (leave_pending(kRunning)) return true;
    std::unique_ptr<CallTask> abandoned(this);  // the caller left; nobody else refers to it
    return false;
}

void CallTask::run(void* self) {
    auto* t = static_cast<CallTask*>(self);
    if (!t->claim()) return;
    modrt_runtime* rt = t->frame_->runtime;
    if (rt->closing.load(std::memory_order_relaxed)) {
        t->error_ = shutting_down_error(t->entry_->raw.id);
    } else if (modrt_error_kind cause = frame_canceled(t->frame_); cause != 0) {
        t->error_ = canceled_error(cause, t->entry_->raw.id);
    } else {
        t->error_ = invoke_kind(t->entry_, t->frame_, t->args_, t->result_);
    }
    t->finish();
}

void CallTask::drop(void* self, modrt_error* reason) {
    auto* t = static_cast<CallTask*>(self);
    if (!t->claim()) {
        ErrorPtr unused(reason);
        return;
    }
    t->error_ = reason ? reason : fail(MODRT_ERR_UNAVAILABLE, "pool dropped the call to '" + t->entry_->raw.id + "'");
    t->finish();
}

void CallTask::finish() {
    if (waiter_thread_ == thread_marker()) {  // ran in place: the waiter is this thread, not parked
        state_.store(kDone, std::memory_order_relaxed);
        return;
    }
    // One exchange publishes the result and says whether the caller sleeps. It is the last
    // touch of the task: the caller may leave and reuse it at once, so the wake goes by address.
    // (Storing kDone after the wake, as the condition variable before it needed, left a woken
    // caller polling for as long as this worker stayed preempted between the two.)
    if (state_.exchange(kDone, std::memory_order_acq_rel) & kParked) futex_wake_all(state_);
}

void CallTask::wake(void* self, modrt_error_kind) {
    auto* t = static_cast<CallTask*>(self);
    // Change the word first, so a caller about to sleep on the old value does not.
    // The caller is still registered (off_cancel, wake_parked), so the task is alive.
    if (t->state_.fetch_or(kWoken, std::memory_order_acq_rel) & kParked) futex_wake_all(t->state_);
}

void CallTask::park(bool may_give_up) {
    modrt_runtime* rt = frame_->runtime;
    for (;;) {
        uint32_t word = state_.load(std::memory_order_acquire);
        if (stage(word) == kDone) return;
        if (may_give_up && (frame_canceled(frame_) != 0 || rt->closing.load(std::memory_order_acquire))) return;
        // Sleep with kWoken clear, so that the next poke changes the word again.
        const uint32_t sleeping = (word & ~kWoken) | kParked;
        if (word != sleeping && !state_.compare_exchange_strong(word, sleeping, std::memory_order_acq_rel)) continue;
        futex_wait(state_, sleeping, may_give_up ? frame_->deadline_ns : 0);
    }
}

bool CallTask::wait() {
    if (t_spin.should_spin()) {
        SpinResult spun = spin_until([&] { return stage(state_.load(std::memory_order_acquire)) == kDone; }, kSpin);
        t_spin.record(spun);
        if (spun.done) return true;
    }
    // Park until finished, or until the caller is canceled or its deadline passes while
    // the call is still queued. Cancellation pushed from an ancestor, and shutdown, wake us.
    modrt_runtime* rt = frame_->runtime;
    modrt_cancel_reg* reg = on_cancel(frame_, &CallTask::wake, this);
    {
        std::lock_guard lock(rt->parked_mutex);
        rt->parked.push_back(this);
    }
    park(true);
    // Nothing may reach this task through us any more before it can be abandoned:
    // once abandoned, the pool frees it whenever it runs or drops it.
    {
        std::lock_guard lock(rt->parked_mutex);
        std::erase(rt->parked, this);
    }
    off_cancel(reg);
    if (stage(state_.load(std::memory_order_acquire)) != kDone) {
        modrt_error_kind cause = frame_canceled(frame_);
        gate_.cancel_cause.store(cause != 0 ? cause : MODRT_ERR_CANCELED, std::memory_order_release);
        if (leave_pending(kAbandoned)) return false;
        park(false);  // already running: it sees the cancellation itself and returns soon
    }
    return true;
}

namespace {

/// The task of a synchronous pool: no hand-off, nothing to wait for.
struct InPlaceTask {
    modrt_task task{};
    const Entry* entry;
    modrt_frame* frame;
    const modrt_value* args;
    modrt_value* result;
    modrt_error* error = nullptr;
    std::atomic<bool> finished{false};

    static void run(void* self) {
        auto* t = static_cast<InPlaceTask*>(self);
        if (modrt_error_kind cause = frame_canceled(t->frame); cause != 0)
            t->error = canceled_error(cause, t->entry->raw.id);
        else t->error = invoke_kind(t->entry, t->frame, t->args, t->result);
        t->finished.store(true, std::memory_order_release);
    }
    static void drop(void* self, modrt_error* reason) {
        auto* t = static_cast<InPlaceTask*>(self);
        t->error = reason ? reason : fail(MODRT_ERR_UNAVAILABLE, "pool dropped the call to '" + t->entry->raw.id + "'");
        t->finished.store(true, std::memory_order_release);
    }
};

}  // namespace

modrt_error* CallTask::run_in_place(const Entry* e, modrt_frame* frame, const modrt_value* args, modrt_value* result) {
    InPlaceTask t{{sizeof(modrt_task), frame, MODRT_TASK_CALLER_WAITS, nullptr, &InPlaceTask::run, &InPlaceTask::drop},
                  e,
                  frame,
                  args,
                  result};
    t.task.self = &t;
    modrt_error* refused = submit_to_pool(frame->runtime, *e, *e->pool, &t.task);
    if (refused != nullptr) return refused;
    // A pool that declared itself synchronous but returned early still holds `t`: wait, never leave it dangling.
    while (!t.finished.load(std::memory_order_acquire)) std::this_thread::yield();
    return t.error;
}

void CallTask::wake_parked(modrt_runtime* rt) {
    std::lock_guard lock(rt->parked_mutex);
    for (CallTask* t : rt->parked) wake(t, MODRT_ERR_CANCELED);
}

modrt_error* CallTask::run_on_pool(const Entry* e, modrt_frame* frame, const modrt_value* args, modrt_value* result) {
    std::unique_ptr<CallTask> t = acquire();
    t->task_.struct_size = sizeof(modrt_task);
    t->gate_.runtime = frame->runtime;
    t->gate_.entry = e;
    t->gate_.depth = frame->depth;
    t->gate_.deadline_ns = frame->deadline_ns;
    t->gate_.cancelable = true;  // the caller marks it when it gives up
    t->gate_.cancel_cause.store(0, std::memory_order_relaxed);
    t->task_.frame = &t->gate_;
    t->task_.flags = MODRT_TASK_CALLER_WAITS;
    // An ancestor waiting on this same pool holds one of its workers: run in place, or A -> B -> A
    // across two one-worker pools would wait on itself.
    for (const modrt_frame* f = frame->parent; f != nullptr; f = f->parent)
        if (f->entry != nullptr && f->entry->pool.get() == e->pool.get()) {
            t->task_.flags |= MODRT_TASK_REENTRANT;
            break;
        }
    t->task_.self = t.get();
    t->task_.run = &CallTask::run;
    t->task_.drop = &CallTask::drop;
    t->entry_ = e;
    t->frame_ = frame;
    t->args_ = args;
    t->result_ = result;
    t->waiter_thread_ = thread_marker();
    modrt_runtime* rt = frame->runtime;
    rt->waiting_callers.fetch_add(1, std::memory_order_acq_rel);
    struct Leave {  // the last touch of the runtime by this caller
        modrt_runtime* rt;
        ~Leave() { rt->waiting_callers.fetch_sub(1, std::memory_order_acq_rel); }
    } leave{rt};
    modrt_error* refused = submit_to_pool(rt, *e, *e->pool, &t->task_);
    if (refused != nullptr) {
        recycle(std::move(t));
        return refused;
    }
    if (!t->wait()) {
        (void)t.release();  // abandoned: the pool frees it when it runs or drops it
        modrt_error_kind cause = frame_canceled(frame);
        if (cause == 0)
            return fail(MODRT_ERR_CANCELED,
                        "the runtime is shutting down; '" + e->raw.id + "' was queued and did not run");
        return fail(cause, std::string(cause == MODRT_ERR_TIMEOUT ? "deadline exceeded" : "canceled") + " while '" +
                               e->raw.id + "' was queued");
    }
    modrt_error* err = t->error_;
    recycle(std::move(t));
    return err;
}

}  // namespace modrt::kernel
