// The path of one call (DESIGN.md): resolve, frame, security, interceptors, pool, kind.
#include "runtime_impl.hpp"

#include <atomic>
#include <thread>

namespace modrt::kernel {

namespace {

modrt_error* fail(modrt_error_kind kind, std::string message) { return make_error(kind, std::move(message)).release(); }

modrt_error* canceled_error(modrt_error_kind cause, std::string_view id) {
    return fail(cause, std::string(cause == MODRT_ERR_TIMEOUT ? "deadline exceeded" : "canceled") + " before '" +
                           std::string(id) + "' ran");
}

// Hooks are noexcept in the SDK; a plugin written without it must still not take the runtime down.
template <class F>
modrt_error* guarded(const LoadedPlugin* owner, std::string_view hook, F&& f) noexcept {
    try {
        return f();
    } catch (...) {
        std::string who = owner ? owner->record().name + " (" + owner->record().file.string() + ")" : "plugin";
        return fail(MODRT_ERR_INTERNAL, who + ": " + std::string(hook) + " threw an exception");
    }
}

/// A call handed to a pool. Lives on the caller's stack; the caller waits for state 2.
struct CallTask {
    modrt_task task{};
    const Entry* entry = nullptr;
    modrt_frame* frame = nullptr;
    const modrt_value* args = nullptr;
    modrt_value* result = nullptr;
    modrt_error* error = nullptr;
    // 0 pending, 1 finishing (notifying), 2 finished: the waiter leaves only at 2, so
    // the finishing thread never touches this object after the waiter is gone.
    std::atomic<uint32_t> state{0};
    const void* waiter_thread = nullptr;  // thread_marker() of the submitting thread

    /// An address unique to the calling thread (cheaper than std::this_thread::get_id()).
    static const void* thread_marker() {
        thread_local const char marker = 0;
        return &marker;
    }

    void finish() {
        if (waiter_thread == thread_marker()) {  // ran in place: the waiter is this thread, not parked
            state.store(2, std::memory_order_relaxed);
            return;
        }
        state.store(1, std::memory_order_release);
        state.notify_one();
        state.store(2, std::memory_order_release);
    }

    static void run(void* self) {
        auto* t = static_cast<CallTask*>(self);
        if (modrt_error_kind cause = frame_canceled(t->frame); cause != 0) {
            t->error = canceled_error(cause, t->entry->raw.id);
        } else {
            const Entry* e = t->entry;
            t->error = guarded(e->kind_owner, "invoke", [&] {
                return e->kind->invoke(e->kind_plugin, e->handle, t->frame, t->args, t->result);
            });
        }
        t->finish();
    }

    static void drop(void* self, modrt_error* reason) {
        auto* t = static_cast<CallTask*>(self);
        t->error = reason ? reason : fail(MODRT_ERR_UNAVAILABLE, "pool dropped the call to '" + t->entry->raw.id + "'");
        t->finish();
    }

