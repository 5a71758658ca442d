// Future userdata (lua_future.hpp).
#include "modules/funcs/lua_future.hpp"

#include "modules/channel/lua_channel.hpp"
#include "values/lua_errors.hpp"
#include "values/lua_owned.hpp"
#include "values/lua_payload.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

#include <new>

namespace modrt::lua {
namespace {

char kFutureMetaKey;  // registry key (its address) of the future metatable

// Fields of the environment table.
constexpr const char* kPayloadField = "payload";
constexpr const char* kErrorField = "error";

FutureBox& check_future(lua_State* L, int idx) {
    FutureBox* f = test_future(L, idx);
    if (f == nullptr || f->future == nullptr) luaL_typerror(L, idx, "future");
    return *f;
}

int future_gc(lua_State* L) {
    auto* f = static_cast<FutureBox*>(lua_touserdata(L, 1));
    // An unfinished call goes on until its caller returns (the kernel ends it then).
    if (f->future != nullptr) host_api().future_release(f->future);
    f->~FutureBox();
    return 0;
}

int future_channel(lua_State* L) {
    check_future(L, 1);
    push_future_channel(L, 1);
    return 1;
}

int future_is_complete(lua_State* L) {
    lua_pushboolean(L, host_api().future_done(check_future(L, 1).future));
    return 1;
}

int future_is_canceled(lua_State* L) {
    lua_pushboolean(L, check_future(L, 1).canceled);
    return 1;
}

int future_result(lua_State* L) {
    FutureBox& f = check_future(L, 1);
    if (push_outcome(L, 1)) return 2;
    // Not finished: wait, unless the calling function is canceled first.
    OwnedKernel* o = push_owned(L);
    o->error = host_api().future_wait(f.future, current_call(L).frame);
    if (o->error != nullptr) return return_owned_error(L, o);
    release_owned(o);
    if (!push_outcome(L, 1)) return return_error(L, MODRT_ERR_INTERNAL, "future: finished but has no outcome");
    return 2;
}

// As Wippy's: the failure wrapped as a non-retryable INTERNAL error ("async call
// failed: ..." where it leaves Lua; message() is the call's own). :result() keeps
// the call's kind and retryable flag.
int future_error(lua_State* L) {
    check_future(L, 1);
    if (!push_outcome(L, 1) || lua_isnil(L, -1)) {
        lua_pushnil(L);
        lua_pushboolean(L, 0);
        return 2;
    }
    ErrorData* e = push_wrapped_error(L, -1, "async call failed");
    e->kind = MODRT_ERR_INTERNAL;
    e->retryable = 0;
    lua_pushboolean(L, 1);
    return 2;
}

int future_cancel(lua_State* L) {
    FutureBox& f = check_future(L, 1);
    bool was_running = host_api().future_cancel(f.future) != 0;
    if (was_running) f.canceled = true;
    lua_pushboolean(L, was_running);
    lua_pushnil(L);
    return 2;
}

void push_future_metatable(lua_State* L) {
    lua_pushlightuserdata(L, &kFutureMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    static const luaL_Reg methods[] = {{"response", future_channel},        {"channel", future_channel},
                                       {"is_complete", future_is_complete}, {"is_canceled", future_is_canceled},
                                       {"result", future_result},           {"error", future_error},
                                       {"cancel", future_cancel},           {nullptr, nullptr}};
    lua_createtable(L, 0, 4);
    lua_createtable(L, 0, 7);
    luaL_register(L, nullptr, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, future_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushliteral(L, "future");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushlightuserdata(L, &kFutureMetaKey);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

}  // namespace

FutureBox* push_future(lua_State* L) {
    void* mem = lua_newuserdata(L, sizeof(FutureBox));
    auto* f = new (mem) FutureBox();
    push_future_metatable(L);  // may raise: __gc is not set yet, and a FutureBox holds nothing yet
    lua_setmetatable(L, -2);
    lua_createtable(L, 0, 3);
    lua_setfenv(L, -2);
    return f;
}

bool adopt_future(FutureBox* box, modrt_future* future) noexcept {
    box->future = future;
    try {
        box->watch = FutureWatch::attach(future);
        return true;
    } catch (...) {
        return false;
    }
}

FutureBox* test_future(lua_State* L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return nullptr;
    lua_pushlightuserdata(L, &kFutureMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    bool same = lua_rawequal(L, -1, -2) != 0;
    lua_pop(L, 2);
    return same ? static_cast<FutureBox*>(lua_touserdata(L, idx)) : nullptr;
}

bool push_outcome(lua_State* L, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    FutureBox* f = test_future(L, idx);
    if (f == nullptr || f->future == nullptr) return false;
    lua_getfenv(L, idx);
    int env = lua_gettop(L);
    lua_getfield(L, env, kPayloadField);
    lua_getfield(L, env, kErrorField);
    if (!lua_isnil(L, -1) || !lua_isnil(L, -2)) {
        lua_remove(L, env);
        return true;
    }
    lua_pop(L, 2);
    if (host_api().future_done(f->future) == 0) {  // the kernel's flag: the watch learns a moment later
        lua_pop(L, 1);
        return false;
    }
    // First look at the finished call: convert its outcome once.
    OwnedKernel* o = push_owned(L);
    o->error = host_api().future_result(f->future, o->value);
    if (o->error != nullptr) {
        push_modrt_error(L, o->error);
        lua_setfield(L, env, kErrorField);
    } else if (push_modrt_protected(L, o->value)) {
        push_payload(L, -1);
        lua_setfield(L, env, kPayloadField);
        lua_pop(L, 1);
    } else {
        lua_setfield(L, env, kErrorField);  // a result Lua cannot hold (nested too deep)
    }
    release_owned(o);
    lua_settop(L, env);
    lua_getfield(L, env, kPayloadField);
    lua_getfield(L, env, kErrorField);
    lua_remove(L, env);
    return true;
}

}  // namespace modrt::lua
