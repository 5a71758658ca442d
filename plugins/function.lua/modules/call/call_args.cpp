// Reading call settings from Lua arguments (call_args.hpp).
//
// Each function here keeps no C++ object with a destructor alive across a Lua
// API call that may raise.
#include "modules/call/call_args.hpp"

#include "modules/security/lua_actor.hpp"
#include "modules/security/lua_scope.hpp"
#include "values/lua_errors.hpp"

#include <modrt/duration.hpp>
#include <modrt/sdk.hpp>

#include <chrono>
#include <optional>

namespace modrt::lua {

OwnedKernel* table_to_map(lua_State* L, int idx, const char* what) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    OwnedKernel* o = push_owned(L);
    if (!to_modrt_protected(L, idx, o->value, what)) {
        return_error_on_top(L);
        return nullptr;
    }
    if (host_api().value_type(o->value) != MODRT_MAP) {
        lua_pushfstring(L, "%s: expected a table with string keys", what);
        return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
        return nullptr;
    }
    return o;
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
        // A call's timeout is added to the clock once, by the kernel: up to kMaxTimeout, not an interceptor's year.
        std::optional<std::chrono::nanoseconds> d;
        modrt_value_type type = h.value_type(t);
        if (type == MODRT_INT || type == MODRT_NUMBER) d = duration_from_ms(h.value_number(t), kMaxTimeout);
        else if (type == MODRT_STRING) d = parse_duration(to_view(h.value_string(t)), kMaxTimeout);
        if (!d) {
            lua_pushfstring(L, "%s: timeout must be milliseconds (a number >= 0) or a duration like \"5s\"", what);
            return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
            return nullptr;
        }
        *timeout_ns = d->count();
    }
    return opts;
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

}  // namespace modrt::lua
