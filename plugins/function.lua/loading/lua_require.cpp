// The sandboxed `require` (lua_require.hpp).
#include "loading/lua_require.hpp"

#include "loading/library_view.hpp"
#include "modules/host_modules.hpp"
#include "modules/module_binding.hpp"

#include <string_view>

namespace modrt::lua {
namespace {

// Registry key of the per-state table of opened host modules: name -> {spec serial -> instance}.
char kHostModulesKey;

// Push the instance of host module `m` bound to the module with spec `serial`
// (module_binding.hpp), made once per state and module.
void push_host_module(lua_State* L, const HostModule& m, uint64_t serial) {
    lua_pushlightuserdata(L, &kHostModulesKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushlightuserdata(L, &kHostModulesKey);
        lua_pushvalue(L, -2);
        lua_rawset(L, LUA_REGISTRYINDEX);
    }
    lua_getfield(L, -1, m.name);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, m.name);
    }
    lua_remove(L, -2);
    lua_pushnumber(L, static_cast<lua_Number>(serial));
    lua_rawget(L, -2);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushcfunction(L, m.open);
        lua_call(L, 0, 1);
        push_bound_module(L, m.name, serial, m.objects_record_binding);
        lua_pushnumber(L, static_cast<lua_Number>(serial));
        lua_pushvalue(L, -2);
        lua_rawset(L, -4);
    }
    lua_remove(L, -2);
}

// upvalue 1: the ModuleResolver (light userdata); upvalue 2: the module's spec serial.
int sandbox_require(lua_State* L) {
    size_t len = 0;
    const char* name = luaL_checklstring(L, 1, &len);
    std::string_view wanted(name, len);
    auto* resolver = static_cast<ModuleResolver*>(lua_touserdata(L, lua_upvalueindex(1)));
    auto serial = static_cast<uint64_t>(lua_tonumber(L, lua_upvalueindex(2)));
    const ModuleSpec* spec = resolver->spec(serial);
    if (spec == nullptr) return luaL_error(L, "require: unknown module environment");
    for (const auto& import : spec->imports) {
        if (import.first == wanted) {
            resolver->push_library(L, import.second);
            push_library_view(L, import.second->id.c_str());  // read-only to importers (library_view.hpp)
            return 1;
        }
    }
    for (const auto& allowed : spec->modules) {
        if (allowed == wanted) {
            const HostModule* m = find_host_module(wanted);
            if (m == nullptr || m->open == nullptr)
                return luaL_error(L, "module '%s' is not available in this modrt build yet", name);
            push_host_module(L, *m, serial);
            return 1;
        }
    }
    return luaL_error(L, "module '%s' is not allowed for entry '%s' (add it to modules: or imports:)", name,
                      spec->id.c_str());
}

}  // namespace

void push_require(lua_State* L, ModuleResolver* resolver, uint64_t serial) {
    lua_pushlightuserdata(L, resolver);
    lua_pushnumber(L, static_cast<lua_Number>(serial));
    lua_pushcclosure(L, sandbox_require, 2);
}

}  // namespace modrt::lua
