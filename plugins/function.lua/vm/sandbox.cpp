// The sandbox: which globals exist and how they are protected (sandbox.hpp).
#include "vm/sandbox.hpp"

#include "chunks/env_bytecode.hpp"
#include "chunks/guards_bytecode.hpp"
#include "modules/channel/lua_channel.hpp"
#include "typed/type_runtime.hpp"
#include "typed/typed_translate.hpp"
#include "strings/lua_strings.hpp"
#include "values/lua_errors.hpp"
#include "vm/c_stack_guard.hpp"
#include "vm/lua_registry.hpp"

#include <modrt/sdk.hpp>

#include <cstring>

namespace modrt::lua {
namespace {

// Registry keys (their addresses).
char kSandboxKey;
char kEnvMetaKey;
char kIndexNameKey;  // the string "__index"
char kLoadingMetaKey;

// Base functions copied from the real globals. Absent on purpose: load,
// loadstring, loadfile, dofile (no code from strings or files), getfenv,
// setfenv (would reach the real globals), module, require (replaced per
// module), newproxy, gcinfo, and the io, package, debug, ffi, jit libraries.
constexpr const char* kSafeBase[] = {
    "assert",   "error", "ipairs", "next",     "pairs",  "pcall",  "xpcall",       "select",       "tonumber",
    "tostring", "type",  "unpack", "rawequal", "rawget", "rawset", "setmetatable", "getmetatable", "_VERSION",
};
// Read-only libraries shared by every call of a state (table and coroutine
// get guarded functions first, see guard_library_calls).
constexpr const char* kSafeLibs[] = {"table", "math", "bit", "coroutine"};
// The only os functions: the clock and calendar ones.
constexpr const char* kSafeOs[] = {"time", "clock", "date", "difftime"};

int readonly_newindex(lua_State* L) {
    return luaL_error(L, "attempt to modify the %s", lua_tostring(L, lua_upvalueindex(1)));
}

// Push a read-only proxy of the table at src: reads go through to it, writes
// raise. A userdata, not a table, like the host modules (seal_host_module):
// nothing that writes tables raw (rawset, table.insert, table.sort, ...)
// accepts it, and it has no keys of its own to write or iterate.
void push_readonly(lua_State* L, int src, const char* name) {
    src = src < 0 ? lua_gettop(L) + src + 1 : src;
    lua_newuserdata(L, 0);
    push_readonly_meta(L, src, "table", name);
    lua_setmetatable(L, -2);
}

// check(): raises when too little native stack is left (c_stack_guard.hpp).
// The C stack check itself happens in the wrapper every plugin C function runs through.
int stack_check(lua_State*) { return 0; }

// Push a shallow copy of the table at idx.
void push_copy(lua_State* L, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
}

// collectgarbage("count") only: a call must not drive the collector of a shared state.
int safe_collectgarbage(lua_State* L) {
    const char* opt = luaL_optstring(L, 1, "count");
    if (std::strcmp(opt, "count") != 0) return luaL_error(L, "collectgarbage: only \"count\" is allowed");
    lua_pushnumber(L, lua_gc(L, LUA_GCCOUNT, 0) + lua_gc(L, LUA_GCCOUNTB, 0) / 1024.0);
    return 1;
}

// print(...) writes one INFO line through the kernel's logger.
int sandbox_print(lua_State* L) {
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; ++i) {
        lua_pushvalue(L, lua_upvalueindex(1));  // the real tostring
        lua_pushvalue(L, i);
        lua_call(L, 1, 1);
        if (!lua_isstring(L, -1)) return luaL_error(L, "'tostring' must return a string to 'print'");
        if (i > 1) luaL_addchar(&b, '\t');
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    size_t len = 0;
    const char* s = lua_tolstring(L, -1, &len);
    log(MODRT_LOG_INFO, "function.lua", std::string_view(s, len));
    return 0;
}

// mark(): the running call has scratch globals. Upvalue 1: the state's CallGlobals.
int mark_dirty(lua_State* L) {
    static_cast<CallGlobals*>(lua_touserdata(L, lua_upvalueindex(1)))->dirty = true;
    return 0;
}

// M.__index = the value at the absolute index idx. Uses 3 stack slots. Never
// raises: M always has the key (a raw set of an existing key allocates nothing).
void set_env_index(lua_State* L, int idx) noexcept {
    push_registry(L, &kEnvMetaKey);
    push_registry(L, &kIndexNameKey);
    lua_pushvalue(L, idx);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

// M.__index = the sandbox: the scratch table of the call that ends is dropped.
void reset_env_index(lua_State* L) noexcept {
    push_registry(L, &kSandboxKey);
    set_env_index(L, lua_gettop(L));
    lua_pop(L, 1);
}

}  // namespace

void push_readonly_meta(lua_State* L, int src, const char* what, const char* name) {
    src = src < 0 ? lua_gettop(L) + src + 1 : src;
    lua_createtable(L, 0, 3);
    lua_pushvalue(L, src);
    lua_setfield(L, -2, "__index");
    lua_pushfstring(L, "read-only %s '%s'", what, name);
    lua_pushcclosure(L, readonly_newindex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
}

void install_sandbox(lua_State* L, CallGlobals* globals) {
    lua_createtable(L, 0, 32);  // the sandbox
    int sb = lua_gettop(L);
    for (const char* name : kSafeBase) {
        lua_getglobal(L, name);
        lua_setfield(L, sb, name);
    }
    lua_pushcfunction(L, safe_collectgarbage);
    lua_setfield(L, sb, "collectgarbage");
    lua_getglobal(L, "tostring");
    lua_pushcclosure(L, sandbox_print, 1);
    lua_setfield(L, sb, "print");

    // table.sort, string.format and os.time call Lua from C (comparators, __lt,
    // __tostring, __index): the sandbox's versions pass a C stack check first.
    if (luaL_loadbuffer(L, reinterpret_cast<const char*>(chunks::kGuardsBytecode), sizeof chunks::kGuardsBytecode, "=modrt.guards") != 0) lua_error(L);
    lua_pushcfunction(L, stack_check);
    lua_getglobal(L, "table");
    lua_getfield(L, -1, "sort");
    lua_replace(L, -2);
    lua_getglobal(L, "string");
    lua_getfield(L, -1, "format");
    lua_replace(L, -2);
    lua_getglobal(L, "os");
    lua_getfield(L, -1, "time");
    lua_replace(L, -2);
    lua_getglobal(L, "type");
    lua_getglobal(L, "select");
    lua_call(L, 6, 1);
    int guarded = lua_gettop(L);
    lua_getglobal(L, "table");
    push_copy(L, -1);
    lua_remove(L, -2);
    lua_getfield(L, guarded, "sort");
    lua_setfield(L, -2, "sort");
    int table_copy = lua_gettop(L);

    for (const char* name : kSafeLibs) {
        if (std::strcmp(name, "table") == 0) lua_pushvalue(L, table_copy);
        else lua_getglobal(L, name);
        push_readonly(L, -1, name);
        lua_setfield(L, sb, name);
        lua_pop(L, 1);
    }

    // string without string.dump (bytecode); strings' own methods use the same proxy.
    lua_getglobal(L, "string");
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, -3) != 0) {
        if (lua_type(L, -2) == LUA_TSTRING && std::strcmp(lua_tostring(L, -2), "dump") == 0) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    install_string_matchers(L, -1);  // find/match/gmatch/gsub that a deadline stops (lua_strings.hpp)
    push_readonly(L, -1, "string");
    lua_pushvalue(L, -1);
    lua_setfield(L, sb, "string");
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 5);

