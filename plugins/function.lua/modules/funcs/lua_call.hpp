// The call machinery the `funcs` executors and the `contract` module share:
// the settings a call carries (context, per-call options, actor, scope,
// timeout), reading them from Lua arguments, and starting a synchronous or
// asynchronous call as a child of the running function's frame.
//
// CallSettings is trivially destructible and lives inside Lua userdata whose
// __gc calls free_call_settings. The readers below follow lua_owned.hpp's
// rule: what they build is parked in OwnedKernel userdata until it is
// stored, so nothing leaks when Lua raises.
#pragma once

#include "vm/lua_owned.hpp"

#include <modrt/abi.h>

#include <lua.hpp>

#include <cstdint>
#include <string_view>

namespace modrt::lua {

/// What a call made with an executor, a Contract or a contract instance gets.
struct CallSettings {
    modrt_value* context;      ///< owned map merged over the inherited context, or null
    modrt_value* options;      ///< owned map of per-call interceptor options, or null
    modrt_value* scope;        ///< owned string, or null to inherit
    const modrt_actor* actor;  ///< one reference, or null to inherit
    int64_t timeout_ns;        ///< 0: none
};

/// Free what `s` owns and empty it. Never raises.
void free_call_settings(CallSettings* s) noexcept;
/// Make `to` (empty) a deep copy of `from`. Never raises (no Lua).
void copy_call_settings(CallSettings* to, const CallSettings& from) noexcept;

/// A deep copy (owned) of `v`, or null for null.
modrt_value* copy_value(const modrt_value* v) noexcept;
/// Merge the pairs of map `src` into *dst (created as a map when null),
/// leaving out the key `skip` when it is not empty. Never raises.
void merge_map(modrt_value** dst, const modrt_value* src, std::string_view skip = {}) noexcept;

/// Convert the table at `idx` into a map in a new OwnedKernel pushed on top.
/// On failure returns nullptr with `nil, err` pushed (INVALID; the caller returns 2).
OwnedKernel* table_to_map(lua_State* L, int idx, const char* what);

/// "250ms", "5s", "1.5m", "2h", "100us", "10ns" or a plain number of milliseconds; -1 when malformed.
int64_t parse_duration_ns(std::string_view text) noexcept;

/// Read the options table at `idx` (funcs' with_options, contract.open's
/// third argument, Contract:with_options): `timeout` (ms, or a duration
/// string) and every other key as a per-call option. Pushes the map as an
/// OwnedKernel and returns it, with *timeout_ns set to the timeout or left
/// alone when the table has none; on failure pushes `nil, err` (INVALID)
/// and returns nullptr.
OwnedKernel* read_call_options(lua_State* L, int idx, const char* what, int64_t* timeout_ns);
/// Apply what read_call_options read: the timeout, and the options (but
/// `timeout`) merged into s->options. Never raises.
void apply_call_options(CallSettings* s, int64_t timeout_ns, const modrt_value* options) noexcept;

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
/// Store `scope` (copied) in s->scope. Never raises.
void set_scope(CallSettings* s, modrt_str scope) noexcept;

/// Wippy's non-raising permission check: 0 when the running call may do
/// `action` on `resource` (or when no call runs: a module's top level, left
/// to the kernel), else pushes `nil, err` (PERMISSION_DENIED, message
/// "<what>: permission denied: ...") and returns 2.
int deny_unless(lua_State* L, const char* what, const char* action, modrt_str resource);

/// Call `target` (whose bytes must stay alive until this returns, e.g. a
/// string on the stack) with the `nargs` Lua values from `first_arg` as
/// arguments and the settings `s` (may be null), as a child of the running
/// call. Sync: returns 1 (the result) or 2 (`nil, err`, the callee's error
/// as it is). Async: returns 1 (a future, lua_future.hpp) or 2.
int start_call(lua_State* L, const CallSettings* s, modrt_str target, int first_arg, int nargs, bool async);

}  // namespace modrt::lua
