// Cancellation that Lua code cannot swallow.
//
// The cancellation hook stops a call by raising an error, and pcall, xpcall
// and coroutine.resume catch errors: a function looping around a pcall would
// catch every raise and never end. The guarded versions installed here
// re-raise whatever they caught once the running call has been cancelled, so
// the error unwinds all the way out; before that they behave like the
// originals.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// Whether the call running on `L` has been stopped by the cancellation hook.
using CancelledFn = bool (*)(lua_State* L);

/// Replace pcall, xpcall and coroutine.resume in the real globals (before the
/// sandbox copies them). Raises on allocation failure.
void install_cancel_guards(lua_State* L, CancelledFn cancelled);

}  // namespace modrt::lua
