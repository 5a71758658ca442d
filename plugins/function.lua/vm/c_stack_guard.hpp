// A bound on native (C) stack use by Lua code that recurses through C.
//
// LuaJIT 2.1 as Debian builds it has no C-call depth limit: Lua code that
// recurses through a C function (string.gsub with a function replacement,
// pcall, table.sort's comparator, a metamethod reached from C, a nested
// funcs.call) grows the native stack until the thread crashes. So every C
// function that Lua code can reach and that can call back into Lua checks
// first how much of the calling thread's stack is left, and raises a Lua error
// when too little is:
// - every C function the plugin creates (lua_pushcfunction/lua_pushcclosure)
//   runs through the wrapper install_c_stack_wrapper sets (LuaJIT's
//   LUAJIT_MODE_WRAPCFUNC), which checks before calling it;
// - LuaJIT's own library functions are not wrapped by that mode: the sandbox
//   puts the few that call back into Lua (table.sort, string.format, os.time,
//   coroutine.wrap, the string matchers) behind a C function of ours.
#pragma once

#include <lua.hpp>

#include <cstddef>

namespace modrt::lua {

/// Native stack a thread keeps free when it enters Lua once more: one level of
/// the deepest path (gsub's 8 KiB luaL_Buffer, LuaJIT's frames), the error
/// unwinding, the message handlers that run at the throw point, and the
/// host's error conversion. A thread whose whole stack is smaller than four
/// times this keeps a quarter of its stack instead.
inline constexpr size_t kCStackReserve = 256 * 1024;

/// Bytes of native stack left below the caller on the calling thread (its
/// bounds are read once per thread); SIZE_MAX when they cannot be known.
size_t c_stack_left() noexcept;

/// The reserve that applies to the calling thread (kCStackReserve, or a
/// quarter of a smaller stack).
size_t c_stack_reserve() noexcept;

/// Whether less than the reserve is left (c_stack_left() < c_stack_reserve(), reading the
/// thread's bounds once).
bool c_stack_low() noexcept;

/// Raises a Lua error ("C stack overflow: ...") when the calling thread has
/// too little native stack left to enter Lua again safely (less than the
/// reserve; inside a message handler, half of it). Call before any C function
/// calls back into Lua.
void check_c_stack(lua_State* L);

/// Route every C function the plugin creates on `L` through a wrapper that
/// runs check_c_stack first (a message handler, which runs where the error
/// was thrown, gets half the reserve). Call once at state creation.
void install_c_stack_wrapper(lua_State* L);

}  // namespace modrt::lua
