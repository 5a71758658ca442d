// The globals a Lua function may use, and the environment tables that keep
// one call's globals from leaking into the next.
//
// Per state there is one sandbox table (safe base functions, read-only
// proxies of string/table/math/bit/coroutine/os/errors) and one shared
// metatable M for module environments. Each module (function entry or
// library) runs its chunk in its own environment table E whose metatable
// during loading is {__index = sandbox}, so top-level globals land in E
// (module-level state, per worker). Afterwards E gets M: a global a call
// creates goes through M.__newindex into a per-call scratch table, which
// M.__index then reads before the sandbox. WorkerState resets M.__index to
// the sandbox around every call, which drops the scratch table.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// Build the sandbox and the environment metatables from the state's opened
/// libraries and store them in the registry. Call once at state creation,
/// after the errors type and the value helpers are installed.
void install_sandbox(lua_State* L);

/// Push the sandbox table.
void push_sandbox(lua_State* L);
/// Push the metatable shared by every loaded module environment (M above).
void push_env_metatable(lua_State* L);
/// Push a new module environment table in loading mode (writes land in it).
void push_new_module_env(lua_State* L);
/// Switch the module environment at idx from loading mode to call mode.
void seal_module_env(lua_State* L, int idx);

}  // namespace modrt::lua
