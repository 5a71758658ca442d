// Host module instances bound to the module that required them (module_binding.hpp).
#include "modules/module_binding.hpp"

#include "modules/host_modules.hpp"
#include "values/lua_errors.hpp"
#include "vm/worker_state.hpp"

#include <string>

namespace modrt::lua {
namespace {

// Registry key (its address) of the weak-keyed table: host object userdata ->
// the spec serial of the module whose host module made it.
char kObjectBindingKey;

void push_object_bindings(lua_State* L) {
    lua_pushlightuserdata(L, &kObjectBindingKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_pushlightuserdata(L, &kObjectBindingKey);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

// Whether a module bound to the module with spec `serial` may act in the running call.
// Outside a call (a module's top level checked at registry load) there is nothing to act
// for: the functions report that themselves.
bool binding_allowed(lua_State* L, uint64_t serial) {
    WorkerState* ws = WorkerState::of(L);
    const ModuleSpec* running = ws != nullptr ? ws->current_spec() : nullptr;
    if (running == nullptr || running->serial == serial) return true;  // the common case: an entry's own module
    const ModuleSpec* bound = ws->loader().spec(serial);
    return bound != nullptr && running->reaches(bound->id);
}

// Raises PermissionDenied (never returns): module `name`, bound to `serial`, may not act in
// the running call.
[[gnu::cold]] void refuse_binding(lua_State* L, uint64_t serial, const char* name) {
    WorkerState* ws = WorkerState::of(L);
    const ModuleSpec* running = ws->current_spec();
    const ModuleSpec* bound = ws->loader().spec(serial);
    luaL_where(L, 1);
    std::string message = lua_tostring(L, -1);
    message += "module '" + std::string(name) + "' was required by '" +
               (bound != nullptr ? bound->id : std::string("an unknown module")) +
               "' and cannot be used by a call of '" + running->id + "' (";
    bool listed = false;
    for (const auto& m : running->modules) listed = listed || m == name;
    message += listed ? "require it in " + running->id + "'s own code"
                      : "add " + std::string(name) + " to its modules:";
    message += ")";
    raise_error(L, MODRT_ERR_PERMISSION_DENIED, message.c_str());
}

// Raise unless module `name`, bound to `serial`, may act in the running call.
void check_binding(lua_State* L, uint64_t serial, const char* name) {
    if (!binding_allowed(L, serial)) [[unlikely]]
        refuse_binding(L, serial, name);
}

// A gate's check: the module's name (upvalue 3) is read only to refuse.
void check_gate_binding(lua_State* L, uint64_t serial) {
    if (!binding_allowed(L, serial)) [[unlikely]]
        refuse_binding(L, serial, lua_tostring(L, lua_upvalueindex(3)));
}

// Bind every userdata among the `n` values on top of the stack to `serial`.
void bind_results(lua_State* L, int n, lua_Number serial) {
    int top = lua_gettop(L);
    bool any = false;
    for (int i = top - n + 1; i <= top; ++i) any = any || lua_type(L, i) == LUA_TUSERDATA;
    if (!any) return;
    push_object_bindings(L);
    for (int i = top - n + 1; i <= top; ++i) {
        if (lua_type(L, i) != LUA_TUSERDATA) continue;
        lua_pushvalue(L, i);
        lua_pushnumber(L, serial);
        lua_rawset(L, -3);
    }
    lua_pop(L, 1);
}

// Call upvalue 1 with the arguments; bind what it returns to `serial`.
int call_and_bind(lua_State* L, lua_Number serial) {
    int nargs = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, nargs, LUA_MULTRET);
    int nres = lua_gettop(L);
    bind_results(L, nres, serial);
    return nres;
}

// A module function. Upvalues: the function, the binding's spec serial, the module name.
int module_gate(lua_State* L) {
    lua_Number serial = lua_tonumber(L, lua_upvalueindex(2));
    check_gate_binding(L, static_cast<uint64_t>(serial));
    return call_and_bind(L, serial);
}

// A module function that is a C function without upvalues, called directly rather than
// through lua_call: the same check and binding for ~400 fewer instructions (a nested
// funcs.call pays the gate once per call). Upvalues: the C function (a light userdata),
// the binding's spec serial, the module name. The function sees the gate's stack, which is
// exactly its arguments; it has no upvalues of its own that the gate's could shadow.
int module_gate_direct(lua_State* L) {
    auto f = reinterpret_cast<lua_CFunction>(lua_touserdata(L, lua_upvalueindex(1)));
    lua_Number serial = lua_tonumber(L, lua_upvalueindex(2));
    check_gate_binding(L, static_cast<uint64_t>(serial));
    int nres = f(L);
    if (nres > 0) bind_results(L, nres, serial);
    return nres;
}

// module_gate_direct for a module whose objects record their binding (gate_binding reads
// upvalue 2 from within f): nothing to bind afterwards.
int module_gate_recording(lua_State* L) {
    auto f = reinterpret_cast<lua_CFunction>(lua_touserdata(L, lua_upvalueindex(1)));
    check_gate_binding(L, static_cast<uint64_t>(lua_tonumber(L, lua_upvalueindex(2))));
    return f(L);
}

// The serial the object at idx is bound to; raises when it is not bound (every
// host object is made by a gated function, so an unbound one is a bug here).
lua_Number object_serial(lua_State* L, int idx, const char* module) {
    lua_Number serial = 0;
    if (lua_type(L, idx) == LUA_TUSERDATA) {
        push_object_bindings(L);
        lua_pushvalue(L, idx);
        lua_rawget(L, -2);
        serial = lua_tonumber(L, -1);
        lua_pop(L, 2);
    }
    if (serial == 0) {
        // Not a bound object: let the method report its own argument error.
        return 0;
    }
    check_binding(L, static_cast<uint64_t>(serial), module);
    return serial;
}

// A method of a host object. Upvalues: the function, the module name.
int method_gate(lua_State* L) {
    lua_Number serial = object_serial(L, 1, lua_tostring(L, lua_upvalueindex(2)));
    if (serial == 0) {
        // Not a host object (a wrong `self`): the method raises its own bad-argument error.
        int nargs = lua_gettop(L);
        lua_pushvalue(L, lua_upvalueindex(1));
        lua_insert(L, 1);
        lua_call(L, nargs, LUA_MULTRET);
        return lua_gettop(L);
    }
    return call_and_bind(L, serial);
}

}  // namespace

void push_bound_module(lua_State* L, const char* name, uint64_t serial, bool objects_record_binding) {
    int fns = lua_gettop(L);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, fns) != 0) {
        if (lua_iscfunction(L, -1)) {
            lua_CFunction f = lua_tocfunction(L, -1);
            bool has_upvalues = lua_getupvalue(L, -1, 1) != nullptr;
            if (has_upvalues) lua_pop(L, 1);
            if (has_upvalues && objects_record_binding)  // gate_binding would read its upvalue
                luaL_error(L, "host module %s: a function with upvalues cannot record bindings", name);
            if (!has_upvalues && f != nullptr) {
                lua_pop(L, 1);
                lua_pushlightuserdata(L, reinterpret_cast<void*>(f));
            }
            lua_pushnumber(L, static_cast<lua_Number>(serial));
            lua_pushstring(L, name);
            lua_CFunction gate = has_upvalues || f == nullptr ? module_gate
                                 : objects_record_binding      ? module_gate_recording
                                                               : module_gate_direct;
            lua_pushcclosure(L, gate, 3);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, fns + 1);
    }
    lua_replace(L, fns);
    seal_host_module(L, name);
}

void bind_methods(lua_State* L, int idx, const char* module) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        if (!lua_iscfunction(L, -1)) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushstring(L, module);
        lua_pushcclosure(L, method_gate, 2);
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, idx);  // an existing key: next() stays valid
    }
}

void check_object_binding(lua_State* L, int idx, const char* module) { object_serial(L, idx, module); }

uint64_t gate_binding(lua_State* L) noexcept {
    // module_gate_recording calls f in its own frame, so upvalue 2 is the gate's serial (f
    // has no upvalues of its own: push_bound_module refuses those). Called without a gate,
    // the upvalue does not exist and lua_tonumber gives 0.
    return static_cast<uint64_t>(lua_tonumber(L, lua_upvalueindex(2)));
}

void check_recorded_binding(lua_State* L, uint64_t serial, const char* module) {
    if (serial != 0) check_binding(L, serial, module);
}

}  // namespace modrt::lua
