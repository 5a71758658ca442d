// The security module (lua_security.hpp). Its C functions follow
// lua_funcs.cpp's discipline: kernel objects are parked in OwnedKernel
// userdata while Lua work that may raise goes on.
#include "modules/security/lua_security.hpp"

#include "modules/host_modules.hpp"
#include "modules/security/lua_actor.hpp"
#include "modules/security/lua_policy.hpp"
#include "modules/security/lua_scope.hpp"
#include "modules/security/lua_security_check.hpp"
#include "values/lua_errors.hpp"
#include "values/lua_owned.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

int security_actor(lua_State* L) {
    modrt_frame* frame = current_call(L).frame;
    const modrt_actor* actor = frame != nullptr ? host_api().frame_actor(frame) : nullptr;
    if (actor == nullptr) {
        lua_pushnil(L);
        return 1;
    }
    push_actor_ref(L, actor);  // the frame keeps the actor alive until the reference is taken
    return 1;
}

int security_scope(lua_State* L) {
    modrt_frame* frame = current_call(L).frame;
    modrt_str scope = frame != nullptr ? host_api().frame_scope(frame) : modrt_str{};
    if (scope.len == 0) {
        lua_pushnil(L);
        return 1;
    }
    push_scope(L, scope);
    return 1;
}

// meta at `idx`: nil (returns nullptr) or a table, converted into an OwnedKernel
// pushed on top. Raises on anything else and on a table that does not convert.
OwnedKernel* check_meta(lua_State* L, int idx, const char* what) {
    if (lua_isnoneornil(L, idx)) return nullptr;
    if (!lua_istable(L, idx)) {
        lua_pushfstring(L, "%s: meta must be a table", what);
        raise_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    }
    OwnedKernel* meta = push_owned(L);
    if (!to_modrt_protected(L, idx, meta->value, "meta")) lua_error(L);
    return meta;
}

int security_can(lua_State* L) {
    size_t action_len = 0;
    size_t resource_len = 0;
    const char* action = luaL_checklstring(L, 1, &action_len);
    const char* resource = luaL_checklstring(L, 2, &resource_len);
    OwnedKernel* meta = check_meta(L, 3, "security.can");
    modrt_frame* frame = current_call(L).frame;
    if (frame == nullptr) return raise_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
    bool allowed = host_api().security_allowed(frame, modrt_str{action, action_len}, modrt_str{resource, resource_len},
                                               meta != nullptr ? meta->value : nullptr) != 0;
    if (meta != nullptr) release_owned(meta);
    lua_pushboolean(L, allowed);
    return 1;
}

int security_new_actor(lua_State* L) {
    size_t len = 0;
    const char* id = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &len) : nullptr;
    if (id == nullptr || len == 0)
        return raise_error(L, MODRT_ERR_INVALID, "security.new_actor: the id must be a non-empty string");
    require_permission(L, "security.new_actor", "security.actor.create", modrt_str{id, len});
    OwnedKernel* meta = check_meta(L, 2, "security.new_actor");
    ActorBox* box = push_actor(L);
    box->actor = host_api().actor_new(modrt_str{id, len}, meta != nullptr ? meta->value : nullptr);
    if (meta != nullptr) release_owned(meta);
    return 1;
}

int security_new_scope(lua_State* L) {
    require_permission(L, "security.new_scope", "security.scope.create", to_str("custom"));
    if (!lua_isnoneornil(L, 1) && !lua_istable(L, 1))
        return raise_error(L, MODRT_ERR_INVALID, "security.new_scope: expected a list of Policy values");
    lua_settop(L, 1);
    lua_newtable(L);  // 2: the ids
    int n = lua_istable(L, 1) ? static_cast<int>(lua_objlen(L, 1)) : 0;
    for (int i = 1; i <= n; ++i) {
        lua_rawgeti(L, 1, i);
        modrt_str id{};
        if (!policy_id_arg(L, -1, &id)) {
            lua_pushfstring(L, "security.new_scope: item %d is not a Policy or a policy id (\"ns:name\")", i);
            return raise_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
        }
        add_scope_id(L, 2, id);
        lua_pop(L, 1);
    }
    push_scope_of_ids(L, 2);
    return 1;
}

// The id argument of policy / named_scope, or nullptr after pushing `nil, err`.
const char* id_arg(lua_State* L, size_t* len, const char* what) {
    const char* id = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, len) : nullptr;
    if (id == nullptr || !valid_scope_id(modrt_str{id, *len})) {
        lua_pushfstring(L, "%s: the id must be a string \"ns:name\" without spaces, commas or brackets", what);
        return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
        return nullptr;
    }
    return id;
}

// Check `action` on the id at 1, then that `scope` lists. Returns 0 when both
// hold, else pushes `nil, err` and returns 2.
int lookup(lua_State* L, const char* what, const char* action, modrt_str id, modrt_str scope) {
    switch (check_permission(L, action, id)) {
        case Permission::kAllowed: break;
        case Permission::kNoCall: return return_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
        case Permission::kDenied:
            push_denied_message(L, what, action, id);
            return return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));  // Wippy's kind for this denial
    }
    OwnedKernel* o = push_owned(L);
    o->error = host_api().security_scope_policies(current_call(L).runtime, scope, o->value);
    if (o->error != nullptr) return return_owned_error(L, o);
    release_owned(o);
    lua_pop(L, 1);
    return 0;
}

int security_policy(lua_State* L) {
    size_t len = 0;
    const char* id = id_arg(L, &len, "security.policy");
    if (id == nullptr) return 2;
    lua_settop(L, 1);
    lua_pushfstring(L, "[%s]", id);  // 2: the scope of this one policy
    size_t scope_len = 0;
    const char* scope = lua_tolstring(L, 2, &scope_len);
    if (int r = lookup(L, "security.policy", "security.policy.get", modrt_str{id, len}, modrt_str{scope, scope_len}))
        return r;
    push_policy(L, modrt_str{id, len});
    return 1;
}

int security_named_scope(lua_State* L) {
    size_t len = 0;
    const char* id = id_arg(L, &len, "security.named_scope");
    if (id == nullptr) return 2;
    modrt_str group{id, len};
    if (int r = lookup(L, "security.named_scope", "security.policy_group.get", group, group)) return r;
    push_scope(L, group);
    return 1;
}

}  // namespace

int open_security_module(lua_State* L) {
    static const luaL_Reg fns[] = {{"actor", security_actor},
                                   {"scope", security_scope},
                                   {"can", security_can},
                                   {"new_actor", security_new_actor},
                                   {"new_scope", security_new_scope},
                                   {"policy", security_policy},
                                   {"named_scope", security_named_scope},
                                   {nullptr, nullptr}};
    lua_createtable(L, 0, 7);
    luaL_register(L, nullptr, fns);
    // lua_require binds and seals it per requiring module (module_binding.hpp).
    return 1;
}

}  // namespace modrt::lua
