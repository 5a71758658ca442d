// The types runtime (type_runtime.hpp): written in Lua, so validating a value runs
// under the call's instruction hook and deadline like any other Lua code.
#include "typed/type_runtime.hpp"

#include "chunks/types_bytecode.hpp"

#include <initializer_list>

namespace modrt::lua {
void push_type_runtime(lua_State* L, int string_find, int errors) {
    string_find = string_find < 0 ? lua_gettop(L) + string_find + 1 : string_find;
    errors = errors < 0 ? lua_gettop(L) + errors + 1 : errors;
    if (luaL_loadbuffer(L, reinterpret_cast<const char*>(chunks::kTypesBytecode), sizeof chunks::kTypesBytecode, "=modrt.types") != 0) lua_error(L);
    lua_pushvalue(L, string_find);
    lua_pushvalue(L, errors);
    for (const char* name : {"getfenv", "setmetatable", "type", "pairs", "ipairs", "next", "error", "tostring"})
        lua_getglobal(L, name);
    lua_getglobal(L, "math");
    lua_getfield(L, -1, "floor");
    lua_getfield(L, -2, "huge");
    lua_remove(L, -3);
    lua_getglobal(L, "select");
    lua_getglobal(L, "newproxy");
    lua_getglobal(L, "getmetatable");
    lua_call(L, 15, 1);
}

}  // namespace modrt::lua
