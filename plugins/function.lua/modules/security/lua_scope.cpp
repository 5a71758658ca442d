// Scope userdata (lua_scope.hpp).
#include "modules/security/lua_scope.hpp"

#include "modules/security/lua_policy.hpp"
#include "modules/security/lua_security_check.hpp"
#include "modules/security/lua_udata.hpp"
#include "values/lua_errors.hpp"
#include "values/lua_owned.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

char kScopeMetaKey;  // registry key (its address) of the Scope metatable

int scope_with(lua_State* L);
int scope_without(lua_State* L);
int scope_contains(lua_State* L);
int scope_policies(lua_State* L);
int scope_evaluate(lua_State* L);
int scope_tostring(lua_State* L);
int scope_eq(lua_State* L);

const luaL_Reg kScopeMethods[] = {{"with", scope_with},         {"without", scope_without},   {"contains", scope_contains},
                             {"policies", scope_policies}, {"evaluate", scope_evaluate}, {nullptr, nullptr}};
const UdataType kScopeType{&kScopeMetaKey, "Scope", kScopeMethods, nullptr, scope_tostring, scope_eq};

modrt_str check_scope(lua_State* L, int idx) {
    modrt_str s{};
    if (!test_scope(L, idx, &s)) luaL_typerror(L, idx, "Scope");
    return s;
}

bool is_list(modrt_str s) noexcept { return s.len >= 2 && s.ptr[0] == '[' && s.ptr[s.len - 1] == ']'; }

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The ids of a list scope, read as the security provider reads them: split
// at commas, spaces around each id trimmed, empty items skipped.
void push_list_ids(lua_State* L, modrt_str s) {
    lua_newtable(L);
    int t = lua_gettop(L);
    const char* p = s.ptr + 1;
    const char* end = s.ptr + s.len - 1;
    while (p < end) {
        const char* comma = p;
        while (comma < end && *comma != ',') ++comma;
        const char* b = p;
        const char* e = comma;
        while (b < e && is_space(*b)) ++b;
        while (e > b && is_space(e[-1])) --e;
        if (e > b) add_scope_id(L, t, modrt_str{b, static_cast<size_t>(e - b)});
        p = comma + 1;
    }
}

// The id at `idx` (a Policy or a string) or raise INVALID naming `what`.
modrt_str check_id_arg(lua_State* L, int idx, const char* what) {
    modrt_str id{};
    if (!policy_id_arg(L, idx, &id)) {
        lua_pushfstring(L, "%s: expected a Policy or a policy id (\"ns:name\")", what);
        raise_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    }
    return id;
}

bool same(lua_State* L, int idx, modrt_str id) {
    size_t len = 0;
    const char* s = lua_tolstring(L, idx, &len);
    return s != nullptr && to_view(modrt_str{s, len}) == to_view(id);
}

int scope_with(lua_State* L) {
    modrt_str self = check_scope(L, 1);
    require_permission(L, "scope:with", "security.scope.create", to_str("with"));
    modrt_str id = check_id_arg(L, 2, "scope:with");
    lua_settop(L, 2);
    if (!push_scope_ids(L, self)) return lua_error(L);
    add_scope_id(L, 3, id);
    push_scope_of_ids(L, 3);
    return 1;
}

int scope_without(lua_State* L) {
    modrt_str self = check_scope(L, 1);
    require_permission(L, "scope:without", "security.scope.create", to_str("without"));
    modrt_str id = check_id_arg(L, 2, "scope:without");
    lua_settop(L, 2);
    if (!push_scope_ids(L, self)) return lua_error(L);
    lua_newtable(L);  // 4: the ids that stay
    int n = static_cast<int>(lua_objlen(L, 3));
    for (int i = 1, kept = 0; i <= n; ++i) {
        lua_rawgeti(L, 3, i);
        if (same(L, -1, id)) {
            lua_pop(L, 1);
        } else {
            lua_rawseti(L, 4, ++kept);
        }
    }
    push_scope_of_ids(L, 4);
    return 1;
}

