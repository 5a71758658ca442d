// The Contract value (lua_contract_def.hpp).
#include "modules/contract/lua_contract_def.hpp"

#include "modules/contract/lua_contract_open.hpp"
#include "modules/module_binding.hpp"
#include "values/lua_owned.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

char kContractMetaKey;  // registry key (its address) of the Contract metatable

ContractBox* test_contract(lua_State* L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return nullptr;
    lua_pushlightuserdata(L, &kContractMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    bool same = lua_rawequal(L, -1, -2) != 0;
    lua_pop(L, 2);
    return same ? static_cast<ContractBox*>(lua_touserdata(L, idx)) : nullptr;
}

ContractBox& check_contract(lua_State* L, int idx) {
    ContractBox* c = test_contract(L, idx);
    if (c == nullptr) luaL_typerror(L, idx, "Contract");
    return *c;
}

modrt_str id_of(const ContractBox& c) { return host_api().value_string(c.id); }

int contract_gc(lua_State* L) {
    auto* c = static_cast<ContractBox*>(lua_touserdata(L, 1));
    free_call_settings(&c->settings);
    host_api().value_free(c->id);
    host_api().value_free(c->methods);
    *c = ContractBox{};
    return 0;
}

// A new Contract with the id, methods and settings of `from`.
ContractBox* push_copy(lua_State* L, const ContractBox& from) {
    ContractBox* c = push_contract(L);
    copy_call_settings(&c->settings, from.settings);  // no Lua from here: nothing raises
    c->id = copy_value(from.id);
    c->methods = copy_value(from.methods);
    return c;
}

int contract_id(lua_State* L) {
    modrt_str id = id_of(check_contract(L, 1));
    lua_pushlstring(L, id.ptr, id.len);
    return 1;
}

int contract_methods(lua_State* L) {
    ContractBox& c = check_contract(L, 1);
    if (!push_modrt_protected(L, c.methods)) return lua_error(L);
    return 1;
}

int contract_method(lua_State* L) {
    const modrt_host_api& h = host_api();
    ContractBox& c = check_contract(L, 1);
    size_t len = 0;
    const char* name = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &len) : nullptr;
    if (name == nullptr) return return_error(L, MODRT_ERR_INVALID, "method: the method name must be a string");
    for (size_t i = 0; i < h.value_len(c.methods); ++i) {
        const modrt_value* m = h.value_at(c.methods, i);
        if (to_view(h.value_string(h.value_find(m, to_str("name")))) != std::string_view(name, len)) continue;
        if (!push_modrt_protected(L, m)) return lua_error(L);
        return 1;
    }
    lua_pushfstring(L, "contract '%s' has no method '%s'", id_of(c).ptr, name);
    return return_error(L, MODRT_ERR_NOT_FOUND, lua_tostring(L, -1));
}

int contract_implementations(lua_State* L) {
    ContractBox& c = check_contract(L, 1);
    return push_implementations(L, "implementations", id_of(c));
}

int contract_open(lua_State* L) {
    ContractBox& c = check_contract(L, 1);
    lua_settop(L, 3);  // open_instance pushes above its arguments: absent ones must read as nil
    modrt_str binding{};
    if (lua_type(L, 2) == LUA_TSTRING) binding.ptr = lua_tolstring(L, 2, &binding.len);
    else if (!lua_isnoneornil(L, 2))
        return return_error(L, MODRT_ERR_INVALID, "open: the binding must be a binding id string or nil (the default)");
    OpenRequest r{"open", binding, id_of(c), &c.settings, 3, 0};
    return open_instance(L, r);
}

int contract_with_context(lua_State* L) {
    ContractBox& self = check_contract(L, 1);
    if (int denied = deny_unless(L, "with_context", "contract.context", to_str("context"))) return denied;
    if (!lua_istable(L, 2)) return return_error(L, MODRT_ERR_INVALID, "with_context: expected a table of values");
    OwnedKernel* values = table_to_map(L, 2, "with_context");
    if (values == nullptr) return 2;
    ContractBox* c = push_copy(L, self);
    if (host_api().value_len(values->value) > 0) merge_map(&c->settings.context, values->value);
    release_owned(values);
    return 1;
}

