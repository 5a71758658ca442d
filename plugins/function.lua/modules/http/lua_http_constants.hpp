// The constant tables of the `http` module, as Wippy's lua/http/http.md lists
// them: METHOD, STATUS, CONTENT and TRANSFER.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// Set the constant tables, each a read-only proxy (writes raise), as fields of
/// the table at `module`. May raise (allocation).
void set_http_constants(lua_State* L, int module);

}  // namespace modrt::lua
