// The http module (lua_http.hpp).
#include "modules/http/lua_http.hpp"

#include "modules/http/http_exchange_access.hpp"
#include "modules/http/lua_http_constants.hpp"
#include "modules/http/lua_http_request.hpp"
#include "modules/http/lua_http_response.hpp"
#include "values/lua_owned.hpp"

#include <cstdint>

namespace modrt::lua {
namespace {

// options.max_body (bytes, a number >= 0) into *max_body; pushes nil, err and
// returns false for a bad options argument. options.timeout is accepted and
// has nothing to bound: the trigger reads the body before the call starts.
bool read_request_options(lua_State* L, uint64_t* max_body) {
    if (lua_isnoneornil(L, 1)) return true;
    if (!lua_istable(L, 1)) {
        return_error(L, MODRT_ERR_INVALID, "http.request: options must be a table ({max_body = ..., timeout = ...})");
        return false;
    }
    lua_getfield(L, 1, "max_body");
    if (!lua_isnil(L, -1)) {
        lua_Number n = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : -1;
        if (!(n >= 0)) {
            return_error(L, MODRT_ERR_INVALID, "http.request: options.max_body must be a number of bytes (0 or more)");
            return false;
        }
        *max_body = n >= 18446744073709551615.0 ? UINT64_MAX : static_cast<uint64_t>(n);
    }
    lua_getfield(L, 1, "timeout");
    if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TNUMBER) {
        return_error(L, MODRT_ERR_INVALID, "http.request: options.timeout must be a number of milliseconds");
        return false;
    }
    lua_pop(L, 2);
    return true;
}

int http_request(lua_State* L) {
    uint64_t max_body = UINT64_MAX;
    if (!read_request_options(L, &max_body)) return 2;
    modrt_http_exchange* ex = running_exchange(L);
    if (ex == nullptr) return return_error(L, MODRT_ERR_INTERNAL, no_exchange_message(L));
    push_request(L, ex, max_body);
    return 1;
}

int http_response(lua_State* L) {
    modrt_http_exchange* ex = running_exchange(L);
    if (ex == nullptr) return return_error(L, MODRT_ERR_INTERNAL, no_exchange_message(L));
    push_response(L, ex);
    return 1;
}

}  // namespace

int open_http_module(lua_State* L) {
    install_exchange_error_helper(L);
    static const luaL_Reg fns[] = {{"request", http_request}, {"response", http_response}, {nullptr, nullptr}};
    lua_createtable(L, 0, 6);
    luaL_register(L, nullptr, fns);
    set_http_constants(L, -1);
    // lua_require binds and seals it per requiring module (module_binding.hpp).
    return 1;
}

}  // namespace modrt::lua
