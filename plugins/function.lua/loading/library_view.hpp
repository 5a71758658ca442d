// Libraries are read-only to importers.
//
// A library.lua module is loaded once per state and shared by every module
// that imports it, so a write through one importer's `require` would reach
// every other entry's calls on that worker (one actor's closure replacing a
// library function another actor then runs). `require` therefore gives
// importers a view of a library's table: a userdata whose reads go through to
// the table (a nested table reads as a view of it, the same view while it is
// alive, so `lib.a == lib.a`), and whose writes raise "attempt to modify the
// read-only library 'ns:name'". Being userdata, views are out of reach of
// rawset, table.insert/remove/sort and setmetatable. The library's own code
// keeps its own tables (its upvalues) and changes them as it likes.
//
// The sandbox's pairs, ipairs, next and unpack see through views (yielding
// views of nested tables), `#view` is the table's length, and setmetatable
// refuses a view as a metatable with a message that says why.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// Create this state's view machinery and make the sandbox's pairs, ipairs,
/// next, unpack and setmetatable view-aware. Call once at state creation,
/// after install_sandbox (module code captures those functions when it loads).
void install_library_views(lua_State* L);

/// Replace a table on top of the stack with its read-only view named after
/// library `id`; other values stay as they are. May raise (allocation).
void push_library_view(lua_State* L, const char* id);

/// If the value at `idx` is a library view, push the table behind it and
/// return true; else push nothing and return false. Never raises. (For value
/// conversion: a view passed to funcs.call converts as its table.)
bool push_view_target(lua_State* L, int idx);

}  // namespace modrt::lua
