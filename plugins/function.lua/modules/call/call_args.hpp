// Reading call settings from Lua arguments: funcs' with_* executors,
// contract.open's arguments and Contract:with_*.
//
// The readers follow lua_owned.hpp's rule: what they build is parked in
// OwnedKernel userdata until it is stored, so nothing leaks when Lua raises.
// A bad argument is not raised: the reader pushes `nil, err` (INVALID) for the
// Lua function to return.
#pragma once

#include "modules/call/call_settings.hpp"
#include "values/lua_owned.hpp"

#include <modrt/abi.h>

#include <lua.hpp>

#include <cstdint>

namespace modrt::lua {

/// Convert the table at `idx` into a map in a new OwnedKernel pushed on top.
/// On failure returns nullptr with `nil, err` pushed (INVALID; the caller returns 2).
OwnedKernel* table_to_map(lua_State* L, int idx, const char* what);

/// Read the options table at `idx` (funcs' with_options, contract.open's
/// third argument, Contract:with_options): `timeout` (ms, or a duration
/// string as modrt/duration.hpp reads it) and every other key as a per-call
/// option. Pushes the map as an OwnedKernel and returns it, with *timeout_ns
/// set to the timeout or left alone when the table has none; on failure
/// pushes `nil, err` (INVALID) and returns nullptr.
OwnedKernel* read_call_options(lua_State* L, int idx, const char* what, int64_t* timeout_ns);

/// An actor argument: an Actor userdata, or a table {id = "...", meta = {...}}.
struct ActorArg {
    const modrt_actor* actor = nullptr;  ///< borrowed (the Actor at idx), or null for a table
    modrt_str id{};                      ///< the table's id (its string stays on the stack)
    OwnedKernel* meta = nullptr;         ///< the table's meta as a map, or null
};
/// Read the actor argument at `idx`. Returns 0, or pushes `nil, err` (INVALID) and returns 2.
int read_actor_arg(lua_State* L, int idx, const char* what, ActorArg* out);
/// Store the actor `a` describes in s->actor (replacing the reference it held). Never raises.
void set_actor(CallSettings* s, ActorArg& a) noexcept;

/// Read the scope argument at `idx`: a Scope userdata or a non-empty scope
/// string (valid while that value is on the stack). Returns 0, or pushes
/// `nil, err` (INVALID) and returns 2.
int read_scope_arg(lua_State* L, int idx, const char* what, modrt_str* out);

}  // namespace modrt::lua
