// Host modules are bound to the module that required them.
//
// funcs, ctx, security and contract act for whatever call runs on the state.
// A closure that captured entry A's `funcs` and got stored where entry B's
// call can run it (a library's registration table) would act with A's
// modules in B's call. So each `require` of a host module gives the
// requiring module (entry or library, by its spec) its own instance, whose
// functions refuse to act unless the running call's entry is that module or
// imports it (transitively: a library that lists `funcs` still works for its
// importers). Objects those functions return (executors, Contract values,
// contract instances, ...) carry the same binding, so they cannot be smuggled
// across entries either.
#pragma once

#include <lua.hpp>

#include <cstdint>

namespace modrt::lua {

/// Replace the table of C functions on top of the stack by a read-only
/// instance of host module `name` bound to the module whose spec serial is
/// `serial`: every function first checks the binding (raising
/// PERMISSION_DENIED "module 'funcs' was required by 'A' and cannot be used by
/// a call of 'B' ..."), and binds the userdata it returns to the same module.
/// May raise (allocation).
/// `objects_record_binding`: the module's objects record the binding themselves
/// (gate_binding, check_recorded_binding) instead of the shared table, whose lookups by
/// userdata cost a few hundred instructions per method call (the http and funcs modules').
void push_bound_module(lua_State* L, const char* name, uint64_t serial, bool objects_record_binding = false);

/// In a host module function without upvalues, called through its gate: the serial its
/// module instance is bound to, for the objects it makes to record; 0 elsewhere.
uint64_t gate_binding(lua_State* L) noexcept;

/// For objects that recorded their binding (gate_binding): raise unless an object bound
/// to `serial` may act in the running call. 0 (recorded outside a gate) is not checked.
void check_recorded_binding(lua_State* L, uint64_t serial, const char* module);

/// Wrap every function of the methods table at `idx` (a metatable's
/// __index table) so that it checks the binding of its first argument (the
/// object) and binds the userdata it returns. May raise (allocation).
void bind_methods(lua_State* L, int idx, const char* module);

/// For methods that cannot be wrapped (computed ones): raise unless the
/// object at `idx` may act in the running call.
void check_object_binding(lua_State* L, int idx, const char* module);

}  // namespace modrt::lua
