// Policy userdata (lua_policy.hpp).
#include "modules/security/lua_policy.hpp"

#include "modules/security/lua_security_check.hpp"
#include "modules/security/lua_udata.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

char kPolicyMetaKey;  // registry key (its address) of the Policy metatable

int policy_id(lua_State* L);
int policy_evaluate(lua_State* L);
int policy_eq(lua_State* L);

const luaL_Reg kPolicyMethods[] = {{"id", policy_id}, {"evaluate", policy_evaluate}, {nullptr, nullptr}};
const UdataType kPolicyType{&kPolicyMetaKey, "Policy", kPolicyMethods, nullptr, policy_id, policy_eq};

modrt_str check_policy(lua_State* L, int idx) {
    modrt_str id{};
    if (!test_policy(L, idx, &id)) luaL_typerror(L, idx, "Policy");
    return id;
}

int policy_id(lua_State* L) {
    modrt_str id = check_policy(L, 1);
    lua_pushlstring(L, id.ptr, id.len);
    return 1;
}

int policy_evaluate(lua_State* L) {
    modrt_str id = check_policy(L, 1);
    lua_settop(L, 5);  // self, actor, action, resource, meta: the scope string goes above them
    lua_pushliteral(L, "[");
    lua_pushlstring(L, id.ptr, id.len);
    lua_pushliteral(L, "]");
    lua_concat(L, 3);
    size_t len = 0;
    const char* scope = lua_tolstring(L, -1, &len);  // stays on the stack below what evaluation pushes
    return push_evaluation(L, modrt_str{scope, len}, 2);
}

int policy_eq(lua_State* L) {
    modrt_str a{};
    modrt_str b{};
    lua_pushboolean(L, test_policy(L, 1, &a) && test_policy(L, 2, &b) && to_view(a) == to_view(b));
    return 1;
}

}  // namespace

void push_policy(lua_State* L, modrt_str id) { push_string_box(L, to_view(id), kPolicyType); }

bool test_policy(lua_State* L, int idx, modrt_str* id) {
    auto* box = static_cast<StringBox*>(test_udata(L, idx, kPolicyType));
    if (box == nullptr) return false;
    *id = modrt_str{box->text(), box->len};
    return true;
}

bool policy_id_arg(lua_State* L, int idx, modrt_str* id) {
    if (test_policy(L, idx, id)) return true;
    if (lua_type(L, idx) != LUA_TSTRING) return false;
    size_t len = 0;
    const char* s = lua_tolstring(L, idx, &len);
    *id = modrt_str{s, len};
    return valid_scope_id(*id);
}

}  // namespace modrt::lua
