// An asynchronous call owns its frame (a copy of what it inherits, since its
// caller's frame may end first), its arguments and its result. Cancellation
// reaches it through a registration on the caller's frame; when the caller
// returns, whatever it started and left running is canceled.
#include "calling/async_call.hpp"

#include "calling/default_async_pool.hpp"

#include <algorithm>

struct modrt_future {
    std::atomic<int> refs{1};
    const modrt::kernel::Entry* entry = nullptr;
    const modrt::kernel::PoolHandle* pool = nullptr;  // where it was submitted
    modrt_frame frame;
    modrt::kernel::Value args;
    modrt::kernel::Value result;
    modrt::kernel::ErrorPtr error;
    modrt_task task{};
    // Set by whoever runs the call: the pool's worker, or a waiter that would otherwise
    // hold a worker of the same pool while the call queues behind it (future_wait).
    std::atomic<bool> claimed{false};

    mutable std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    std::vector<std::pair<modrt_future_cb, void*>> callbacks;

    // Link to the caller's frame: cancels this call when the caller (or an ancestor) is canceled.
    std::shared_ptr<modrt::kernel::ChildList> siblings;  // the caller's list; null for a root call
    modrt_cancel_reg* parent_link = nullptr;
};

namespace modrt::kernel {

namespace {

void on_parent_canceled(void* user, modrt_error_kind cause) {
    cancel_frame(&static_cast<modrt_future*>(user)->frame, cause);
}

/// Leave the caller's list (when this call finishes before its caller).
void unlink(modrt_future* f) {
    if (!f->siblings) return;
    bool listed = false;
    {
        std::lock_guard lock(f->siblings->mutex);
        if (f->siblings->open) {
            auto& calls = f->siblings->calls;
            auto it = std::find(calls.begin(), calls.end(), f);
            if (it != calls.end()) {
                calls.erase(it);
                listed = true;
            }
            // The caller's frame is alive while the list is open, so its registration can go.
            off_cancel(f->parent_link);
            f->parent_link = nullptr;
        }
    }
    if (listed) future_release(f);
}

bool claim(modrt_future* f) { return !f->claimed.exchange(true, std::memory_order_acq_rel); }

void complete(modrt_future* f, modrt_error* err) {
    f->error.reset(err);
    if (err) f->result = Value();
    end_children(f->frame);
    std::vector<std::pair<modrt_future_cb, void*>> callbacks;
    {
        std::lock_guard lock(f->mutex);
        f->done = true;
        callbacks.swap(f->callbacks);
    }
    f->finished.notify_all();
    for (auto& [cb, user] : callbacks) cb(user, f);
    unlink(f);
}

/// Run a claimed call on this thread, on behalf of its pool.
void run_claimed(modrt_future* f) {
    if (f->frame.runtime->closing.load(std::memory_order_relaxed)) {
        complete(f, shutting_down_error(f->entry->raw.id));
        return;
    }
    if (modrt_error_kind cause = frame_canceled(&f->frame); cause != 0) {
        complete(f, canceled_error(cause, f->entry->raw.id));
        return;
    }
    complete(f, execute(f->entry, &f->frame, &f->args, &f->result, true));
}

// The pool's task holds a reference until the pool runs or drops it, whoever ran the call.
void run_task(void* self) {
    auto* f = static_cast<modrt_future*>(self);
    if (claim(f)) run_claimed(f);
    future_release(f);
}

void drop_task(void* self, modrt_error* reason) {
    auto* f = static_cast<modrt_future*>(self);
    if (claim(f))
        complete(f,
                 reason ? reason : fail(MODRT_ERR_UNAVAILABLE, "pool dropped the call to '" + f->entry->raw.id + "'"));
    else ErrorPtr unused(reason);  // a waiter ran the call already
    future_release(f);
}

/// The async frame owns copies of what a synchronous child would borrow.
void inherit(modrt_future* f, modrt_runtime* rt, const modrt_frame* parent) {
    modrt_frame& frame = f->frame;
    frame.runtime = rt;
    frame.entry = f->entry;
    frame.cancelable = true;  // future_cancel, and its caller's end
    frame.cancel_target = true;
    frame.storage = std::make_unique<FrameStorage>();
    FrameStorage& s = *frame.storage;
    if (parent) {
        frame.depth = parent->depth + 1;
        frame.deadline_ns = parent->deadline_ns;
        if (parent->context) s.context = *parent->context;
        s.actor = parent->actor;
        actor_retain(s.actor);
        s.scope.assign(parent->scope);
        if (parent->options) s.options = *parent->options;
    } else {
        frame.depth = 1;
    }
    if (s.context.type != MODRT_MAP) s.context = Value::map();
    frame.context = &s.context;
    frame.actor = s.actor;
    frame.scope = s.scope;
    frame.options = s.options.type == MODRT_MAP ? &s.options : nullptr;
}

}  // namespace

modrt_error* call_async(modrt_runtime* rt, modrt_frame* parent, std::string_view id, const modrt_value* args,
                        const modrt_call_options* options, modrt_future** out) {
    *out = nullptr;
    const Entry* e = nullptr;
    if (modrt_error* err = resolve_callable(rt, parent ? parent->depth + 1 : 1, id, &e)) return err;
    if (args != nullptr && args->type != MODRT_NIL && args->type != MODRT_ARRAY)
        return fail(MODRT_ERR_INVALID, "arguments must be an array");

    auto f = std::make_unique<modrt_future>();
    f->entry = e;
    f->args = args && args->type == MODRT_ARRAY ? *args : Value::array();
    inherit(f.get(), rt, parent);
    if (options) apply_options(f->frame, options);
    if (rt->security != nullptr)
        if (modrt_error* denied = check_call_permissions(parent, options, f->frame, e->raw.id)) return denied;

    modrt_future* raw = f.release();  // reference counted from here: the caller's reference
    if (parent) {
        {
            FrameExtras& extras = extras_of(parent);
            std::lock_guard lock(extras.children_mutex);  // a native function may start calls from threads
            if (!extras.children) extras.children = std::make_shared<ChildList>();
            raw->siblings = extras.children;
        }
        future_retain(raw);  // the caller's list holds one
        std::lock_guard lock(raw->siblings->mutex);
        raw->siblings->calls.push_back(raw);
        raw->parent_link = on_cancel(parent, &on_parent_canceled, raw);
    }
    raw->task.struct_size = sizeof(modrt_task);
    raw->task.frame = &raw->frame;
    raw->task.flags = 0;
    raw->task.self = raw;
    raw->task.run = &run_task;
    raw->task.drop = &drop_task;
    future_retain(raw);  // the running task holds one
    const PoolHandle& pool = async_pool_of(*rt, *e);
    raw->pool = &pool;
    modrt_error* refused = submit_to_pool(rt, *e, pool, &raw->task);
    if (refused) {
        claim(raw);
        complete(raw, clone_error(*refused).release());  // the future finishes with the refusal too
        future_release(raw);                             // the task's reference: the pool does not hold it
        future_release(raw);                             // the caller's: it gets the error, not the future
        return refused;
    }
    *out = raw;
    return nullptr;
}

void end_children(modrt_frame& frame) {
    FrameExtras* extras = frame.extras.load(std::memory_order_acquire);
    if (extras == nullptr) return;
    std::shared_ptr<ChildList> children;
    {
        std::lock_guard lock(extras->children_mutex);
        children = extras->children;
    }
    if (!children) return;
    std::vector<modrt_future*> left;
    {
        std::lock_guard lock(children->mutex);
        children->open = false;
        left.swap(children->calls);
        for (modrt_future* f : left) {
            off_cancel(f->parent_link);  // this frame is about to go
            f->parent_link = nullptr;
        }
    }
    for (modrt_future* f : left) {
        cancel_frame(&f->frame, MODRT_ERR_CANCELED);  // functions never outlive their caller
        future_release(f);
    }
}

void future_retain(modrt_future* f) { f->refs.fetch_add(1, std::memory_order_relaxed); }

void future_release(modrt_future* f) {
    if (f && f->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::unique_ptr<modrt_future> owned(f);
    }
}

int future_done(const modrt_future* f) {
    std::lock_guard lock(f->mutex);
    return f->done ? 1 : 0;
}

namespace {
void wake_waiter(void* user, modrt_error_kind) {
    auto* f = static_cast<modrt_future*>(user);
    std::lock_guard lock(f->mutex);  // pairs with the waiter's check, so the wake-up is not lost
    f->finished.notify_all();
}
}  // namespace

modrt_error* future_wait(modrt_future* f, const modrt_frame* waiter) {
    // A call still queued on the pool this waiter holds a worker of might wait behind the
    // waiter itself (a one-worker pool): run it here instead, as a synchronous call would.
    if (waiter != nullptr && may_run_on(waiter, f->pool) && claim(f)) run_claimed(f);
    modrt_cancel_reg* reg = waiter ? on_cancel(const_cast<modrt_frame*>(waiter), &wake_waiter, f) : nullptr;
    modrt_error_kind cause = MODRT_ERR_UNKNOWN;
    {
        std::unique_lock lock(f->mutex);
        for (;;) {
            if (f->done) break;
            if (waiter && (cause = frame_canceled(waiter)) != 0) break;
            if (waiter && waiter->deadline_ns != 0) {
                auto until = std::chrono::steady_clock::time_point(std::chrono::nanoseconds(waiter->deadline_ns));
                f->finished.wait_until(lock, until);
            } else {
                f->finished.wait(lock);
            }
        }
    }
    off_cancel(reg);
    if (cause != 0)
        return fail(cause, std::string(cause == MODRT_ERR_TIMEOUT ? "deadline exceeded" : "canceled") +
                               " while waiting for '" + f->entry->raw.id + "'");
    return nullptr;
}

modrt_error* future_result(const modrt_future* f, modrt_value* result) {
    std::lock_guard lock(f->mutex);
    if (!f->done) return fail(MODRT_ERR_UNAVAILABLE, "the call to '" + f->entry->raw.id + "' has not finished");
    if (f->error) return clone_error(*f->error).release();
    *result = f->result;
    return nullptr;
}

int future_cancel(modrt_future* f) {
    {
        std::lock_guard lock(f->mutex);
        if (f->done) return 0;
    }
    cancel_frame(&f->frame, MODRT_ERR_CANCELED);
    return 1;
}

void future_on_done(modrt_future* f, modrt_future_cb cb, void* user) {
    {
        std::lock_guard lock(f->mutex);
        if (!f->done) {
            f->callbacks.emplace_back(cb, user);
            return;
        }
    }
    cb(user, f);
}

}  // namespace modrt::kernel
