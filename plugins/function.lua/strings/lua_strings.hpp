// The sandbox's string.find, string.match, string.gmatch and string.gsub:
// LuaJIT's semantics (Lua 5.1 patterns, its error messages), on modrt's own
// matcher (lua_pattern.hpp), so that a match can be canceled and its
// recursion is bounded. LuaJIT's versions run to the end in C: one
// backtracking pattern held a worker for 24 minutes past its deadline.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// Set find, match, gmatch and gsub of the table at `idx` to modrt's versions.
void install_string_matchers(lua_State* L, int idx);

}  // namespace modrt::lua
