// The ctx module (lua_ctx.hpp).
#include "modules/ctx/lua_ctx.hpp"

#include "modules/host_modules.hpp"
#include "values/lua_owned.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

// Push the context value (borrowed) as Lua: value or nil, err.
int push_context_value(lua_State* L, const modrt_value* v) {
    return push_modrt_protected(L, v) ? 1 : return_error_on_top(L);
}

int ctx_get(lua_State* L) {
    size_t len = 0;
    const char* key = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &len) : nullptr;
    if (key == nullptr || len == 0)
        return return_error(L, MODRT_ERR_INVALID, "ctx.get: the key must be a non-empty string");
    modrt_frame* frame = current_call(L).frame;
    if (frame == nullptr) return return_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
    const modrt_value* v = host_api().frame_context_get(frame, modrt_str{key, len});
    if (v == nullptr) {
        lua_pushfstring(L, "context key '%s' not found", key);
        return return_error(L, MODRT_ERR_NOT_FOUND, lua_tostring(L, -1));
    }
    return push_context_value(L, v);
}

int ctx_all(lua_State* L) {
    modrt_frame* frame = current_call(L).frame;
    if (frame == nullptr) return return_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
    const modrt_value* all = host_api().frame_context(frame);
    if (all == nullptr || host_api().value_type(all) != MODRT_MAP) {
        lua_newtable(L);
        return 1;
    }
    return push_context_value(L, all);
}

}  // namespace

int open_ctx_module(lua_State* L) {
    static const luaL_Reg fns[] = {{"get", ctx_get}, {"all", ctx_all}, {nullptr, nullptr}};
    lua_createtable(L, 0, 2);
    luaL_register(L, nullptr, fns);
    // lua_require binds and seals it per requiring module (module_binding.hpp).
    return 1;
}

}  // namespace modrt::lua
