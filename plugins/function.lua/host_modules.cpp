// The table of host modules (host_modules.hpp).
#include "host_modules.hpp"

#include "lua_ctx.hpp"
#include "lua_funcs.hpp"

namespace modrt::lua {
namespace {

constexpr HostModule kModules[] = {
    {"funcs", open_funcs_module},
    {"ctx", open_ctx_module},
};

int readonly_newindex(lua_State* L) {
    return luaL_error(L, "attempt to modify the read-only module '%s'", lua_tostring(L, lua_upvalueindex(1)));
}

}  // namespace

const HostModule* find_host_module(std::string_view name) noexcept {
    for (const auto& m : kModules)
        if (name == m.name) return &m;
    return nullptr;
}

const char* host_module_names() noexcept { return "funcs, ctx"; }

void seal_host_module(lua_State* L, const char* name) {
    // A userdata, not a table: rawset cannot reach into it.
    lua_newuserdata(L, 0);
    lua_createtable(L, 0, 3);
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, name);
    lua_pushcclosure(L, readonly_newindex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_replace(L, -2);
}

}  // namespace modrt::lua
