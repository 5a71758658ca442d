// Starting a synchronous or asynchronous call as a child of the running
// function's frame: what `funcs` executors and `contract` instances call.
#pragma once

#include "modules/call/call_settings.hpp"

#include <modrt/abi.h>

#include <lua.hpp>

namespace modrt::lua {

/// Call `target` (whose bytes must stay alive until this returns, e.g. a
/// string on the stack) with the `nargs` Lua values from `first_arg` as
/// arguments and the settings `s` (may be null), as a child of the running
/// call. Sync: returns 1 (the result) or 2 (`nil, err`, the callee's error
/// as it is). Async: returns 1 (a future, lua_future.hpp) or 2.
int start_call(lua_State* L, const CallSettings* s, modrt_str target, int first_arg, int nargs, bool async);

}  // namespace modrt::lua
