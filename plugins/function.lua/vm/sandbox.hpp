// The globals a Lua function may use, and the environment tables that keep
// one call's globals from leaking into the next.
//
// Per state there is one sandbox table (safe base functions, read-only
// proxies of string/table/math/bit/coroutine/os/errors/channel) and one shared
// metatable M for module environments. Each module (function entry or
// library) runs its chunk in its own environment table E whose metatable
// during loading is {__index = sandbox}, so top-level globals land in E
// (module-level state, per worker). Afterwards E gets M: a global a call
// creates goes through M.__newindex into a per-call scratch table, which
// M.__index then reads before the sandbox.
//
// M.__index is the sandbox between calls. Only the first global write of a
// call creates a scratch table, marks the state's CallGlobals dirty and
// points M.__index at the table; so a call that writes no globals costs no
// table operation at all. When the call ends, WorkerState points M.__index back at
// the sandbox, which drops the scratch table. A call nested in one that has
// scratch globals sets them aside and gives them back when it returns.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// Per state: whether the running call has written a global (M.__index is
/// then its scratch table, not the sandbox).
struct CallGlobals {
    bool dirty = false;
};

/// Build the sandbox and the environment metatables from the state's opened
/// libraries and store them in the registry. Call once at state creation,
/// after the errors type and the value helpers are installed. `globals`
/// must outlive the state.
void install_sandbox(lua_State* L, CallGlobals* globals);

/// A call starts while the call below it on this state has scratch globals:
/// push them (to give back later) and give the new call fresh globals.
/// Needs 5 free stack slots; never raises.
void set_aside_globals(lua_State* L, CallGlobals& globals) noexcept;
/// A call that wrote globals ended: drop its scratch globals, and give back
/// those set aside at stack index `saved` (0: none). Needs 4 free stack
/// slots; never raises.
void restore_globals(lua_State* L, CallGlobals& globals, int saved) noexcept;

/// A call starts: set_aside_globals when needed; returns whether it pushed.
inline bool begin_call_globals(lua_State* L, CallGlobals& globals) noexcept {
    if (!globals.dirty) return false;  // the common case: no table operation
    set_aside_globals(L, globals);
    return true;
}
/// A call ended: restore_globals when needed (`saved` as begin_call_globals left it).
inline void end_call_globals(lua_State* L, CallGlobals& globals, int saved) noexcept {
    if (globals.dirty || saved != 0) restore_globals(L, globals, saved);
}

/// Push the metatable of a read-only view of the table at `src`: reads go
/// through to it, writes raise "attempt to modify the read-only <what>
/// '<name>'", the metatable is hidden. May raise (allocation).
void push_readonly_meta(lua_State* L, int src, const char* what, const char* name);

/// Push a new module environment table in loading mode (writes land in it).
void push_new_module_env(lua_State* L);
/// Switch the module environment at idx from loading mode to call mode.
void seal_module_env(lua_State* L, int idx);

}  // namespace modrt::lua