int scope_contains(lua_State* L) {
    modrt_str self = check_scope(L, 1);
    modrt_str id = check_id_arg(L, 2, "scope:contains");
    lua_settop(L, 2);
    if (!push_scope_ids(L, self)) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    int n = static_cast<int>(lua_objlen(L, 3));
    bool found = false;
    for (int i = 1; i <= n && !found; ++i) {
        lua_rawgeti(L, 3, i);
        found = same(L, -1, id);
        lua_pop(L, 1);
    }
    lua_pushboolean(L, found);
    return 1;
}

int scope_policies(lua_State* L) {
    modrt_str self = check_scope(L, 1);
    lua_settop(L, 1);
    if (!push_scope_ids(L, self)) {
        lua_newtable(L);
        lua_insert(L, -2);
        return 2;
    }
    int n = static_cast<int>(lua_objlen(L, 2));
    lua_createtable(L, n, 0);
    for (int i = 1; i <= n; ++i) {
        lua_rawgeti(L, 2, i);
        size_t len = 0;
        const char* id = lua_tolstring(L, -1, &len);
        push_policy(L, modrt_str{id, len});
        lua_rawseti(L, 3, i);
        lua_pop(L, 1);
    }
    return 1;
}

int scope_evaluate(lua_State* L) { return push_evaluation(L, check_scope(L, 1), 2); }

int scope_tostring(lua_State* L) {
    modrt_str s = check_scope(L, 1);
    lua_pushlstring(L, s.ptr, s.len);
    return 1;
}

int scope_eq(lua_State* L) {
    modrt_str a{};
    modrt_str b{};
    lua_pushboolean(L, test_scope(L, 1, &a) && test_scope(L, 2, &b) && to_view(a) == to_view(b));
    return 1;
}

}  // namespace

void push_scope(lua_State* L, modrt_str scope) { push_string_box(L, to_view(scope), kScopeType); }

bool test_scope(lua_State* L, int idx, modrt_str* scope) {
    auto* box = static_cast<StringBox*>(test_udata(L, idx, kScopeType));
    if (box == nullptr) return false;
    *scope = modrt_str{box->text(), box->len};
    return true;
}

bool push_scope_ids(lua_State* L, modrt_str scope) {
    if (is_list(scope)) {
        push_list_ids(L, scope);
        return true;
    }
    const modrt_host_api& h = host_api();
    modrt_runtime* runtime = current_call(L).runtime;
    if (runtime == nullptr) {
        push_error(L, MODRT_ERR_INTERNAL, kNoCallMessage)->retryable = 0;
        return false;
    }
    OwnedKernel* o = push_owned(L);
    o->error = h.security_scope_policies(runtime, scope, o->value);
    if (o->error != nullptr) {
        push_owned_error(L, o);
        lua_remove(L, -2);  // the OwnedKernel
        return false;
    }
    lua_newtable(L);
    int t = lua_gettop(L);
    size_t n = h.value_len(o->value);
    for (size_t i = 0; i < n; ++i) {
        modrt_str id = h.value_string(h.value_at(o->value, i));
        if (id.len > 0) add_scope_id(L, t, id);
    }
    release_owned(o);
    lua_remove(L, -2);  // the OwnedKernel
    return true;
}

void add_scope_id(lua_State* L, int idx, modrt_str id) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    int n = static_cast<int>(lua_objlen(L, idx));
    for (int i = 1; i <= n; ++i) {
        lua_rawgeti(L, idx, i);
        bool found = same(L, -1, id);
        lua_pop(L, 1);
        if (found) return;
    }
    lua_pushlstring(L, id.ptr, id.len);
    lua_rawseti(L, idx, n + 1);
}

void push_scope_of_ids(lua_State* L, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    int n = static_cast<int>(lua_objlen(L, idx));
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addchar(&b, '[');
    for (int i = 1; i <= n; ++i) {
        if (i > 1) luaL_addchar(&b, ',');
        lua_rawgeti(L, idx, i);
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, ']');
    luaL_pushresult(&b);
    size_t len = 0;
    const char* s = lua_tolstring(L, -1, &len);
    push_scope(L, modrt_str{s, len});
    lua_remove(L, -2);  // the string
}

}  // namespace modrt::lua
