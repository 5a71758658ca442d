// The `funcs` host module (Wippy's funcs.md): calling other functions.
//
//   funcs.call(id, ...)   result, err   a synchronous call; a callee's failure is `nil, err`, never raised
//   funcs.async(id, ...)  future, err   starts the call on the callee's pool (lua_future.hpp)
//   funcs.new()           executor      immutable: each with_* returns a new one
//     :with_context(t)    t's pairs are added to the context of the call and of
//                         everything beneath it (never to the caller's);
//                         needs funcs.context on "context"
//     :with_actor(a)      an Actor (lua_actor.hpp) or a table {id = "...", meta = {...}}:
//                         the actor of the call; needs funcs.security on "security"
//     :with_scope(s)      a Scope (lua_scope.hpp) or a scope string ("ns:group",
//                         "[ns:p1,ns:p2]"): the scope of the call; needs funcs.security
//                         (a with_* the running call may not use gives nil, PERMISSION_DENIED)
//     :with_options(o)    o.timeout: ms (number) or "500ms"/"5s"/...; other keys are
//                         per-call options for interceptors
//     :call(id, ...)      as funcs.call, with the executor's settings
//     :async(id, ...)     as funcs.async, with the executor's settings
//
// Every call is a child of the calling function's frame: it inherits its
// context, actor, scope and deadline, and is canceled with it.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// lua_CFunction opener: pushes the module table (read-only).
int open_funcs_module(lua_State* L);

}  // namespace modrt::lua
