// The path of one call (DESIGN.md): resolve, frame, security, interceptors, pool, kind.
#include "call_path.hpp"
#include "call_task.hpp"

namespace modrt::kernel {

namespace {

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

struct ChainStep {
    const Entry* entry;
    size_t index;
    bool on_worker;  // the chain already runs on the pool (async): its end invokes directly
};

modrt_error* chain_invoke(void* self, modrt_frame* frame, const modrt_value* args, modrt_value* result) {
    const auto* step = static_cast<const ChainStep*>(self);
    const Entry* e = step->entry;
    if (step->index == e->interceptors.size())
        return step->on_worker            ? invoke_kind(e, frame, args, result)
               : e->pool->synchronous ? CallTask::run_in_place(e, frame, args, result)
                                      : CallTask::run_on_pool(e, frame, args, result);
    if (modrt_error_kind cause = frame_canceled(frame); cause != 0) return canceled_error(cause, e->raw.id);
    ChainStep next_step{e, step->index + 1, step->on_worker};
    modrt_next next{&next_step, &chain_invoke};
    const InterceptorHandle& icpt = *e->interceptors[step->index];
    return guarded(icpt.owner, "intercept", [&] { return icpt.api->intercept(icpt.handle, frame, args, result, &next); });
}

bool valid_id(std::string_view id) {
    auto colon = id.find(':');
    return colon != std::string_view::npos && colon > 0 && colon + 1 < id.size() &&
           id.find(':', colon + 1) == std::string_view::npos;
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

modrt_error* invoke_kind(const Entry* e, modrt_frame* frame, const modrt_value* args, modrt_value* result) {
    return guarded(e->kind_owner, "invoke",
                   [&] { return e->kind->invoke(e->kind_plugin, e->handle, frame, args, result); });
}

modrt_error* submit_to_pool(const PoolHandle& pool, modrt_task* task) {
    return guarded(pool.owner, "submit", [&] { return pool.api->submit(pool.handle, task); });
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
        s.context = frame.context ? *frame.context : Value::map();
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

modrt_error* check_permission(const modrt_frame& frame, std::string_view id) {
    if (security_allows(frame.runtime, frame, id)) return nullptr;
    return fail(MODRT_ERR_PERMISSION_DENIED, "permission denied: funcs.call on '" + std::string(id) + "'" +
                                                 (frame.actor ? " for actor '" + frame.actor->id + "'" : ""));
}

modrt_error* resolve_callable(modrt_runtime* rt, uint32_t depth, std::string_view id, const Entry** out) {
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
    if (depth > rt->max_depth)
        return fail(MODRT_ERR_INVALID, "call depth limit (" + std::to_string(rt->max_depth) + ") exceeded calling '" +
                                           std::string(id) + "'");
    *out = e;
    return nullptr;
}

modrt_error* execute(const Entry* e, modrt_frame* frame, const modrt_value* args, modrt_value* result, bool on_worker) {
    // Read the runtime before the call only: a caller on another thread may still be
    // here after the call while the runtime shuts down (it waits for callers inside pools).
    const modrt_contract_api* contract = frame->runtime->contract;
    void* contract_plugin = frame->runtime->contract_plugin;
    std::string_view id = e->raw.id;
    if (contract) {
        if (modrt_error* invalid = contract->validate_input(contract_plugin, {id.data(), id.size()}, args))
            return invalid;
    }
    result->reset(MODRT_NIL);
    modrt_error* err;
    if (e->interceptors.empty()) {
        err = on_worker            ? invoke_kind(e, frame, args, result)
              : e->pool->synchronous ? CallTask::run_in_place(e, frame, args, result)
                                     : CallTask::run_on_pool(e, frame, args, result);
    } else {
        ChainStep first{e, 0, on_worker};
        err = chain_invoke(&first, frame, args, result);
    }
    if (err == nullptr && contract) err = contract->validate_output(contract_plugin, {id.data(), id.size()}, result);
    return err;
}

modrt_error* dispatch(modrt_runtime* rt, const modrt_frame* parent, std::string_view id, const modrt_value* args,
                      const modrt_call_options* options, modrt_value* result) {
    const Entry* e = nullptr;
    uint32_t depth = parent ? parent->depth + 1 : 1;
    if (modrt_error* err = resolve_callable(rt, depth, id, &e)) return err;
    static const Value kNoArgs = Value::array();
    if (args == nullptr || args->type == MODRT_NIL) args = &kNoArgs;
    if (args->type != MODRT_ARRAY) return fail(MODRT_ERR_INVALID, "arguments must be an array");

    modrt_frame frame;
    frame.runtime = rt;
    frame.parent = parent;
    frame.entry = e;
    frame.depth = depth;
    frame.context = parent ? parent->context : nullptr;
    if (parent) {
        frame.actor = parent->actor;
        frame.scope = parent->scope;
        frame.deadline_ns = parent->deadline_ns;
    }
    if (options) apply_options(frame, options);
    if (modrt_error_kind cause = frame_canceled(&frame); cause != 0) return canceled_error(cause, id);
    if (rt->security != nullptr)
        if (modrt_error* denied = check_permission(frame, id)) return denied;
    modrt_error* err = execute(e, &frame, args, result, false);
    if (frame.extras.load(std::memory_order_acquire) != nullptr) end_children(frame);  // functions never outlive their caller
    return err;
}

}  // namespace modrt::kernel
