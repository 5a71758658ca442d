// Values the plugin keeps in a state's registry, each under the address of a static char of
// its own: unique in the process, and a light userdata key needs no string hashing.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// Push registry[key] (nil when unset).
inline void push_registry(lua_State* L, char* key) {
    lua_pushlightuserdata(L, key);
    lua_rawget(L, LUA_REGISTRYINDEX);
}

}  // namespace modrt::lua
