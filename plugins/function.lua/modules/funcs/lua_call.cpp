// Call settings and starting calls (lua_call.hpp).
//
// Each function here that touches Lua keeps no C++ object with a destructor
// alive across a Lua API call that may raise.
#include "modules/funcs/lua_call.hpp"

#include "modules/security/lua_actor.hpp"
#include "modules/funcs/lua_call_env.hpp"
#include "values/lua_errors.hpp"
#include "modules/funcs/lua_future.hpp"
#include "modules/security/lua_scope.hpp"
#include "modules/security/lua_security_check.hpp"

#include <modrt/sdk.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace modrt::lua {
namespace {

// Free room a nested call on this state needs on the Lua stack (worker_state.cpp's kNestedStack and more).
constexpr int kNestedCallRoom = 16;

}  // namespace

void free_call_settings(CallSettings* s) noexcept {
    const modrt_host_api& h = host_api();
    h.value_free(s->context);
    h.value_free(s->options);
    h.value_free(s->scope);
    h.actor_release(s->actor);
    *s = CallSettings{};
}

void copy_call_settings(CallSettings* to, const CallSettings& from) noexcept {
    to->context = copy_value(from.context);
    to->options = copy_value(from.options);
    to->scope = copy_value(from.scope);
    to->actor = from.actor;
    if (to->actor != nullptr) host_api().actor_retain(to->actor);
    to->timeout_ns = from.timeout_ns;
}

modrt_value* copy_value(const modrt_value* v) noexcept {
    if (v == nullptr) return nullptr;
    modrt_value* out = host_api().value_new();
    host_api().value_copy(out, v);
    return out;
}

void merge_map(modrt_value** dst, const modrt_value* src, std::string_view skip) noexcept {
    const modrt_host_api& h = host_api();
    if (*dst == nullptr) {
        *dst = h.value_new();
        h.value_set_map(*dst, h.value_len(src));
    }
    for (size_t i = 0; i < h.value_len(src); ++i) {
        modrt_str key = h.value_key_at(src, i);
        if (!skip.empty() && to_view(key) == skip) continue;
        h.value_copy(h.value_insert(*dst, key), h.value_at(src, i));
    }
}

OwnedKernel* table_to_map(lua_State* L, int idx, const char* what) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    OwnedKernel* o = push_owned(L);
    if (!to_modrt_protected(L, idx, o->value, what)) {
        lua_pushnil(L);
        lua_insert(L, -2);
        return nullptr;
    }
    if (host_api().value_type(o->value) != MODRT_MAP) {
        lua_pushfstring(L, "%s: expected a table with string keys", what);
        return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
        return nullptr;
    }
    return o;
}

