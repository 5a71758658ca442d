// The contract module (lua_contract.hpp).
#include "modules/contract/lua_contract.hpp"

#include "modules/contract/lua_contract_def.hpp"
#include "modules/contract/lua_contract_instance.hpp"
#include "modules/contract/lua_contract_open.hpp"
#include "modules/host_modules.hpp"
#include "values/lua_owned.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

int module_open(lua_State* L) {
    lua_settop(L, 3);  // open_instance pushes above its arguments: absent ones must read as nil
    modrt_str text{};
    if (lua_type(L, 1) == LUA_TSTRING) text.ptr = lua_tolstring(L, 1, &text.len);
    if (text.ptr == nullptr)
        return return_error(L, MODRT_ERR_INVALID,
                            "contract.open: the binding id must be a string (\"namespace:name\")");
    OpenRequest r{"contract.open", text, modrt_str{}, nullptr, 2, 3};
    return open_instance(L, r);
}

int contract_get(lua_State* L) {
    const modrt_host_api& h = host_api();
    modrt_str id{};
    if (int failed = read_id_arg(L, 1, "contract.get", "contract", &id)) return failed;
    if (int denied = deny_unless(L, "contract.get", "contract.get", id)) return denied;
    OwnedKernel* described = describe_contracts(L);
    if (described == nullptr) return 2;
    const modrt_value* c = h.value_find(described->value, id);
    if (c == nullptr) {
        lua_pushfstring(L, "contract.get: contract '%s' not found", id.ptr);
        return return_error(L, MODRT_ERR_NOT_FOUND, lua_tostring(L, -1));
    }
    ContractBox* box = push_contract(L);
    box->id = h.value_new();  // no Lua from here to the return
    h.value_set_string(box->id, id);
    box->methods = h.value_new();
    h.value_copy(box->methods, h.value_find(c, to_str("methods")));
    release_owned(described);
    return 1;
}

int contract_find_implementations(lua_State* L) {
    modrt_str id{};
    if (int failed = read_id_arg(L, 1, "contract.find_implementations", "contract", &id)) return failed;
    return push_implementations(L, "contract.find_implementations", id);
}

int contract_is(lua_State* L) {
    InstanceBox* box = test_instance(L, 1);
    modrt_str id{};
    if (lua_type(L, 2) == LUA_TSTRING) id.ptr = lua_tolstring(L, 2, &id.len);
    lua_pushboolean(L, box != nullptr && id.ptr != nullptr && instance_implements(*box, id));
    return 1;
}

}  // namespace

int open_contract_module(lua_State* L) {
    static const luaL_Reg fns[] = {{"open", module_open},
                                   {"get", contract_get},
                                   {"find_implementations", contract_find_implementations},
                                   {"is", contract_is},
                                   {nullptr, nullptr}};
    lua_createtable(L, 0, 4);
    luaL_register(L, nullptr, fns);
    // lua_require binds and seals it per requiring module (module_binding.hpp).
    return 1;
}

}  // namespace modrt::lua
