// The funcs module and its executors (lua_funcs.hpp).
//
// Each Lua C function here works in three steps: Lua work that may raise
// (arguments, conversions) with kernel objects parked in OwnedKernel
// userdata; the host call, which touches no Lua; then Lua work again to push
// what came back. No C++ object with a destructor is alive across a step
// that may raise.
#include "lua_funcs.hpp"

#include "host_modules.hpp"
#include "lua_call_env.hpp"
#include "lua_errors.hpp"
#include "lua_future.hpp"
#include "lua_owned.hpp"

#include <modrt/sdk.hpp>

#include <cmath>
#include <cstdlib>

namespace modrt::lua {
namespace {

char kExecMetaKey;  // registry key (its address) of the executor metatable

// What an executor adds to its calls. Trivially destructible: __gc frees it.
struct ExecBox {
    modrt_value* context;       // owned map merged over the inherited context, or null
    modrt_value* options;       // owned map of per-call interceptor options, or null
    modrt_value* scope;         // owned string, or null to inherit
    const modrt_actor* actor;   // one reference, or null to inherit
    int64_t timeout_ns;         // 0: none
};

// Free room a nested call on this state needs on the Lua stack (worker_state.cpp's kNestedStack and more).
constexpr int kNestedCallRoom = 16;

ExecBox* test_exec(lua_State* L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return nullptr;
    lua_pushlightuserdata(L, &kExecMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    bool same = lua_rawequal(L, -1, -2) != 0;
    lua_pop(L, 2);
    return same ? static_cast<ExecBox*>(lua_touserdata(L, idx)) : nullptr;
}

ExecBox& check_exec(lua_State* L, int idx) {
    ExecBox* e = test_exec(L, idx);
    if (e == nullptr) luaL_typerror(L, idx, "executor");
    return *e;
}

int exec_gc(lua_State* L) {
    const modrt_host_api& h = host_api();
    auto* e = static_cast<ExecBox*>(lua_touserdata(L, 1));
    h.value_free(e->context);
    h.value_free(e->options);
    h.value_free(e->scope);
    h.actor_release(e->actor);
    *e = ExecBox{};
    return 0;
}

modrt_value* copy_value(const modrt_value* v) {
    if (v == nullptr) return nullptr;
    modrt_value* out = host_api().value_new();
    host_api().value_copy(out, v);
    return out;
}

// Merge the pairs of map `src` into *dst (created as a map when null).
void merge_map(modrt_value** dst, const modrt_value* src, std::string_view skip = {}) {
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

int exec_call(lua_State* L);
int exec_async(lua_State* L);
int exec_with_context(lua_State* L);
int exec_with_actor(lua_State* L);
int exec_with_scope(lua_State* L);
int exec_with_options(lua_State* L);

void push_exec_metatable(lua_State* L) {
    lua_pushlightuserdata(L, &kExecMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    static const luaL_Reg methods[] = {{"with_context", exec_with_context}, {"with_actor", exec_with_actor},
                                       {"with_scope", exec_with_scope},     {"with_options", exec_with_options},
                                       {"call", exec_call},                 {"async", exec_async},
                                       {nullptr, nullptr}};
    lua_createtable(L, 0, 4);
    lua_createtable(L, 0, 6);
    luaL_register(L, nullptr, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, exec_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushliteral(L, "executor");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushlightuserdata(L, &kExecMetaKey);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

// Push a new executor with the settings of `from` (null: none).
ExecBox* push_exec(lua_State* L, const ExecBox* from) {
    auto* e = static_cast<ExecBox*>(lua_newuserdata(L, sizeof(ExecBox)));
    *e = ExecBox{};
    push_exec_metatable(L);
    lua_setmetatable(L, -2);
    if (from != nullptr) {  // no Lua below: nothing raises while the copies are made
        e->context = copy_value(from->context);
        e->options = copy_value(from->options);
        e->scope = copy_value(from->scope);
        e->actor = from->actor;
        host_api().actor_retain(e->actor);
        e->timeout_ns = from->timeout_ns;
    }
    return e;
}

// Convert the table at idx into a map in a new OwnedKernel on top. On failure returns
// nullptr with `nil, err` pushed (the function returns 2).
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

int exec_with_context(lua_State* L) {
    const ExecBox& self = check_exec(L, 1);
    if (!lua_istable(L, 2)) return return_error(L, MODRT_ERR_INVALID, "with_context: expected a table of values");
    OwnedKernel* values = table_to_map(L, 2, "with_context");
    if (values == nullptr) return 2;
    ExecBox* e = push_exec(L, &self);
    merge_map(&e->context, values->value);
    release_owned(values);
    return 1;
}

int exec_with_actor(lua_State* L) {
    const ExecBox& self = check_exec(L, 1);
    if (!lua_istable(L, 2))
        return return_error(L, MODRT_ERR_INVALID, "with_actor: expected an actor {id = \"...\", meta = {...}}");
    lua_getfield(L, 2, "id");
    size_t len = 0;
    const char* id = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : nullptr;
    if (id == nullptr || len == 0) return return_error(L, MODRT_ERR_INVALID, "with_actor: the actor needs a non-empty string id");
    lua_getfield(L, 2, "meta");
    OwnedKernel* meta = nullptr;
    if (!lua_isnil(L, -1)) {
        if (!lua_istable(L, -1)) return return_error(L, MODRT_ERR_INVALID, "with_actor: meta must be a table");
        if ((meta = table_to_map(L, -1, "with_actor meta")) == nullptr) return 2;
    }
    ExecBox* e = push_exec(L, &self);
    host_api().actor_release(e->actor);
    e->actor = host_api().actor_new(modrt_str{id, len}, meta != nullptr ? meta->value : nullptr);
    if (meta != nullptr) release_owned(meta);
    return 1;
}

int exec_with_scope(lua_State* L) {
    const ExecBox& self = check_exec(L, 1);
    size_t len = 0;
    const char* scope = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &len) : nullptr;
    if (scope == nullptr || len == 0)
        return return_error(L, MODRT_ERR_INVALID, "with_scope: expected a named scope id (\"namespace:name\")");
    ExecBox* e = push_exec(L, &self);
    if (e->scope == nullptr) e->scope = host_api().value_new();
    host_api().value_set_string(e->scope, modrt_str{scope, len});
    return 1;
}

// "250ms", "5s", "1.5m", "2h", "100us", "10ns" or a plain number of milliseconds; -1 when malformed.
int64_t parse_duration_ns(std::string_view text) {
    std::string buf(text);  // strtod needs a terminator
    char* end = nullptr;
    double n = std::strtod(buf.c_str(), &end);
    if (end == buf.c_str() || !std::isfinite(n) || n < 0) return -1;
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

int exec_with_options(lua_State* L) {
    const modrt_host_api& h = host_api();
    const ExecBox& self = check_exec(L, 1);
    if (!lua_istable(L, 2)) return return_error(L, MODRT_ERR_INVALID, "with_options: expected a table of options");
    OwnedKernel* opts = table_to_map(L, 2, "with_options");
    if (opts == nullptr) return 2;
    int64_t timeout_ns = self.timeout_ns;
    if (const modrt_value* t = h.value_find(opts->value, to_str("timeout")); t != nullptr) {
        modrt_value_type type = h.value_type(t);
        if (type == MODRT_INT || type == MODRT_NUMBER) {
            double ms = h.value_number(t);
            timeout_ns = ms >= 0 && ms < 9.2e12 ? static_cast<int64_t>(ms * 1e6) : -1;
        } else if (type == MODRT_STRING) {
            // parse_duration_ns builds a std::string: keep it in a scope no Lua error crosses.
            timeout_ns = [&]() noexcept {
                try {
                    return parse_duration_ns(to_view(h.value_string(t)));
                } catch (...) {
                    return int64_t(-1);
                }
            }();
        } else {
            timeout_ns = -1;
        }
        if (timeout_ns < 0)
            return return_error(L, MODRT_ERR_INVALID,
                                "with_options: timeout must be milliseconds (a number >= 0) or a duration like \"5s\"");
    }
    ExecBox* e = push_exec(L, &self);
    e->timeout_ns = timeout_ns;
    if (h.value_len(opts->value) > (h.value_find(opts->value, to_str("timeout")) ? 1u : 0u))
        merge_map(&e->options, opts->value, "timeout");
    release_owned(opts);
    return 1;
}

// funcs.call / funcs.async / executor:call / executor:async. The target id is
// at `id_idx`, the arguments follow it; `e` may be null (no settings).
int start_call(lua_State* L, const ExecBox* e, int id_idx, bool async) {
    const modrt_host_api& h = host_api();
    int top = lua_gettop(L);
    size_t id_len = 0;
    const char* id = lua_type(L, id_idx) == LUA_TSTRING ? lua_tolstring(L, id_idx, &id_len) : nullptr;
    if (id == nullptr)
        return return_error(L, MODRT_ERR_INVALID, "the target must be a function id string (\"namespace:name\")");
    CallEnv env = current_call(L);
    if (env.runtime == nullptr) return return_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
    int nargs = top - id_idx;
    if (!lua_checkstack(L, kNestedCallRoom + 8)) return luaL_error(L, "funcs: Lua stack overflow");

    OwnedKernel* args = push_owned(L);
    h.value_set_array(args->value, static_cast<size_t>(nargs));
    for (int i = 1; i <= nargs; ++i) {
        if (!to_modrt_protected(L, id_idx + i, h.value_push(args->value), "argument")) {
            lua_pushnil(L);
            lua_insert(L, -2);
            return 2;
        }
    }
    modrt_call_options options{};
    options.struct_size = sizeof(options);
    if (e != nullptr) {
        options.context = e->context;
        options.actor = e->actor;
        if (e->scope != nullptr) options.scope = h.value_string(e->scope);
        options.timeout_ns = e->timeout_ns;
        options.options = e->options;
    }
    const modrt_call_options* opts = e != nullptr ? &options : nullptr;
    modrt_str target{id, id_len};  // the string stays on the stack, below anything the call pushes

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
        if (!adopt_future(future, started)) return return_error(L, MODRT_ERR_INTERNAL, "funcs.async: out of memory");
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

int exec_call(lua_State* L) { return start_call(L, &check_exec(L, 1), 2, false); }
int exec_async(lua_State* L) { return start_call(L, &check_exec(L, 1), 2, true); }
int funcs_call(lua_State* L) { return start_call(L, nullptr, 1, false); }
int funcs_async(lua_State* L) { return start_call(L, nullptr, 1, true); }

int funcs_new(lua_State* L) {
    push_exec(L, nullptr);
    return 1;
}

}  // namespace

int open_funcs_module(lua_State* L) {
    static const luaL_Reg fns[] = {{"call", funcs_call}, {"async", funcs_async}, {"new", funcs_new}, {nullptr, nullptr}};
    lua_createtable(L, 0, 3);
    luaL_register(L, nullptr, fns);
    seal_host_module(L, "funcs");
    return 1;
}

}  // namespace modrt::lua
