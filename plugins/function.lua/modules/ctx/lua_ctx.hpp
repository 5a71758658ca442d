// The `ctx` host module (Wippy's context.md): the running call's context.
//
//   ctx.get(key)  value, err   NOT_FOUND for a missing key, INVALID for an empty one
//   ctx.all()     table, err   every value (inherited from callers, plus what
//                              with_context added on the way down)
//
// Outside a call (a module's top level at registry load) both give INTERNAL.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// lua_CFunction opener: pushes the module table (read-only).
int open_ctx_module(lua_State* L);

}  // namespace modrt::lua