    void wait() {
        // Spin briefly: most calls finish quickly, and parking costs ~40 µs (REFERENCE.md).
        for (int i = 0; i < 2000; ++i) {
            if (state.load(std::memory_order_acquire) == 2) return;
        }
        for (;;) {
            uint32_t s = state.load(std::memory_order_acquire);
            if (s == 2) return;
            if (s == 0) state.wait(0, std::memory_order_acquire);
            else std::this_thread::yield();
        }
    }
};

modrt_error* run_on_pool(const Entry* e, modrt_frame* frame, const modrt_value* args, modrt_value* result) {
    CallTask t;
    t.task.struct_size = sizeof(modrt_task);
    t.task.frame = frame;
    t.task.flags = MODRT_TASK_CALLER_WAITS;
    t.task.self = &t;
    t.task.run = &CallTask::run;
    t.task.drop = &CallTask::drop;
    t.entry = e;
    t.frame = frame;
    t.args = args;
    t.result = result;
    t.waiter_thread = CallTask::thread_marker();
    const PoolHandle& pool = *e->pool;
    modrt_error* refused = guarded(pool.owner, "submit", [&] { return pool.api->submit(pool.handle, &t.task); });
    if (refused != nullptr) return refused;
    t.wait();
    return t.error;
}

struct ChainStep {
    const Entry* entry;
    size_t index;
};

modrt_error* chain_invoke(void* self, modrt_frame* frame, const modrt_value* args, modrt_value* result) {
    const auto* step = static_cast<const ChainStep*>(self);
    const Entry* e = step->entry;
    if (step->index == e->interceptors.size()) return run_on_pool(e, frame, args, result);
    if (modrt_error_kind cause = frame_canceled(frame); cause != 0) return canceled_error(cause, e->raw.id);
    ChainStep next_step{e, step->index + 1};
    modrt_next next{&next_step, &chain_invoke};
    const InterceptorHandle& icpt = *e->interceptors[step->index];
    return guarded(icpt.owner, "intercept", [&] { return icpt.api->intercept(icpt.handle, frame, args, result, &next); });
}

bool valid_id(std::string_view id) {
    auto colon = id.find(':');
    return colon != std::string_view::npos && colon > 0 && colon + 1 < id.size() &&
           id.find(':', colon + 1) == std::string_view::npos;
}

/// Apply what a caller changes for this call; the frame owns whatever it introduces.
void apply_options(modrt_frame& frame, const modrt_call_options* o) {
    auto has = [&](size_t offset, size_t size) { return o->struct_size >= offset + size; };
    auto storage = [&]() -> FrameStorage& {
        if (!frame.storage) frame.storage = std::make_unique<FrameStorage>();
        return *frame.storage;
    };
    if (has(offsetof(modrt_call_options, context), sizeof(void*)) && o->context && o->context->type == MODRT_MAP &&
        !o->context->keys.empty()) {
        FrameStorage& s = storage();
        s.context = *frame.context;
        for (size_t i = 0; i < o->context->keys.size(); ++i) s.context.insert(o->context->keys[i]) = o->context->items[i];
        frame.context = &s.context;
    }
    if (has(offsetof(modrt_call_options, actor), sizeof(void*)) && o->actor) {
        FrameStorage& s = storage();
        actor_retain(o->actor);
        s.actor = o->actor;
        frame.actor = o->actor;
    }
    if (has(offsetof(modrt_call_options, scope), sizeof(modrt_str)) && o->scope.len > 0) {
        FrameStorage& s = storage();
        s.scope.assign(o->scope.ptr, o->scope.len);
        frame.scope = s.scope;
    }
    if (has(offsetof(modrt_call_options, timeout_ns), sizeof(int64_t)) && o->timeout_ns > 0) {
        int64_t deadline = now_ns() + o->timeout_ns;
        if (frame.deadline_ns == 0 || deadline < frame.deadline_ns) frame.deadline_ns = deadline;
    }
    if (has(offsetof(modrt_call_options, options), sizeof(void*)) && o->options) {
        FrameStorage& s = storage();
        s.options = *o->options;
        frame.options = &s.options;
    }
}

bool security_allows(modrt_runtime* rt, const modrt_frame& frame, std::string_view id) {
    if (rt->security == nullptr) return true;  // explicitly permissive; warned at load
    std::string_view scope = frame.scope;
    modrt_decision d = rt->security->evaluate(rt->security_plugin, frame.actor, modrt_str{scope.data(), scope.size()},
                                              modrt_str{"funcs.call", 10}, modrt_str{id.data(), id.size()}, nullptr);
    if (d == MODRT_DECISION_ALLOW) return true;
    if (d == MODRT_DECISION_DENY) return false;
    return rt->security->strict != nullptr && rt->security->strict(rt->security_plugin) == 0;
}

}  // namespace

modrt_error* dispatch(modrt_runtime* rt, const modrt_frame* parent, std::string_view id, const modrt_value* args,
                      const modrt_call_options* options, modrt_value* result) {
    if (rt->closing.load(std::memory_order_relaxed)) {
        ErrorPtr err = make_error(MODRT_ERR_UNAVAILABLE, "the runtime is shutting down; '" + std::string(id) + "' not called");
        err->retryable = false;
        return err.release();
    }
    const Entry* e = rt->find(id);
    if (e == nullptr) {  // registered ids are valid, so the shape is checked only on a miss
        if (id.empty()) return fail(MODRT_ERR_INVALID, "empty function id");
        if (!valid_id(id)) return fail(MODRT_ERR_INVALID, "function id '" + std::string(id) + "' must be namespace:name");
        return fail(MODRT_ERR_NOT_FOUND, "function '" + std::string(id) + "' not found");
    }
    if (!e->load_error.empty()) {
        ErrorPtr err = make_error(MODRT_ERR_UNAVAILABLE, "'" + std::string(id) + "' did not load: " + e->load_error);
        err->retryable = false;  // the registry must change first
        return err.release();
    }
    if (!e->callable())
        return fail(MODRT_ERR_INVALID, "'" + std::string(id) + "' is a " + e->raw.kind + " entry and cannot be called");
    uint32_t depth = parent ? parent->depth + 1 : 1;
    if (depth > rt->max_depth)
        return fail(MODRT_ERR_INVALID, "call depth limit (" + std::to_string(rt->max_depth) + ") exceeded calling '" +
                                           std::string(id) + "'");
    static const Value kNoArgs = Value::array();
    if (args == nullptr || args->type == MODRT_NIL) args = &kNoArgs;
    if (args->type != MODRT_ARRAY) return fail(MODRT_ERR_INVALID, "arguments must be an array");

    modrt_frame frame;
    frame.runtime = rt;
    frame.parent = parent;
    frame.entry = e;
    frame.depth = depth;
    frame.context = parent ? parent->context : &empty_map();
    if (parent) {
        frame.actor = parent->actor;
        frame.scope = parent->scope;
        frame.deadline_ns = parent->deadline_ns;
    }
    if (options) apply_options(frame, options);
    if (modrt_error_kind cause = frame_canceled(&frame); cause != 0) return canceled_error(cause, id);
    if (!security_allows(rt, frame, id))
        return fail(MODRT_ERR_PERMISSION_DENIED, "permission denied: funcs.call on '" + std::string(id) + "'" +
                                                     (frame.actor ? " for actor '" + frame.actor->id + "'" : ""));
    if (rt->contract) {
        if (modrt_error* invalid = rt->contract->validate_input(rt->contract_plugin, {id.data(), id.size()}, args))
            return invalid;
    }
    result->reset(MODRT_NIL);
    modrt_error* err;
    if (e->interceptors.empty()) {
        err = run_on_pool(e, &frame, args, result);
    } else {
        ChainStep first{e, 0};
        err = chain_invoke(&first, &frame, args, result);
    }
    if (err == nullptr && rt->contract) err = rt->contract->validate_output(rt->contract_plugin, {id.data(), id.size()}, result);
    return err;
}

}  // namespace modrt::kernel
