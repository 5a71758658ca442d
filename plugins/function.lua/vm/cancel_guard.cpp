// pcall, xpcall, coroutine.resume and coroutine.wrap that let a cancellation through (cancel_guard.hpp).
#include "vm/cancel_guard.hpp"

namespace modrt::lua {
namespace {

// Upvalue 1 of every guard: the CanceledFn as a light userdata.
bool canceled(lua_State* L) {
    auto fn = reinterpret_cast<CanceledFn>(lua_touserdata(L, lua_upvalueindex(1)));
    return fn(L);
}

// pcall(f, ...) -> true, results... | false, err
int guarded_pcall(lua_State* L) {
    luaL_checkany(L, 1);
    int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
    if (status != 0 && canceled(L)) return lua_error(L);
    lua_pushboolean(L, status == 0);
    lua_insert(L, 1);
    return lua_gettop(L);
}

// The message handler xpcall installs: the function's handler (upvalue 2),
// except for an interruption, which passes through untouched (cancel_guard.hpp).
int xpcall_handler(lua_State* L) {
    if (canceled(L)) {
        lua_settop(L, 1);
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

// xpcall(f, handler, ...) -> true, results... | false, handler(err)
int guarded_xpcall(lua_State* L) {
    luaL_checkany(L, 2);
    int nargs = lua_gettop(L) - 2;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, xpcall_handler, 2);
    lua_replace(L, 2);  // f, handler', args...
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_replace(L, 1);
    lua_replace(L, 2);  // handler', f, args...
    int status = lua_pcall(L, nargs, LUA_MULTRET, 1);
    if (status != 0 && canceled(L)) return lua_error(L);
    lua_pushboolean(L, status == 0);
    lua_replace(L, 1);
    return lua_gettop(L);
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
    lua_pushlightuserdata(L, ud);
    lua_pushcclosure(L, guarded_pcall, 1);
    lua_setglobal(L, "pcall");
    lua_pushlightuserdata(L, ud);
    lua_pushcclosure(L, guarded_xpcall, 1);
    lua_setglobal(L, "xpcall");
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
