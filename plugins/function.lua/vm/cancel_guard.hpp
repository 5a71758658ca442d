// Cancellation that Lua code cannot swallow.
//
// The cancellation hook stops a call by raising an error, and pcall, xpcall
// and coroutine.resume catch errors: a function looping around a pcall would
// catch every raise and never end. The guarded versions installed here
// re-raise whatever they caught once the running call has been interrupted
// (canceled, or in a registry check out of its instruction budget), so the
// error unwinds all the way out; before that they behave like the originals.
//
// xpcall's message handler runs where the error was thrown, and LuaJIT runs
// no hook inside a hook: for an error the cancellation hook raised, the
// handler would run with no hook able to stop it. So the guarded xpcall does
// not run the function's handler for an interruption at all.
//
// pcall and xpcall are Lua functions over the originals, so that a coroutine
// can yield inside them (a spawned coroutine parks on a channel by yielding).
// coroutine.wrap is replaced too: LuaJIT's resumes in C, so recursion through
// it would pass no C function of ours (c_stack_guard.hpp).
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// Whether the call running on `L` has been interrupted by the cancellation
/// hook (or the check-mode budget): such an error must not be caught.
using CanceledFn = bool (*)(lua_State* L);

/// Replace pcall, xpcall, coroutine.resume and coroutine.wrap in the real
/// globals (before the sandbox copies them). Raises on allocation failure.
void install_cancel_guards(lua_State* L, CanceledFn canceled);

}  // namespace modrt::lua