int64_t parse_duration_ns(std::string_view text) noexcept {
    char buf[64];
    if (text.empty() || text.size() >= sizeof buf) return -1;
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';  // strtod needs a terminator
    char* end = nullptr;
    double n = std::strtod(buf, &end);
    if (end == buf || !std::isfinite(n) || n < 0) return -1;
    std::string_view unit(end);
    double scale = 0;
    if (unit.empty() || unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else if (unit == "m") scale = 60e9;
    else if (unit == "h") scale = 3600e9;
    else if (unit == "us") scale = 1e3;
    else if (unit == "ns") scale = 1;
    else return -1;
    double ns = n * scale;
    return ns > 9.2e18 ? -1 : static_cast<int64_t>(ns);
}

OwnedKernel* read_call_options(lua_State* L, int idx, const char* what, int64_t* timeout_ns) {
    const modrt_host_api& h = host_api();
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    if (!lua_istable(L, idx)) {
        lua_pushfstring(L, "%s: expected a table of options", what);
        return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
        return nullptr;
    }
    OwnedKernel* opts = table_to_map(L, idx, what);
    if (opts == nullptr) return nullptr;
    if (const modrt_value* t = h.value_find(opts->value, to_str("timeout")); t != nullptr) {
        int64_t ns = -1;
        modrt_value_type type = h.value_type(t);
        if (type == MODRT_INT || type == MODRT_NUMBER) {
            double ms = h.value_number(t);
            ns = ms >= 0 && ms < 9.2e12 ? static_cast<int64_t>(ms * 1e6) : -1;
        } else if (type == MODRT_STRING) {
            ns = parse_duration_ns(to_view(h.value_string(t)));
        }
        if (ns < 0) {
            lua_pushfstring(L, "%s: timeout must be milliseconds (a number >= 0) or a duration like \"5s\"", what);
            return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
            return nullptr;
        }
        *timeout_ns = ns;
    }
    return opts;
}

void apply_call_options(CallSettings* s, int64_t timeout_ns, const modrt_value* options) noexcept {
    const modrt_host_api& h = host_api();
    s->timeout_ns = timeout_ns;
    if (h.value_len(options) > (h.value_find(options, to_str("timeout")) != nullptr ? 1u : 0u))
        merge_map(&s->options, options, "timeout");
}

int read_actor_arg(lua_State* L, int idx, const char* what, ActorArg* out) {
    *out = ActorArg{};
    if ((out->actor = test_actor(L, idx)) != nullptr) return 0;
    if (!lua_istable(L, idx)) {
        lua_pushfstring(L, "%s: expected an Actor (security.new_actor) or a table {id = \"...\", meta = {...}}", what);
        return return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    }
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_getfield(L, idx, "id");
    size_t len = 0;
    const char* id = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : nullptr;
    if (id == nullptr || len == 0) {
        lua_pushfstring(L, "%s: the actor needs a non-empty string id", what);
        return return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    }
    out->id = modrt_str{id, len};
    lua_getfield(L, idx, "meta");
    if (!lua_isnil(L, -1)) {
        if (!lua_istable(L, -1)) {
            lua_pushfstring(L, "%s: meta must be a table", what);
            return return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
        }
        lua_pushfstring(L, "%s meta", what);
        const char* meta_what = lua_tostring(L, -1);
        if ((out->meta = table_to_map(L, -2, meta_what)) == nullptr) return 2;
    }
    return 0;
}

void set_actor(CallSettings* s, ActorArg& a) noexcept {
    const modrt_host_api& h = host_api();
    h.actor_release(s->actor);
    if (a.actor != nullptr) {
        h.actor_retain(a.actor);
        s->actor = a.actor;
    } else {
        s->actor = h.actor_new(a.id, a.meta != nullptr ? a.meta->value : nullptr);
    }
    if (a.meta != nullptr) release_owned(a.meta);
}

int read_scope_arg(lua_State* L, int idx, const char* what, modrt_str* out) {
    *out = modrt_str{};
    if (!test_scope(L, idx, out) && lua_type(L, idx) == LUA_TSTRING) out->ptr = lua_tolstring(L, idx, &out->len);
    if (out->ptr != nullptr && out->len > 0) return 0;
    lua_pushfstring(L, "%s: expected a Scope (security module) or a scope string (\"ns:group\" or \"[ns:policy,...]\")",
                    what);
    return return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
}

void set_scope(CallSettings* s, modrt_str scope) noexcept {
    if (s->scope == nullptr) s->scope = host_api().value_new();
    host_api().value_set_string(s->scope, scope);
}

int deny_unless(lua_State* L, const char* what, const char* action, modrt_str resource) {
    if (check_permission(L, action, resource) != Permission::kDenied) return 0;
    push_denied_message(L, what, action, resource);
    return return_error(L, MODRT_ERR_PERMISSION_DENIED, lua_tostring(L, -1));
}

int start_call(lua_State* L, const CallSettings* s, modrt_str target, int first_arg, int nargs, bool async) {
    const modrt_host_api& h = host_api();
    CallEnv env = current_call(L);
    if (env.runtime == nullptr) return return_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
    if (!lua_checkstack(L, kNestedCallRoom + 8)) return luaL_error(L, "call: Lua stack overflow");

    OwnedKernel* args = push_owned(L);
    h.value_set_array(args->value, static_cast<size_t>(nargs));
    for (int i = 0; i < nargs; ++i) {
        if (!to_modrt_protected(L, first_arg + i, h.value_push(args->value), "argument")) {
            lua_pushnil(L);
            lua_insert(L, -2);
            return 2;
        }
    }
    modrt_call_options options{};
    options.struct_size = sizeof(options);
    if (s != nullptr) {
        options.context = s->context;
        options.actor = s->actor;
        if (s->scope != nullptr) options.scope = h.value_string(s->scope);
        options.timeout_ns = s->timeout_ns;
        options.options = s->options;
    }
    const modrt_call_options* opts = s != nullptr ? &options : nullptr;

    if (async) {
        FutureBox* future = push_future(L);
        modrt_future* started = nullptr;
        args->error = h.call_async(env.runtime, env.frame, target, args->value, opts, &started);
        if (args->error != nullptr) {
            lua_pushnil(L);
            push_modrt_error(L, args->error);
            release_owned(args);
            return 2;
        }
        release_owned(args);
        if (!adopt_future(future, started)) return return_error(L, MODRT_ERR_INTERNAL, "async call: out of memory");
        return 1;  // the future, on top
    }

    OwnedKernel* result = push_owned(L);
    // A callee on this thread's pool runs right here, nested on this same lua_State.
    args->error = h.call(env.runtime, env.frame, target, args->value, opts, result->value);
    if (args->error != nullptr) {
        lua_pushnil(L);
        push_modrt_error(L, args->error);
        release_owned(args);
        release_owned(result);
        return 2;
    }
    release_owned(args);
    bool ok = push_modrt_protected(L, result->value);
    release_owned(result);
    if (ok) return 1;
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
}

}  // namespace modrt::lua
