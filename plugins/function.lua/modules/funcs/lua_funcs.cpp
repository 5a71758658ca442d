// The funcs module and its executors (lua_funcs.hpp).
//
// Each Lua C function here works in three steps: Lua work that may raise
// (arguments, conversions) with kernel objects parked in OwnedKernel
// userdata; the host call, which touches no Lua; then Lua work again to push
// what came back. No C++ object with a destructor is alive across a step
// that may raise.
#include "modules/funcs/lua_funcs.hpp"

#include "modules/call/call_args.hpp"
#include "modules/call/start_call.hpp"
#include "modules/host_modules.hpp"
#include "modules/module_binding.hpp"
#include "modules/security/lua_security_check.hpp"
#include "values/lua_owned.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

char kExecMetaKey;  // registry key (its address) of the executor metatable

// An executor: the settings its calls get (call_settings.hpp) and the module instance that
// made it. Trivially destructible: __gc frees the settings.
struct ExecBox {
    CallSettings settings;
    uint64_t binding;  ///< gate_binding when made (module_binding.hpp), or its maker's
};

ExecBox* test_exec(lua_State* L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return nullptr;
    lua_pushlightuserdata(L, &kExecMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    bool same = lua_rawequal(L, -1, -2) != 0;
    lua_pop(L, 2);
    return same ? static_cast<ExecBox*>(lua_touserdata(L, idx)) : nullptr;
}

// An executor acts only where the module that made it may (module_binding.hpp): checked
// here, as the funcs module records its objects' binding (host_modules.cpp).
const ExecBox& check_exec(lua_State* L, int idx) {
    ExecBox* e = test_exec(L, idx);
    if (e == nullptr) luaL_typerror(L, idx, "executor");
    check_recorded_binding(L, e->binding, "funcs");
    return *e;
}

int exec_gc(lua_State* L) {
    free_call_settings(&static_cast<ExecBox*>(lua_touserdata(L, 1))->settings);
    return 0;
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
    static const luaL_Reg methods[] = {{"with_context", exec_with_context},
                                       {"with_actor", exec_with_actor},
                                       {"with_scope", exec_with_scope},
                                       {"with_options", exec_with_options},
                                       {"call", exec_call},
                                       {"async", exec_async},
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

// Push a new executor with the settings and binding of `from`; null: none, bound to the
// module instance whose funcs.new runs.
ExecBox* push_exec(lua_State* L, const ExecBox* from) {
    auto* e = static_cast<ExecBox*>(lua_newuserdata(L, sizeof(ExecBox)));
    *e = ExecBox{CallSettings{}, from != nullptr ? from->binding : gate_binding(L)};
    push_exec_metatable(L);
    lua_setmetatable(L, -2);
    if (from != nullptr) copy_call_settings(&e->settings, from->settings);  // no Lua: nothing raises while the copies are made
    return e;
}

// Wippy checks an executor's security and context settings when they are
// made (the kernel checks them again on every call): see deny_unless.
int exec_with_context(lua_State* L) {
    const ExecBox& self = check_exec(L, 1);
    if (int denied = deny_unless(L, "with_context", "funcs.context", to_str("context"))) return denied;
    if (!lua_istable(L, 2)) return return_error(L, MODRT_ERR_INVALID, "with_context: expected a table of values");
    OwnedKernel* values = table_to_map(L, 2, "with_context");
    if (values == nullptr) return 2;
    ExecBox* e = push_exec(L, &self);
    merge_map(&e->settings.context, values->value);
    release_owned(values);
    return 1;
}

int exec_with_actor(lua_State* L) {
    const ExecBox& self = check_exec(L, 1);
    if (int denied = deny_unless(L, "with_actor", "funcs.security", to_str("security"))) return denied;
    ActorArg actor;
    if (int failed = read_actor_arg(L, 2, "with_actor", &actor)) return failed;
    ExecBox* e = push_exec(L, &self);
    set_actor(&e->settings, actor);
    return 1;
}

int exec_with_scope(lua_State* L) {
    const ExecBox& self = check_exec(L, 1);
    if (int denied = deny_unless(L, "with_scope", "funcs.security", to_str("security"))) return denied;
    modrt_str scope{};
    if (int failed = read_scope_arg(L, 2, "with_scope", &scope)) return failed;
    ExecBox* e = push_exec(L, &self);
    set_scope(&e->settings, scope);
    return 1;
}

int exec_with_options(lua_State* L) {
    const ExecBox& self = check_exec(L, 1);
    int64_t timeout_ns = self.settings.timeout_ns;
    OwnedKernel* opts = read_call_options(L, 2, "with_options", &timeout_ns);
    if (opts == nullptr) return 2;
    ExecBox* e = push_exec(L, &self);
    apply_call_options(&e->settings, timeout_ns, opts->value);
    release_owned(opts);
    return 1;
}

// funcs.call / funcs.async / executor:call / executor:async. The target id is
// at `id_idx`, the arguments follow it; `settings` may be null (none).
int call_target(lua_State* L, const CallSettings* settings, int id_idx, bool async) {
    int top = lua_gettop(L);
    size_t id_len = 0;
    const char* id = lua_type(L, id_idx) == LUA_TSTRING ? lua_tolstring(L, id_idx, &id_len) : nullptr;
    if (id == nullptr)
        return return_error(L, MODRT_ERR_INVALID, "the target must be a function id string (\"namespace:name\")");
    // The id string stays on the stack, below anything the call pushes.
    return start_call(L, settings, modrt_str{id, id_len}, id_idx + 1, top - id_idx, async);
}

int exec_call(lua_State* L) { return call_target(L, &check_exec(L, 1).settings, 2, false); }
int exec_async(lua_State* L) { return call_target(L, &check_exec(L, 1).settings, 2, true); }
int funcs_call(lua_State* L) { return call_target(L, nullptr, 1, false); }
int funcs_async(lua_State* L) { return call_target(L, nullptr, 1, true); }

int funcs_new(lua_State* L) {
    push_exec(L, nullptr);
    return 1;
}

}  // namespace

int open_funcs_module(lua_State* L) {
    static const luaL_Reg fns[] = {{"call", funcs_call},
                                   {"async", funcs_async},
                                   {"new", funcs_new},
                                   {nullptr, nullptr}};
    lua_createtable(L, 0, 3);
    luaL_register(L, nullptr, fns);
    // lua_require binds and seals it per requiring module (module_binding.hpp).
    return 1;
}

}  // namespace modrt::lua
