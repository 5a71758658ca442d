// Payload userdata (lua_payload.hpp). The data lives in the userdata's
// environment table, so the GC owns it; the userdata itself has no bytes.
#include "values/lua_payload.hpp"

namespace modrt::lua {
namespace {

char kPayloadMetaKey;  // registry key (its address) of the payload metatable

bool is_payload(lua_State* L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return false;
    lua_pushlightuserdata(L, &kPayloadMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    bool same = lua_rawequal(L, -1, -2) != 0;
    lua_pop(L, 2);
    return same;
}

int payload_data(lua_State* L) {
    if (!push_payload_data(L, 1)) return luaL_typerror(L, 1, "payload");
    return 1;
}

// Wippy payloads carry a format; values here are always Lua values.
int payload_format(lua_State* L) {
    if (!is_payload(L, 1)) return luaL_typerror(L, 1, "payload");
    lua_pushliteral(L, "lua");
    return 1;
}

void push_payload_metatable(lua_State* L) {
    lua_pushlightuserdata(L, &kPayloadMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    lua_createtable(L, 0, 3);
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, payload_data);
    lua_setfield(L, -2, "data");
    lua_pushcfunction(L, payload_format);
    lua_setfield(L, -2, "get_format");
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "payload");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushlightuserdata(L, &kPayloadMetaKey);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

}  // namespace

void push_payload(lua_State* L, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_newuserdata(L, 0);
    push_payload_metatable(L);
    lua_setmetatable(L, -2);
    lua_createtable(L, 1, 0);
    lua_pushvalue(L, idx);
    lua_rawseti(L, -2, 1);
    lua_setfenv(L, -2);
}

bool push_payload_data(lua_State* L, int idx) {
    if (!is_payload(L, idx)) return false;
    lua_getfenv(L, idx);
    lua_rawgeti(L, -1, 1);
    lua_remove(L, -2);
    return true;
}

}  // namespace modrt::lua
