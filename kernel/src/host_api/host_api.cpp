// The host API table: how plugins reach values, errors, frames, logging and calls.
#include "calling/async_call.hpp"
#include "calling/interceptor_chain.hpp"
#include "calling/plugin_guard.hpp"
#include "calling/root_frame.hpp"
#include "host_api/host_oom.hpp"
#include "runtime/logging.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <type_traits>

namespace modrt::kernel {

namespace {

// An error for a failure that may itself be out of memory: NULL if even that fails
// (the counted failure still fails the hook).
modrt_error* oom_error(const char* what) noexcept {
    note_host_alloc_failure();
    try {
        return make_error(MODRT_ERR_INTERNAL, std::string("out of memory: ") + what).release();
    } catch (...) {
        return nullptr;
    }
}

}  // namespace

namespace {

modrt_str out_str(const std::string& s) { return modrt_str{s.c_str(), s.size()}; }
std::string_view in_view(modrt_str s) { return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view(); }

// -- logging, memory, clock --
void h_log(modrt_log_level level, modrt_str source, modrt_str message) noexcept {
    auto lvl = static_cast<spdlog::level::level_enum>(level);
    if (!logger()->should_log(lvl)) return;
    try {
        logger()->log(lvl, "[{}] {}", in_view(source), in_view(message));
    } catch (...) {  // a log line that cannot be written is dropped
    }
}
int h_log_enabled(modrt_log_level level) {
    return logger()->should_log(static_cast<spdlog::level::level_enum>(level)) ? 1 : 0;
}
void* h_alloc(size_t size) { return std::malloc(size == 0 ? 1 : size); }
void h_free(void* p) { std::free(p); }
int64_t h_now_ns() { return now_ns(); }

// -- values --
modrt_value* h_value_new() noexcept {
    try {
        return std::make_unique<modrt_value>().release();
    } catch (...) {
        note_host_alloc_failure();
        return nullptr;  // NULL absorbs writes (host_oom.hpp)
    }
}
void h_value_free(modrt_value* v) { std::unique_ptr<modrt_value> owned(v); }
void h_value_copy(modrt_value* dst, const modrt_value* src) noexcept {
    if (dst == src || dst == nullptr) return;
    try {
        *dst = src ? *src : modrt_value();
    } catch (...) {
        dst->reset(MODRT_NIL);
        note_host_alloc_failure();
    }
}
modrt_value_type h_value_type(const modrt_value* v) { return v ? v->type : MODRT_NIL; }
int h_value_bool(const modrt_value* v) { return v && v->type == MODRT_BOOL && v->scalar.b ? 1 : 0; }
int64_t h_value_int(const modrt_value* v) {
    if (!v) return 0;
    if (v->type == MODRT_INT) return v->scalar.i;
    if (v->type == MODRT_NUMBER) return static_cast<int64_t>(v->scalar.n);
    return 0;
}
double h_value_number(const modrt_value* v) {
    if (!v) return 0;
    if (v->type == MODRT_NUMBER) return v->scalar.n;
    if (v->type == MODRT_INT) return static_cast<double>(v->scalar.i);
    return 0;
}
modrt_str h_value_string(const modrt_value* v) {
    if (!v || (v->type != MODRT_STRING && v->type != MODRT_BYTES)) return {nullptr, 0};
    return out_str(v->str);
}
size_t h_value_len(const modrt_value* v) { return v ? v->size() : 0; }
const modrt_value* h_value_at(const modrt_value* v, size_t i) {
    return v && (v->type == MODRT_ARRAY || v->type == MODRT_MAP) && i < v->items.size() ? &v->items[i] : nullptr;
}
size_t h_value_scalars(const modrt_value* v, modrt_scalar* out, size_t max) {
    if (!v || v->type != MODRT_ARRAY) return 0;
    size_t n = v->items.size();
    const modrt_value* item = v->items.data();
    for (size_t i = 0, m = std::min(n, max); i < m; ++i, ++item) {
        out[i].type = item->type;
        if (item->type == MODRT_INT || item->type == MODRT_NUMBER)
            std::memcpy(&out[i].as, &item->scalar, sizeof out[i].as);  // int64_t or double: 8 bytes either way
        else out[i].as.i = item->type == MODRT_BOOL && item->scalar.b;
    }
    return n;
}
modrt_str h_value_key_at(const modrt_value* v, size_t i) {
    return v && v->type == MODRT_MAP && i < v->keys.size() ? out_str(v->keys[i]) : modrt_str{nullptr, 0};
}
const modrt_value* h_value_find(const modrt_value* v, modrt_str key) { return v ? v->find(in_view(key)) : nullptr; }
// Every writer ignores a NULL value: what push/insert/value_new return when out of memory.
void h_set_nil(modrt_value* v) noexcept {
    if (v) v->reset(MODRT_NIL);
}
// Scalar setters skip reset() from a scalar: nothing to clear (a function's result slot starts nil).
void h_set_bool(modrt_value* v, int b) noexcept {
    if (!v) return;
    if (v->type >= MODRT_STRING) v->reset(MODRT_BOOL);
    v->type = MODRT_BOOL;
    v->scalar.i = 0;
    v->scalar.b = b != 0;
}
void h_set_int(modrt_value* v, int64_t i) noexcept {
    if (!v) return;
    if (v->type >= MODRT_STRING) v->reset(MODRT_INT);
    v->type = MODRT_INT;
    v->scalar.i = i;
}
void h_set_number(modrt_value* v, double n) noexcept {
    if (!v) return;
    if (v->type >= MODRT_STRING) v->reset(MODRT_NUMBER);
    v->type = MODRT_NUMBER;
    v->scalar.n = n;
}
// Runs `f` on `v`; an allocation failure (bad_alloc, or length_error for an absurd size)
// leaves `v` nil and is counted.
template <class F>
void write_or_nil(modrt_value* v, F&& f) noexcept {
    if (!v) return;
    try {
        f();
    } catch (...) {
        v->reset(MODRT_NIL);
        note_host_alloc_failure();
    }
}
void h_set_string(modrt_value* v, modrt_str s) noexcept {
    write_or_nil(v, [&] {
        if (v->type != MODRT_STRING) v->reset(MODRT_STRING);
        v->str.assign(in_view(s));
    });
}
void h_set_bytes(modrt_value* v, modrt_str s) noexcept {
    write_or_nil(v, [&] {
        if (v->type != MODRT_BYTES) v->reset(MODRT_BYTES);
        v->str.assign(in_view(s));
    });
}
void h_set_array(modrt_value* v, size_t reserve) noexcept {
    write_or_nil(v, [&] {
        v->reset(MODRT_ARRAY);
        v->items.reserve(reserve);
    });
}
int h_set_scalars(modrt_value* v, const modrt_scalar* in, size_t n) noexcept {
    static_assert(sizeof(modrt_value{}.scalar) == sizeof(modrt_scalar{}.as));
    if (!v || (n > 0 && !in)) return 0;
    for (size_t i = 0; i < n; ++i)
        if (in[i].type > MODRT_NUMBER) return 0;  // NIL, BOOL, INT, NUMBER are the first four
    write_or_nil(v, [&] {
        // Items are rewritten in place: a call slot reused for calls of the same shape
        // neither frees nor allocates (an item that held a string or a container is cleared).
        if (v->type != MODRT_ARRAY) v->reset(MODRT_ARRAY);
        if (v->items.size() != n) v->items.resize(n);
        modrt_value* items = v->items.data();
        for (size_t i = 0; i < n; ++i) {
            modrt_value& item = items[i];
            const modrt_value_type t = in[i].type;
            if (item.type >= MODRT_STRING) item.reset(t);
            item.type = t;
            if (t == MODRT_BOOL) {
                item.scalar.i = 0;
                item.scalar.b = in[i].as.i != 0;
            } else {  // the 8 bytes as they come: an int64_t, a double, or zero (nil)
                std::memcpy(&item.scalar, &in[i].as, sizeof item.scalar);
                if (t == MODRT_NIL) item.scalar.i = 0;
            }
        }
    });
    return v->type == MODRT_ARRAY ? 1 : 0;  // nil: out of memory (counted)
}
void h_set_map(modrt_value* v, size_t reserve) noexcept {
    write_or_nil(v, [&] {
        v->reset(MODRT_MAP);
        v->items.reserve(reserve);
        v->keys.reserve(reserve);
    });
}
modrt_value* h_push(modrt_value* v) noexcept {
    if (!v) return nullptr;
    try {
        return &v->push();
    } catch (...) {
        note_host_alloc_failure();
        return nullptr;
    }
}
modrt_value* h_insert(modrt_value* v, modrt_str key) noexcept {
    if (!v) return nullptr;
    try {
        return &v->insert(in_view(key));
    } catch (...) {
        note_host_alloc_failure();
        return nullptr;
    }
}

// -- errors --
// The error functions that allocate return NULL (a new error) or leave the error as it
// was (stack, wrap) when out of memory; the counted failure still fails the hook.
modrt_error* h_error_new(modrt_error_kind kind, modrt_str message) noexcept try {
    // A C plugin may pass any int; an out-of-range enum held by the kernel is undefined
    // behaviour in C++ (UBSan aborts on its first load), so it never gets stored. Read
    // through memcpy: a plain read of `kind` would be the very load UBSan rejects.
    std::underlying_type_t<modrt_error_kind> raw;
    std::memcpy(&raw, &kind, sizeof raw);
    if (raw > MODRT_ERR_RATE_LIMITED)
        return make_error(MODRT_ERR_UNKNOWN,
                          std::string(kBadErrorKind) + " " + std::to_string(raw) + ": " + std::string(in_view(message)))
            .release();
    return make_error(kind, std::string(in_view(message))).release();
} catch (...) {
    note_host_alloc_failure();
    return nullptr;
}
void h_error_free(modrt_error* e) { std::unique_ptr<modrt_error> owned(e); }
modrt_error* h_error_clone(const modrt_error* e) noexcept try { return clone_error(*e).release(); } catch (...) {
    note_host_alloc_failure();
    return nullptr;
}
modrt_error_kind h_error_kind(const modrt_error* e) { return e->kind; }
modrt_str h_error_message(const modrt_error* e) { return out_str(e->message); }
int h_error_retryable(const modrt_error* e) { return e->retryable ? 1 : 0; }
void h_error_set_retryable(modrt_error* e, int r) { e->retryable = r != 0; }
const modrt_value* h_error_details(const modrt_error* e) { return e->details.get(); }
modrt_value* h_error_details_mut(modrt_error* e) noexcept try {
    if (!e->details) e->details = std::make_unique<modrt_value>();
    return e->details.get();
} catch (...) {
    note_host_alloc_failure();
    return nullptr;  // NULL absorbs writes
}
modrt_str h_error_stack(const modrt_error* e) { return e->stack.empty() ? modrt_str{nullptr, 0} : out_str(e->stack); }
void h_error_set_stack(modrt_error* e, modrt_str s) noexcept try { e->stack.assign(in_view(s)); } catch (...) {
    note_host_alloc_failure();
}
void h_error_wrap(modrt_error* e, modrt_str context) noexcept try {
    e->message = std::string(in_view(context)) + ": " + e->message;
} catch (...) {
    note_host_alloc_failure();
}

// -- frames --
modrt_str h_frame_target(const modrt_frame* f) { return f->entry ? out_str(f->entry->raw.id) : modrt_str{nullptr, 0}; }
const modrt_value* h_frame_context_get(const modrt_frame* f, modrt_str key) {
    return f->context ? f->context->find(in_view(key)) : nullptr;
}
const modrt_value* h_frame_context(const modrt_frame* f) { return f->context ? f->context : &empty_map(); }
const modrt_actor* h_frame_actor(const modrt_frame* f) { return f->actor; }
modrt_str h_frame_scope(const modrt_frame* f) { return modrt_str{f->scope.data(), f->scope.size()}; }
const modrt_value* h_frame_options(const modrt_frame* f) { return f->options; }
modrt_error_kind h_frame_canceled(const modrt_frame* f) { return frame_canceled(f); }
int h_frame_stoppable(const modrt_frame* f) { return frame_stoppable(f) ? 1 : 0; }
int64_t h_frame_deadline(const modrt_frame* f) { return f->deadline_ns; }

// -- actors --
modrt_actor* h_actor_new(modrt_str id, const modrt_value* meta) noexcept try {
    auto a = std::make_unique<modrt_actor>();
    a->id.assign(in_view(id));
    if (meta && meta->type == MODRT_MAP) a->meta = *meta;
    return a.release();  // reference counted: actor_release frees it
} catch (...) {
    note_host_alloc_failure();
    return nullptr;  // an anonymous actor where one was meant: the counted failure fails the hook
}
void h_actor_retain(const modrt_actor* a) { actor_retain(a); }
void h_actor_release(const modrt_actor* a) { actor_release(a); }
modrt_str h_actor_id(const modrt_actor* a) { return out_str(a->id); }
const modrt_value* h_actor_meta(const modrt_actor* a) { return &a->meta; }

// -- calls --
modrt_error* h_call(modrt_runtime* rt, modrt_frame* parent, modrt_str id, const modrt_value* args,
                    const modrt_call_options* options, modrt_value* result) noexcept try {
    if (parent && parent->runtime != rt)
        return make_error(MODRT_ERR_INVALID, "parent frame belongs to another runtime").release();
    return dispatch(rt, parent, in_view(id), args, options, result);
} catch (...) {  // hooks are guarded: only the kernel's own allocations get here
    return oom_error("the call could not be made");
}
modrt_error* h_call_async(modrt_runtime* rt, modrt_frame* parent, modrt_str id, const modrt_value* args,
                          const modrt_call_options* options, modrt_future** out) noexcept try {
    *out = nullptr;
    if (parent && parent->runtime != rt)
        return make_error(MODRT_ERR_INVALID, "parent frame belongs to another runtime").release();
    return call_async(rt, parent, in_view(id), args, options, out);
} catch (...) {
    return oom_error("the call could not be started");
}
modrt_error* h_future_result(const modrt_future* f, modrt_value* result) noexcept try {
    return future_result(f, result);
} catch (...) {
    if (result) result->reset(MODRT_NIL);
    return oom_error("the future's result could not be copied");
}
modrt_error* h_future_wait(modrt_future* f, const modrt_frame* waiter) noexcept try {
    return future_wait(f, waiter);
} catch (...) {
    return oom_error("waiting for the future failed");
}
void h_future_on_done(modrt_future* f, modrt_future_cb cb, void* user) noexcept try {
    future_on_done(f, cb, user);
} catch (...) {  // cannot tell the plugin: the callback will not run, and its hook fails
    note_host_alloc_failure();
}
modrt_cancel_reg* h_frame_on_cancel(modrt_frame* f, modrt_cancel_cb cb, void* user) noexcept try {
    return on_cancel(f, cb, user);
} catch (...) {  // NULL: frame_off_cancel ignores it; the counted failure fails the hook
    note_host_alloc_failure();
    return nullptr;
}
void h_future_release(modrt_future* f) {
    if (!f) return;
    if (!future_done(f)) future_cancel(f);  // the caller no longer wants it: stop it
    future_release(f);
}

// -- registry and runtime --
const modrt_entry_info* h_entry_find(modrt_runtime* rt, modrt_str id) {
    const Entry* e = rt->find(in_view(id));
    return e ? &e->info : nullptr;
}

void* h_library_symbol(modrt_runtime* rt, modrt_str path, modrt_str symbol, modrt_error** error) noexcept try {
    *error = nullptr;
    std::string file(in_view(path));
    std::string name(in_view(symbol));
    try {
        std::lock_guard lock(rt->libraries_mutex);
        auto& lib = rt->libraries[file];
        if (!lib)
            lib = std::make_shared<boost::dll::shared_library>(file, boost::dll::load_mode::rtld_now |
                                                                         boost::dll::load_mode::rtld_local);
        if (!lib->has(name)) {
            *error = make_error(MODRT_ERR_NOT_FOUND, "symbol '" + name + "' not found in " + file).release();
            return nullptr;
        }
        return reinterpret_cast<void*>(lib->get<void()>(name));
    } catch (const std::exception& e) {
        rt->libraries.erase(file);
        *error = make_error(MODRT_ERR_INVALID, "cannot load " + file + ": " + e.what()).release();
        return nullptr;
    }
} catch (...) {
    *error = oom_error("the library could not be opened");
    return nullptr;
}

modrt_error* h_pool_stats(modrt_runtime* rt, modrt_str id, modrt_pool_stats* out) noexcept try {
    const Entry* e = rt->find(in_view(id));
    if (!e) return make_error(MODRT_ERR_NOT_FOUND, "function '" + std::string(in_view(id)) + "' not found").release();
    if (!e->pool) return make_error(MODRT_ERR_INVALID, "'" + e->raw.id + "' has no pool").release();
    PoolUse use(rt);
    if (!use) return make_error(MODRT_ERR_UNAVAILABLE, "the runtime is shutting down; no pool stats").release();
    e->pool->read_stats(out);
    return nullptr;
} catch (...) {
    return oom_error("pool stats");
}

modrt_decision h_security_check(const modrt_frame* f, modrt_str action, modrt_str resource, const modrt_value* meta) {
    return security_decide(f->runtime, f->actor, f->scope, in_view(action), in_view(resource), meta);
}

int h_security_allowed(const modrt_frame* f, modrt_str action, modrt_str resource, const modrt_value* meta) {
    modrt_decision d = security_decide(f->runtime, f->actor, f->scope, in_view(action), in_view(resource), meta);
    return decision_allows(f->runtime, d, f->actor, f->scope) ? 1 : 0;
}

modrt_decision h_security_evaluate(modrt_runtime* rt, const modrt_actor* actor, modrt_str scope, modrt_str action,
                                   modrt_str resource, const modrt_value* meta) {
    return security_decide(rt, actor, in_view(scope), in_view(action), in_view(resource), meta);
}

modrt_error* h_security_scope_policies(modrt_runtime* rt, modrt_str scope, modrt_value* out) {
    const modrt_security_api* api = rt->security;
    if (api == nullptr || api->scope_policies == nullptr)  // the catalog zero-fills hooks an older table lacks
        return make_error(MODRT_ERR_UNAVAILABLE, rt->security ? "the security provider does not list scopes"
                                                              : "no security provider is loaded")
            .release();
    return call_plugin(rt->security_owner, "security scope_policies",
                       [&] { return api->scope_policies(rt->security_plugin, scope, out); });
}

uint64_t h_value_size_limit(modrt_runtime* rt) {
    return rt != nullptr ? rt->limits.max_value_size : Limits{}.max_value_size;
}

modrt_error* h_next_invoke_with(const modrt_next* next, modrt_frame* frame, const modrt_call_options* options,
                                const modrt_value* args, modrt_value* result) noexcept try {
    return next_invoke_with(next, frame, options, args, result);
} catch (...) {
    return oom_error("the rest of the interceptor chain could not be called");
}

modrt_error* no_contract_provider() {
    return make_error(MODRT_ERR_UNAVAILABLE, "no contract provider is loaded (declare a contract entry)").release();
}

modrt_error* h_contract_resolve(modrt_runtime* rt, modrt_str binding, modrt_str method, modrt_value* out) {
    if (rt->contract == nullptr) return no_contract_provider();
    return rt->contract->resolve(rt->contract_plugin, binding, method, out);  // the guarded table: never throws
}

modrt_error* h_contract_describe(modrt_runtime* rt, modrt_value* out) {
    if (rt->contract == nullptr) return no_contract_provider();
    return rt->contract->describe(rt->contract_plugin, out);
}

modrt_error* h_contract_describe_binding(modrt_runtime* rt, modrt_str binding, modrt_value* out) {
    if (rt->contract == nullptr) return no_contract_provider();
    // The guarded table always has the hook: it derives the answer from describe for an older provider.
    return rt->contract->describe_binding(rt->contract_plugin, binding, out);
}

// -- minor 7: one plugin's entry offering a C interface to another (modrt/queue.h) --
const void* h_entry_interface(modrt_runtime* rt, modrt_str id, modrt_str name, void** out_self) noexcept {
    *out_self = nullptr;
    const Entry* e = rt->find(in_view(id));
    // A table shorter than minor 7 was copied into ours with the hook zeroed (ProvidedApi).
    if (e == nullptr || e->kind == nullptr || e->skipped || !e->load_error.empty() || !e->kind->entry_interface)
        return nullptr;
    return call_plugin_or<const void*>(nullptr, [&] {
        return e->kind->entry_interface(e->kind_plugin, e->handle, name, out_self);
    });
}

}  // namespace

modrt_host_api make_host_api(modrt_runtime* rt) {
    modrt_host_api h{};
    h.struct_size = sizeof(modrt_host_api);
    h.abi_major = MODRT_ABI_MAJOR;
    h.abi_minor = MODRT_ABI_MINOR;
    h.runtime = rt;
    h.log = h_log;
    h.log_enabled = h_log_enabled;
    h.alloc = h_alloc;
    h.free = h_free;
    h.now_ns = h_now_ns;
    h.value_new = h_value_new;
    h.value_free = h_value_free;
    h.value_copy = h_value_copy;
    h.value_type = h_value_type;
    h.value_bool = h_value_bool;
    h.value_int = h_value_int;
    h.value_number = h_value_number;
    h.value_string = h_value_string;
    h.value_len = h_value_len;
    h.value_at = h_value_at;
    h.value_key_at = h_value_key_at;
    h.value_scalars = h_value_scalars;
    h.frame_stoppable = h_frame_stoppable;
    h.value_find = h_value_find;
    h.value_set_nil = h_set_nil;
    h.value_set_bool = h_set_bool;
    h.value_set_int = h_set_int;
    h.value_set_number = h_set_number;
    h.value_set_string = h_set_string;
    h.value_set_bytes = h_set_bytes;
    h.value_set_array = h_set_array;
    h.value_set_map = h_set_map;
    h.value_push = h_push;
    h.value_insert = h_insert;
    h.error_new = h_error_new;
    h.error_free = h_error_free;
    h.error_clone = h_error_clone;
    h.error_kind = h_error_kind;
    h.error_message = h_error_message;
    h.error_retryable = h_error_retryable;
    h.error_set_retryable = h_error_set_retryable;
    h.error_details = h_error_details;
    h.error_details_mut = h_error_details_mut;
    h.error_stack = h_error_stack;
    h.error_set_stack = h_error_set_stack;
    h.error_wrap = h_error_wrap;
    h.frame_target = h_frame_target;
    h.frame_context_get = h_frame_context_get;
    h.frame_context = h_frame_context;
    h.frame_actor = h_frame_actor;
    h.frame_scope = h_frame_scope;
    h.frame_options = h_frame_options;
    h.frame_canceled = h_frame_canceled;
    h.frame_deadline_ns = h_frame_deadline;
    h.frame_on_cancel = h_frame_on_cancel;
    h.frame_off_cancel = off_cancel;
    h.actor_new = h_actor_new;
    h.actor_retain = h_actor_retain;
    h.actor_release = h_actor_release;
    h.actor_id = h_actor_id;
    h.actor_meta = h_actor_meta;
    h.call = h_call;
    h.call_async = h_call_async;
    h.future_done = future_done;
    h.future_wait = h_future_wait;
    h.future_result = h_future_result;
    h.future_cancel = future_cancel;
    h.future_on_done = h_future_on_done;
    h.future_release = h_future_release;
    h.entry_find = h_entry_find;
    h.library_symbol = h_library_symbol;
    h.pool_stats = h_pool_stats;
    h.security_check = h_security_check;
    h.security_allowed = h_security_allowed;
    h.security_evaluate = h_security_evaluate;
    h.security_scope_policies = h_security_scope_policies;
    h.contract_resolve = h_contract_resolve;
    h.contract_describe = h_contract_describe;
    h.contract_describe_binding = h_contract_describe_binding;
    h.root_frame_new = root_frame_new;
    h.root_frame_cancel = root_frame_cancel;
    h.root_frame_release = root_frame_release;
    h.root_frame_renew = root_frame_renew;
    h.value_set_scalars = h_set_scalars;
    h.frame_attachment = frame_attachment;
    h.next_invoke_with = h_next_invoke_with;
    h.value_size_limit = h_value_size_limit;
    h.entry_interface = h_entry_interface;
    return h;
}

}  // namespace modrt::kernel
