// The path of one call (README.md, "Calling from native code"): resolve, frame, security, interceptors, pool, kind.
#include "calling/call_path.hpp"
#include "calling/call_task.hpp"
#include "calling/interceptor_chain.hpp"
#include "calling/per_call_chain.hpp"
#include "host_api/host_oom.hpp"
#include "runtime/runtime_limits.hpp"

namespace modrt::kernel {

namespace {

// An error of a kind that does not exist was made by this plugin or one it called:
// name the first plugin it passes through (a returned error is otherwise the plugin's own).
[[gnu::cold, gnu::noinline]] void name_bad_kind(modrt_error* err, const LoadedPlugin* owner, std::string_view hook) {
    if (err->message.starts_with(kBadErrorKind))
        err->message = plugin_label(owner) + ": " + std::string(hook) + " returned a " + err->message;
}

// A host function ran out of memory while the hook ran on this thread (host_oom.hpp):
// what the hook built is incomplete, so the hook fails.
[[gnu::cold, gnu::noinline]] modrt_error* hook_out_of_memory(modrt_error* err, const LoadedPlugin* owner,
                                                             std::string_view hook) noexcept {
    if (err != nullptr) return err;  // already failing: keep its own error
    try {
        return fail(MODRT_ERR_INTERNAL,
                    plugin_label(owner) + ": " + std::string(hook) +
                        " ran out of memory (a host API allocation failed; its value is incomplete)");
    } catch (...) {
        return nullptr;  // not even an error fits: the caller's own guard counts this thread's failure
    }
}

// A hook on the call path: the plugin guard (a throw becomes an error naming the plugin),
// then what the hook's return cannot say itself (host_oom.hpp, kBadErrorKind).
template <class F>
[[gnu::always_inline]] inline modrt_error* guarded(const LoadedPlugin* owner, std::string_view hook, F&& f) noexcept {
    const uint64_t failures = host_alloc_failures();
    modrt_error* err = call_plugin(owner, hook, std::forward<F>(f));
    if (host_alloc_failures() != failures) [[unlikely]]
        return hook_out_of_memory(err, owner, hook);
    if (err != nullptr && err->kind == MODRT_ERR_UNKNOWN) [[unlikely]]
        name_bad_kind(err, owner, hook);
    return err;
}

/// What an interceptor hands to next->invoke must be what the rest of the chain relies on.
modrt_error* check_next_arguments(const InterceptorHandle& caller, const modrt_frame* frame, const modrt_value* args,
                                  const modrt_value* result) {
    const char* what = frame == nullptr            ? "a null frame"
                       : args == nullptr           ? "null arguments"
                       : args->type != MODRT_ARRAY ? "arguments that are not an array"
                       : result == nullptr         ? "a null result slot"
                                                   : nullptr;
    if (what == nullptr) return nullptr;
    return fail(MODRT_ERR_INTERNAL, plugin_label(caller.owner) + ": " + caller.name + " called next with " + what);
}

/// The function itself on its pool: `on_worker` (an async call already on the pool) and
/// caller_runs pools invoke it here; other pools get a task. `checked`: cancellation was
/// checked just before (no interceptor or contract ran since), so a caller_runs pool skips it.
modrt_error* run_function(const Entry* e, modrt_frame* frame, const modrt_value* args, modrt_value* result,
                          bool on_worker, bool checked) {
    if (on_worker) return invoke_kind(e, frame, args, result);
    const PoolHandle& pool = *e->pool;
    if (pool.caller_runs) [[likely]] {  // pool.inline: its submit would only run the task
        // The check a task makes when it starts (an interceptor may have waited since dispatch's).
        if (!checked)
            if (modrt_error_kind cause = frame_canceled(frame); cause != 0) return canceled_error(cause, e->raw.id);
        CallerRunCounts::Slot& counts = pool.caller_runs_counts.this_thread();
        counts.started();
        modrt_error* err = invoke_kind(e, frame, args, result);
        counts.completed();
        return err;
    }
    return pool.synchronous ? CallTask::run_in_place(e, frame, args, result)
                            : CallTask::run_on_pool(e, frame, args, result);
}

struct ChainStep {
    const Entry* entry;
    ChainLinks links;  // the entry's own chain, or one the call's options extend
    size_t index;
    bool on_worker;  // the chain already runs on the pool (async): its end invokes directly
};

modrt_error* chain_invoke(void* self, modrt_frame* frame, const modrt_value* args, modrt_value* result) {
    const auto* step = static_cast<const ChainStep*>(self);
    const Entry* e = step->entry;
    if (step->index > 0)  // called by an interceptor, not by execute()
        if (modrt_error* bad = check_next_arguments(*step->links.data[step->index - 1], frame, args, result))
            return bad;
    if (step->index == step->links.size) return run_function(e, frame, args, result, step->on_worker, false);
    if (modrt_error_kind cause = frame_canceled(frame); cause != 0) return canceled_error(cause, e->raw.id);
    ChainStep next_step{e, step->links, step->index + 1, step->on_worker};
    modrt_next next{&next_step, &chain_invoke};
    const InterceptorHandle& icpt = *step->links.data[step->index];
    return guarded(icpt.owner, "intercept",
                   [&] { return icpt.api->intercept(icpt.handle, frame, args, result, &next); });
}

}  // namespace

modrt_error* next_invoke_with(const modrt_next* next, modrt_frame* frame, const modrt_call_options* options,
                              const modrt_value* args, modrt_value* result) {
    if (next == nullptr || next->invoke != &chain_invoke || frame == nullptr)
        return fail(MODRT_ERR_INVALID, "next_invoke_with: not the modrt_next of a running interceptor chain");
    // The same call one level down: canceling the interceptor's frame reaches it through
    // `parent`, and its own deadline (a timeout interceptor's) stops only what runs beneath.
    modrt_frame child;
    child.runtime = frame->runtime;
    child.parent = frame;
    child.entry = frame->entry;
    child.depth = frame->depth;
    child.context = frame->context;
    child.actor = frame->actor;
    child.scope = frame->scope;
    child.options = frame->options;
    child.deadline_ns = frame->deadline_ns;
    child.cancelable = frame->cancelable;
    if (options) apply_options(child, options);
    modrt_error* err = chain_invoke(next->self, &child, args, result);
    if (child.extras.load(std::memory_order_acquire) != nullptr) end_children(child);
    return err;
}

namespace {

[[gnu::cold, gnu::noinline]] modrt_error* not_an_array() {
    return fail(MODRT_ERR_INVALID, "arguments must be an array");
}

// `what`: "arguments exceed" or "result exceeds".
[[gnu::cold, gnu::noinline]] modrt_error* too_large(std::string_view id, std::string_view what, uint64_t limit) {
    ErrorPtr err = make_error(MODRT_ERR_INVALID, "'" + std::string(id) + "': " + std::string(what) +
                                                     " max_value_size (" + std::to_string(limit) + " bytes)");
    err->retryable = false;
    return err.release();
}

bool valid_id(std::string_view id) {
    auto colon = id.find(':');
    return colon != std::string_view::npos && colon > 0 && colon + 1 < id.size() &&
           id.find(':', colon + 1) == std::string_view::npos;
}

}  // namespace

modrt_error* invoke_kind(const Entry* e, modrt_frame* frame, const modrt_value* args, modrt_value* result) {
    return guarded(e->kind_owner, "invoke",
                   [&] { return e->kind->invoke(e->kind_plugin, e->handle, frame, args, result); });
}

modrt_error* submit_to_pool(modrt_runtime* rt, const Entry& e, const PoolHandle& pool, modrt_task* task) {
    PoolUse use(rt);
    if (!use) [[unlikely]]
        return shutting_down_error(e.raw.id);
    modrt_error* refused = guarded(pool.owner, "submit", [&] { return pool.api->submit(pool.handle, task); });
    // A refusal is the pool's word about itself: make sure it says which pool
    // ("pool.static is full" does, naming its type or its plugin).
    if (refused != nullptr && pool.owner != nullptr &&
        refused->message.find(pool.owner->record().name) == std::string::npos &&
        refused->message.find("pool." + pool.type) == std::string::npos) [[unlikely]]
        refused->message = plugin_label(pool.owner) + ": pool." + pool.type + " refused the call: " + refused->message;
    return refused;
}

modrt_error* shutting_down_error(std::string_view id) {
    return fail(MODRT_ERR_CANCELED, "the runtime is shutting down; '" + std::string(id) + "' did not run");
}

modrt_error* canceled_error(modrt_error_kind cause, std::string_view id) {
    return fail(cause, std::string(cause == MODRT_ERR_TIMEOUT ? "deadline exceeded" : "canceled") + " before '" +
                           std::string(id) + "' ran");
}

void apply_options(modrt_frame& frame, const modrt_call_options* o) {
    auto has = [&](size_t offset, size_t size) { return o->struct_size >= offset + size; };
    auto storage = [&]() -> FrameStorage& {
        if (!frame.storage) frame.storage = std::make_unique<FrameStorage>();
        return *frame.storage;
    };
    if (has(offsetof(modrt_call_options, context), sizeof(void*)) && o->context && o->context->type == MODRT_MAP &&
        !o->context->keys.empty()) {
        FrameStorage& s = storage();
        // A frame already holding its own context (a root frame's, made empty) merges in place:
        // copying it onto itself cost a map copy per request of an HTTP trigger.
        if (frame.context != &s.context) s.context = frame.context ? *frame.context : Value::map();
        if (s.context.type != MODRT_MAP) s.context.reset(MODRT_MAP);
        for (size_t i = 0; i < o->context->keys.size(); ++i)
            s.context.insert(o->context->keys[i]) = o->context->items[i];
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

namespace {

// Why `id` cannot be called (resolve_callable's slow path, kept out of the hot one).
[[gnu::cold, gnu::noinline]] modrt_error* unresolved(modrt_runtime* rt, std::string_view id, const Entry* e) {
    if (rt->closing.load(std::memory_order_relaxed)) {
        ErrorPtr err = make_error(MODRT_ERR_UNAVAILABLE,
                                  "the runtime is shutting down; '" + std::string(id) + "' not called");
        err->retryable = false;
        return err.release();
    }
    if (e == nullptr) {  // registered ids are valid, so the shape is checked only on a miss
        if (id.empty()) return fail(MODRT_ERR_INVALID, "empty function id");
        if (!valid_id(id))
            return fail(MODRT_ERR_INVALID, "function id '" + std::string(id) + "' must be namespace:name");
        return fail(MODRT_ERR_NOT_FOUND, "function '" + std::string(id) + "' not found");
    }
    if (!e->load_error.empty()) {
        ErrorPtr err = make_error(MODRT_ERR_UNAVAILABLE, "'" + std::string(id) + "' did not load: " + e->load_error);
        err->retryable = false;  // the registry must change first
        return err.release();
    }
    if (e->skipped) {
        ErrorPtr err = make_error(MODRT_ERR_UNAVAILABLE, "'" + std::string(id) + "' is a " + e->raw.kind +
                                                             " entry: no plugin on the plugin path serves that kind, "
                                                             "so it was skipped at load (see modrt validate)");
        err->retryable = false;
        return err.release();
    }
    if (!e->callable())
        return fail(MODRT_ERR_INVALID, "'" + std::string(id) + "' is a " + e->raw.kind + " entry and cannot be called");
    return fail(MODRT_ERR_INVALID, "call depth limit (max_depth " + std::to_string(rt->limits.max_depth) +
                                       ") exceeded calling '" + std::string(id) + "'");
}

}  // namespace

modrt_error* resolve_callable(modrt_runtime* rt, uint32_t depth, std::string_view id, const Entry** out) {
    const Entry* e = rt->closing.load(std::memory_order_relaxed) ? nullptr : rt->find(id);
    if (e != nullptr && e->load_error.empty() && e->callable() && depth <= rt->limits.max_depth) [[likely]] {
        *out = e;
        return nullptr;
    }
    return unresolved(rt, id, e);
}

modrt_error* execute(const Entry* e, modrt_frame* frame, const modrt_value* args, modrt_value* result, bool on_worker) {
    // Read the runtime before the call only: a caller on another thread may still be
    // here after the call while the runtime shuts down (it waits for callers inside pools).
    const modrt_contract_api* contract = e->contract_checked.load(std::memory_order_relaxed) ? frame->runtime->contract
                                                                                             : nullptr;
    void* contract_plugin = frame->runtime->contract_plugin;
    const uint64_t max_value_size = frame->runtime->limits.max_value_size;
    std::string_view id = e->raw.id;
    if (value_larger_than(*args, max_value_size)) return too_large(id, "arguments exceed", max_value_size);
    if (contract) {
        if (modrt_error* invalid = contract->validate_input(contract_plugin, {id.data(), id.size()}, args))
            return invalid;
    }
    result->reset(MODRT_NIL);
    ChainLinks links = own_chain(*e);
    std::unique_ptr<PerCallChain> one_off;  // a per-call chain the entry does not keep
    if (frame->options != nullptr) [[unlikely]]  // per-call options may name interceptors the entry lacks
        if (modrt_error* bad = chain_for_call(*e, *frame, links, one_off)) return bad;
    modrt_error* err;
    if (links.size == 0) {
        err = run_function(e, frame, args, result, on_worker, contract == nullptr);
    } else {
        ChainStep first{e, links, 0, on_worker};
        err = chain_invoke(&first, frame, args, result);
    }
    if (err == nullptr && result->type >= MODRT_STRING && value_larger_than(*result, max_value_size)) {
        result->reset(MODRT_NIL);
        return too_large(id, "result exceeds", max_value_size);
    }
    if (err == nullptr && contract) err = contract->validate_output(contract_plugin, {id.data(), id.size()}, result);
    return err;
}

namespace {

// The call once its entry is resolved: frame, cancellation, security, execute. Inlined into
// both ways in (by id, and a prepared entry).
[[gnu::always_inline]] inline modrt_error* call_entry(modrt_runtime* rt, const modrt_frame* parent, uint32_t depth,
                                                      const Entry* e, std::string_view id, const modrt_value* args,
                                                      const modrt_call_options* options, modrt_value* result) {
    static const Value kNoArgs = Value::array();
    if (args == nullptr || args->type == MODRT_NIL) args = &kNoArgs;
    if (args->type != MODRT_ARRAY) [[unlikely]]
        return not_an_array();

    modrt_frame frame;
    frame.runtime = rt;
    frame.parent = parent;
    frame.entry = e;
    frame.depth = depth;
    frame.context = parent ? parent->context : nullptr;
    if (parent) {
        frame.cancelable = parent->cancelable;
        frame.actor = parent->actor;
        frame.scope = parent->scope;
        frame.deadline_ns = parent->deadline_ns;
    }
    if (options) apply_options(frame, options);
    if (modrt_error_kind cause = frame_canceled(&frame); cause != 0) return canceled_error(cause, id);
    if (rt->security != nullptr)
        if (modrt_error* denied = check_call_permissions(parent, options, frame, e->raw.id)) return denied;
    modrt_error* err = execute(e, &frame, args, result, false);
    if (frame.extras.load(std::memory_order_acquire) != nullptr)
        end_children(frame);  // functions never outlive their caller
    return err;
}

}  // namespace

// flatten: resolve, execute, the pool step and the kind's invoke inline into one body, which
// saves a quarter of the instructions of a call to pool.inline; cold paths stay out (noinline).
[[gnu::flatten]] modrt_error* dispatch(modrt_runtime* rt, const modrt_frame* parent, std::string_view id,
                                       const modrt_value* args, const modrt_call_options* options,
                                       modrt_value* result) {
    const Entry* e = nullptr;
    uint32_t depth = parent ? parent->depth + 1 : 1;
    if (modrt_error* err = resolve_callable(rt, depth, id, &e)) return err;
    return call_entry(rt, parent, depth, e, id, args, options, result);
}

[[gnu::flatten]] modrt_error* dispatch_entry(modrt_runtime* rt, const modrt_frame* parent, const Entry* e,
                                             const modrt_value* args, modrt_value* result) {
    std::string_view id = e->raw.id;
    uint32_t depth = parent ? parent->depth + 1 : 1;
    // find() checked the rest once; what can change since is the runtime closing, and the depth.
    if (rt->closing.load(std::memory_order_relaxed) || depth > rt->limits.max_depth) [[unlikely]]
        if (modrt_error* err = resolve_callable(rt, depth, id, &e)) return err;
    return call_entry(rt, parent, depth, e, id, args, nullptr, result);
}

}  // namespace modrt::kernel
