// Telling a host object's type from its metatable by a tag stored in it, mt[1] = a light
// userdata only the type's code knows. Cheaper than fetching the type's metatable from the
// registry by a light userdata key (~250 instructions: interning the key, hashing, walking
// a chain) for a check every method call makes; as safe, since Lua code can neither reach
// these metatables (__metatable is set) nor give a userdata a metatable of its own.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// Mark the metatable at `mt` as the type `tag` (an address private to the type's code).
inline void set_type_tag(lua_State* L, int mt, const void* tag) {
    mt = mt < 0 ? lua_gettop(L) + mt + 1 : mt;
    lua_pushlightuserdata(L, const_cast<void*>(tag));
    lua_rawseti(L, mt, 1);
}

/// Whether the value at `idx` is a userdata whose metatable carries `tag`.
inline bool has_type_tag(lua_State* L, int idx, const void* tag) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return false;
    lua_rawgeti(L, -1, 1);
    bool same = lua_touserdata(L, -1) == tag;
    lua_pop(L, 2);
    return same;
}

}  // namespace modrt::lua
