// Contract instances (lua_contract_instance.hpp).
#include "modules/contract/lua_contract_instance.hpp"

#include "modules/module_binding.hpp"
#include "values/lua_owned.hpp"

#include <modrt/sdk.hpp>

#include <string_view>

namespace modrt::lua {
namespace {

char kInstanceMetaKey;  // registry key (its address) of the instance metatable

constexpr std::string_view kAsyncSuffix = "_async";

InstanceBox& check_instance(lua_State* L, int idx) {
    InstanceBox* box = test_instance(L, idx);
    if (box == nullptr) luaL_typerror(L, idx, "contract instance");
    return *box;
}

int instance_gc(lua_State* L) {
    auto* box = static_cast<InstanceBox*>(lua_touserdata(L, 1));
    free_call_settings(&box->settings);
    const modrt_host_api& h = host_api();
    h.value_free(box->binding);
    h.value_free(box->methods);
    h.value_free(box->contracts);
    *box = InstanceBox{};
    return 0;
}

void push_view(lua_State* L, modrt_str s) { lua_pushlstring(L, s.ptr != nullptr ? s.ptr : "", s.len); }

// The method closure: upvalue 1 the method name, upvalue 2 true for `_async`.
// Called as inst:name(...), so the instance is argument 1.
int call_method(lua_State* L) {
    const modrt_host_api& h = host_api();
    InstanceBox& box = check_instance(L, 1);
    check_object_binding(L, 1, "contract");  // only where the module that opened it may act
    int top = lua_gettop(L);
    size_t len = 0;
    const char* name = lua_tolstring(L, lua_upvalueindex(1), &len);
    bool async = lua_toboolean(L, lua_upvalueindex(2)) != 0;
    modrt_str method{name, len};
    if (int denied = deny_unless(L, name, "contract.call", method)) return denied;
    const modrt_value* fn = h.value_find(box.methods, method);
    if (fn == nullptr || h.value_type(fn) != MODRT_STRING) {
        int n = lua_gettop(L);
        lua_pushliteral(L, "binding '");
        push_view(L, h.value_string(box.binding));
        lua_pushliteral(L, "' has no method '");
        push_view(L, method);
        lua_pushliteral(L, "' (its methods: ");
        for (size_t i = 0; i < h.value_len(box.methods); ++i) {
            if (i > 0) lua_pushliteral(L, ", ");
            push_view(L, h.value_key_at(box.methods, i));
        }
        lua_pushliteral(L, ")");
        lua_concat(L, lua_gettop(L) - n);
        return return_error(L, MODRT_ERR_NOT_FOUND, lua_tostring(L, -1));
    }
    // The function id is the instance's (argument 1 keeps it alive through the call).
    return start_call(L, &box.settings, h.value_string(fn), 2, top - 1, async);
}

// __index(inst, key): a method closure for every string key.
int instance_index(lua_State* L) {
    check_instance(L, 1);
    if (lua_type(L, 2) != LUA_TSTRING) return 0;
    size_t len = 0;
    const char* key = lua_tolstring(L, 2, &len);
    std::string_view k(key, len);
    bool async = k.size() > kAsyncSuffix.size() && k.substr(k.size() - kAsyncSuffix.size()) == kAsyncSuffix;
    if (async) k.remove_suffix(kAsyncSuffix.size());
    lua_pushlstring(L, k.data(), k.size());
    lua_pushboolean(L, async ? 1 : 0);
    lua_pushcclosure(L, call_method, 2);
    return 1;
}

int instance_tostring(lua_State* L) {
    InstanceBox& box = check_instance(L, 1);
    lua_pushliteral(L, "contract instance(");
    push_view(L, host_api().value_string(box.binding));
    lua_pushliteral(L, ")");
    lua_concat(L, 3);
    return 1;
}

void push_instance_metatable(lua_State* L) {
    lua_pushlightuserdata(L, &kInstanceMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    lua_createtable(L, 0, 5);
    lua_pushcfunction(L, instance_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, instance_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, instance_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "contract instance");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushlightuserdata(L, &kInstanceMetaKey);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

}  // namespace

InstanceBox* push_instance(lua_State* L) {
    auto* box = static_cast<InstanceBox*>(lua_newuserdata(L, sizeof(InstanceBox)));
    *box = InstanceBox{};
    push_instance_metatable(L);
    lua_setmetatable(L, -2);
    return box;
}

InstanceBox* test_instance(lua_State* L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return nullptr;
    lua_pushlightuserdata(L, &kInstanceMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    bool same = lua_rawequal(L, -1, -2) != 0;
    lua_pop(L, 2);
    return same ? static_cast<InstanceBox*>(lua_touserdata(L, idx)) : nullptr;
}

bool instance_implements(const InstanceBox& box, modrt_str id) noexcept {
    const modrt_host_api& h = host_api();
    for (size_t i = 0; i < h.value_len(box.contracts); ++i)
        if (to_view(h.value_string(h.value_at(box.contracts, i))) == to_view(id)) return true;
    return false;
}

}  // namespace modrt::lua
