// Read-only views of library tables (library_view.hpp).
#include "loading/library_view.hpp"

#include "chunks/library_view_bytecode.hpp"
#include "vm/sandbox.hpp"

#include <initializer_list>

namespace modrt::lua {
namespace {

// Registry keys (their addresses): the view function and the view -> table map.
char kViewFnKey;
char kViewTargetsKey;

}  // namespace

void install_library_views(lua_State* L) {
    if (luaL_loadbuffer(L, reinterpret_cast<const char*>(chunks::kLibraryViewBytecode), sizeof chunks::kLibraryViewBytecode, "=modrt.library_view") != 0) lua_error(L);
    for (const char* name : {"newproxy", "getmetatable", "setmetatable", "type", "error", "tostring", "rawget", "pairs",
                             "ipairs", "next", "unpack"})
        lua_getglobal(L, name);
    lua_call(L, 11, 7);
    // The sandbox is the __index of a module environment in loading mode (sandbox.hpp).
    push_new_module_env(L);
    lua_getmetatable(L, -1);
    lua_getfield(L, -1, "__index");
    int sb = lua_gettop(L);
    const char* replaced[] = {"pairs", "ipairs", "next", "unpack", "setmetatable"};
    for (int i = 0; i < 5; ++i) {
        lua_pushvalue(L, sb - 7 + i);
        lua_setfield(L, sb, replaced[i]);
    }
    lua_settop(L, sb - 8);  // view, targets
    lua_pushlightuserdata(L, &kViewTargetsKey);
    lua_insert(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
    lua_pushlightuserdata(L, &kViewFnKey);
    lua_insert(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

void push_library_view(lua_State* L, const char* id) {
    if (!lua_istable(L, -1)) return;
    lua_pushlightuserdata(L, &kViewFnKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_insert(L, -2);
    lua_pushstring(L, id);
    lua_call(L, 2, 1);
}

bool push_view_target(lua_State* L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_checkstack(L, 2)) return false;
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_pushlightuserdata(L, &kViewTargetsKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        return false;
    }
    lua_pushvalue(L, idx);
    lua_rawget(L, -2);
    lua_remove(L, -2);
    if (lua_istable(L, -1)) return true;
    lua_pop(L, 1);
    return false;
}

}  // namespace modrt::lua