int contract_with_options(lua_State* L) {
    ContractBox& self = check_contract(L, 1);
    int64_t timeout_ns = self.settings.timeout_ns;
    OwnedKernel* opts = read_call_options(L, 2, "with_options", &timeout_ns);
    if (opts == nullptr) return 2;
    ContractBox* c = push_copy(L, self);
    apply_call_options(&c->settings, timeout_ns, opts->value);
    release_owned(opts);
    return 1;
}

int contract_with_actor(lua_State* L) {
    ContractBox& self = check_contract(L, 1);
    if (int denied = deny_unless(L, "with_actor", "contract.security", to_str("security"))) return denied;
    ActorArg actor;
    if (int failed = read_actor_arg(L, 2, "with_actor", &actor)) return failed;
    ContractBox* c = push_copy(L, self);
    set_actor(&c->settings, actor);
    return 1;
}

int contract_with_scope(lua_State* L) {
    ContractBox& self = check_contract(L, 1);
    if (int denied = deny_unless(L, "with_scope", "contract.security", to_str("security"))) return denied;
    modrt_str scope{};
    if (int failed = read_scope_arg(L, 2, "with_scope", &scope)) return failed;
    ContractBox* c = push_copy(L, self);
    set_scope(&c->settings, scope);
    return 1;
}

int contract_tostring(lua_State* L) {
    modrt_str id = id_of(check_contract(L, 1));
    lua_pushliteral(L, "Contract(");
    lua_pushlstring(L, id.ptr, id.len);
    lua_pushliteral(L, ")");
    lua_concat(L, 3);
    return 1;
}

void push_contract_metatable(lua_State* L) {
    lua_pushlightuserdata(L, &kContractMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    static const luaL_Reg methods[] = {{"id", contract_id},
                                       {"methods", contract_methods},
                                       {"method", contract_method},
                                       {"implementations", contract_implementations},
                                       {"open", contract_open},
                                       {"with_context", contract_with_context},
                                       {"with_options", contract_with_options},
                                       {"with_actor", contract_with_actor},
                                       {"with_scope", contract_with_scope},
                                       {nullptr, nullptr}};
    lua_createtable(L, 0, 5);
    lua_createtable(L, 0, 9);
    luaL_register(L, nullptr, methods);
    bind_methods(L, -1, "contract");  // a Contract acts only where the module that made it may
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, contract_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, contract_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "Contract");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushlightuserdata(L, &kContractMetaKey);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

}  // namespace

ContractBox* push_contract(lua_State* L) {
    auto* c = static_cast<ContractBox*>(lua_newuserdata(L, sizeof(ContractBox)));
    *c = ContractBox{};
    push_contract_metatable(L);
    lua_setmetatable(L, -2);
    return c;
}

int push_implementations(lua_State* L, const char* what, modrt_str id) {
    const modrt_host_api& h = host_api();
    if (int denied = deny_unless(L, what, "contract.implementations", id)) return denied;
    OwnedKernel* described = describe_contracts(L);
    if (described == nullptr) return 2;
    const modrt_value* c = h.value_find(described->value, id);
    if (c == nullptr) {
        lua_pushfstring(L, "%s: contract '", what);
        lua_pushlstring(L, id.ptr, id.len);
        lua_pushliteral(L, "' not found");
        lua_concat(L, 3);
        return return_error(L, MODRT_ERR_NOT_FOUND, lua_tostring(L, -1));
    }
    const modrt_value* impls = h.value_find(c, to_str("implementations"));
    size_t n = h.value_len(impls);
    lua_createtable(L, static_cast<int>(n), 0);
    for (size_t i = 0; i < n; ++i) {
        modrt_str b = h.value_string(h.value_find(h.value_at(impls, i), to_str("binding")));
        lua_pushlstring(L, b.ptr != nullptr ? b.ptr : "", b.len);
        lua_rawseti(L, -2, static_cast<int>(i + 1));
    }
    release_owned(described);
    lua_remove(L, -2);  // the description's (now empty) userdata
    return 1;
}

}  // namespace modrt::lua