    lua_getglobal(L, "os");
    lua_createtable(L, 0, 4);
    for (const char* name : kSafeOs) {
        lua_getfield(L, -2, name);
        lua_setfield(L, -2, name);
    }
    lua_getfield(L, guarded, "time");
    lua_setfield(L, -2, "time");
    push_readonly(L, -1, "os");
    lua_setfield(L, sb, "os");
    lua_pop(L, 2);

    push_errors_module(L);
    push_readonly(L, -1, "errors");
    lua_setfield(L, sb, "errors");
    lua_pop(L, 1);

    push_channel_module(L);
    push_readonly(L, -1, "channel");
    lua_setfield(L, sb, "channel");
    lua_pop(L, 1);

    // What translated `type` declarations build their types with (typed/typed_translate.hpp).
    lua_getfield(L, sb, "string");
    lua_getfield(L, -1, "find");
    lua_getfield(L, sb, "errors");
    push_type_runtime(L, -2, -1);
    push_readonly(L, -1, typed::kTypesGlobal.data());
    lua_setfield(L, sb, typed::kTypesGlobal.data());
    lua_pop(L, 4);

    // string.format in the table behind the string proxy (which is also what
    // strings' methods index), the same way table.sort got its guard above.
    lua_getfield(L, sb, "string");
    lua_getmetatable(L, -1);
    lua_getfield(L, -1, "__index");
    lua_getfield(L, guarded, "format");
    lua_setfield(L, -2, "format");
    lua_pop(L, 4);  // the string proxy, its metatable, the table behind it, table_copy
    lua_remove(L, guarded);

    lua_pushlightuserdata(L, &kSandboxKey);
    lua_pushvalue(L, sb);
    lua_rawset(L, LUA_REGISTRYINDEX);

    // Metatable of module environments while their chunk runs.
    lua_pushlightuserdata(L, &kLoadingMetaKey);
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, sb);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_rawset(L, LUA_REGISTRYINDEX);

    // M: the metatable of module environments during calls (see sandbox.hpp).
    if (luaL_loadbuffer(L, reinterpret_cast<const char*>(chunks::kEnvBytecode), sizeof chunks::kEnvBytecode, "=modrt.env") != 0) lua_error(L);
    lua_pushvalue(L, sb);
    lua_getglobal(L, "setmetatable");
    lua_getglobal(L, "rawset");
    lua_pushlightuserdata(L, globals);
    lua_pushcclosure(L, mark_dirty, 1);
    lua_call(L, 4, 1);
    lua_pushlightuserdata(L, &kEnvMetaKey);
    lua_insert(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
    lua_pushlightuserdata(L, &kIndexNameKey);
    lua_pushliteral(L, "__index");
    lua_rawset(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);  // sandbox
}

void set_aside_globals(lua_State* L, CallGlobals& globals) noexcept {
    push_registry(L, &kEnvMetaKey);
    push_registry(L, &kIndexNameKey);
    lua_rawget(L, -2);
    lua_remove(L, -2);  // the running call's scratch table, kept on the stack
    reset_env_index(L);
    globals.dirty = false;
}

void restore_globals(lua_State* L, CallGlobals& globals, int saved) noexcept {
    if (globals.dirty) reset_env_index(L);
    globals.dirty = saved != 0;
    if (saved != 0) set_env_index(L, saved);
}

void push_new_module_env(lua_State* L) {
    lua_newtable(L);
    push_registry(L, &kLoadingMetaKey);
    lua_setmetatable(L, -2);
}

void seal_module_env(lua_State* L, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    push_registry(L, &kEnvMetaKey);
    lua_setmetatable(L, idx);
}

}  // namespace modrt::lua
