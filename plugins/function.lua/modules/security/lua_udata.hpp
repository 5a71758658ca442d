// Small helpers the security values (Actor, Scope, Policy) share: a typed
// userdata is recognised by its metatable, stored once per state in the
// registry under the address of a static key.
#pragma once

#include <lua.hpp>

#include <string_view>

namespace modrt::lua {

/// What a userdata type's metatable holds. `methods` becomes __index; every
/// function may be null except `methods`.
struct UdataType {
    const void* key;          ///< registry key: the address of a static
    const char* name;         ///< __name ("Actor")
    const luaL_Reg* methods;  ///< null-terminated
    lua_CFunction gc;         ///< __gc
    lua_CFunction tostring;   ///< __tostring
    lua_CFunction eq;         ///< __eq
};

/// Push the metatable of `type`, creating it on first use (__metatable is
/// false, so Lua code can neither read nor replace it). Raises on memory errors.
void push_udata_metatable(lua_State* L, const UdataType& type);

/// The userdata at `idx` when its metatable is the one of `type`; else nullptr.
void* test_udata(lua_State* L, int idx, const UdataType& type);

/// A userdata holding a string inline (trivially destructible: no __gc).
struct StringBox {
    size_t len;  ///< then len bytes and a NUL follow the struct
    const char* text() const noexcept { return reinterpret_cast<const char*>(this + 1); }
    std::string_view view() const noexcept { return {text(), len}; }
};

/// Push a StringBox holding a copy of `s` with the metatable of `type`. Raises on memory errors.
StringBox* push_string_box(lua_State* L, std::string_view s, const UdataType& type);

}  // namespace modrt::lua
