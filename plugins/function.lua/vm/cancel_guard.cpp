// pcall, xpcall, coroutine.resume and coroutine.wrap that let a cancellation through (cancel_guard.hpp).
#include "vm/cancel_guard.hpp"

#include "chunks/pcall_bytecode.hpp"


namespace modrt::lua {
namespace {

// Stack slots check() and the values a failed pcall returns need, above the caller's top.
constexpr int kReservedSlots = 32;

// Upvalue 1 of every guard: the CanceledFn as a light userdata.
bool canceled(lua_State* L) {
    auto fn = reinterpret_cast<CanceledFn>(lua_touserdata(L, lua_upvalueindex(1)));
    return fn(L);
}

// canceled(): whether the running call was interrupted (upvalue 1: the CanceledFn).
int canceled_now(lua_State* L) {
    lua_pushboolean(L, canceled(L));
    return 1;
}

// reserve(): grows the Lua stack now, while memory is there (see the chunk below).
int reserve_stack(lua_State* L) {
    lua_checkstack(L, kReservedSlots);
    return 0;
}

// collect(): a full collection, after a caught out-of-memory error.
int collect_now(lua_State* L) {
    lua_gc(L, LUA_GCCOLLECT, 0);
    return 0;
}

// coroutine.resume(co, ...) through the original (upvalue 2).
int guarded_resume(lua_State* L) {
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    if (!lua_toboolean(L, 1) && canceled(L)) {
        lua_settop(L, 2);
        return lua_error(L);
    }
    return lua_gettop(L);
}

// The function coroutine.wrap returns: resumes its coroutine (upvalue 3)
// through the original resume (upvalue 2); an error is raised again, a
// string one with the caller's position, as LuaJIT's wrap does.
int wrap_resume(lua_State* L) {
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushvalue(L, lua_upvalueindex(3));
    lua_insert(L, 1);
    lua_insert(L, 1);
    lua_call(L, n + 1, LUA_MULTRET);
    if (lua_toboolean(L, 1)) return lua_gettop(L) - 1;
    lua_settop(L, 2);
    if (!canceled(L) && lua_type(L, 2) == LUA_TSTRING) {
        luaL_where(L, 1);
        lua_insert(L, 2);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

// coroutine.wrap(f): the original create (upvalue 3) checks f.
int guarded_wrap(lua_State* L) {
    lua_settop(L, 1);
    lua_pushvalue(L, lua_upvalueindex(3));
    lua_insert(L, 1);
    lua_call(L, 1, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushvalue(L, 1);
    lua_pushcclosure(L, wrap_resume, 3);
    return 1;
}

}  // namespace

void install_cancel_guards(lua_State* L, CanceledFn fn) {
    void* ud = reinterpret_cast<void*>(fn);
    if (luaL_loadbuffer(L, reinterpret_cast<const char*>(chunks::kPcallBytecode), sizeof chunks::kPcallBytecode, "=modrt.pcall") != 0) lua_error(L);
    lua_getglobal(L, "pcall");
    lua_getglobal(L, "xpcall");
    lua_getglobal(L, "error");
    lua_pushlightuserdata(L, ud);
    lua_pushcclosure(L, canceled_now, 1);
    lua_pushcfunction(L, reserve_stack);
    lua_pushcfunction(L, collect_now);
    lua_call(L, 6, 2);
    lua_setglobal(L, "xpcall");
    lua_setglobal(L, "pcall");
    lua_getglobal(L, "coroutine");
    lua_pushlightuserdata(L, ud);
    lua_getfield(L, -2, "resume");
    lua_getfield(L, -3, "create");
    lua_pushcclosure(L, guarded_wrap, 3);
    lua_setfield(L, -2, "wrap");
    lua_pushlightuserdata(L, ud);
    lua_getfield(L, -2, "resume");
    lua_pushcclosure(L, guarded_resume, 2);
    lua_setfield(L, -2, "resume");
    lua_pop(L, 1);
}

}  // namespace modrt::lua
