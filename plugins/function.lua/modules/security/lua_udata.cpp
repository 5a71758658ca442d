// Typed userdata helpers (lua_udata.hpp).
#include "modules/security/lua_udata.hpp"

#include <cstring>

namespace modrt::lua {

void push_udata_metatable(lua_State* L, const UdataType& type) {
    lua_pushlightuserdata(L, const_cast<void*>(type.key));
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    lua_createtable(L, 0, 6);
    lua_newtable(L);
    luaL_register(L, nullptr, type.methods);
    lua_setfield(L, -2, "__index");
    if (type.gc != nullptr) {
        lua_pushcfunction(L, type.gc);
        lua_setfield(L, -2, "__gc");
    }
    if (type.tostring != nullptr) {
        lua_pushcfunction(L, type.tostring);
        lua_setfield(L, -2, "__tostring");
    }
    if (type.eq != nullptr) {
        lua_pushcfunction(L, type.eq);
        lua_setfield(L, -2, "__eq");
    }
    lua_pushstring(L, type.name);
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushlightuserdata(L, const_cast<void*>(type.key));
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

void* test_udata(lua_State* L, int idx, const UdataType& type) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return nullptr;
    lua_pushlightuserdata(L, const_cast<void*>(type.key));
    lua_rawget(L, LUA_REGISTRYINDEX);
    bool same = lua_rawequal(L, -1, -2) != 0;
    lua_pop(L, 2);
    return same ? lua_touserdata(L, idx) : nullptr;
}

StringBox* push_string_box(lua_State* L, std::string_view s, const UdataType& type) {
    auto* box = static_cast<StringBox*>(lua_newuserdata(L, sizeof(StringBox) + s.size() + 1));
    box->len = s.size();
    char* text = reinterpret_cast<char*>(box + 1);
    if (!s.empty()) std::memcpy(text, s.data(), s.size());
    text[s.size()] = '\0';
    push_udata_metatable(L, type);
    lua_setmetatable(L, -2);
    return box;
}

}  // namespace modrt::lua
