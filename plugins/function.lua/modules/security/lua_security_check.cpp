// Permission checks and evaluation (lua_security_check.hpp).
#include "modules/security/lua_security_check.hpp"

#include "modules/security/lua_actor.hpp"
#include "values/lua_errors.hpp"
#include "values/lua_owned.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

#include <cstddef>

namespace modrt::lua {

Permission check_permission(lua_State* L, const char* action, modrt_str resource) noexcept {
    modrt_frame* frame = current_call(L).frame;
    if (frame == nullptr) return Permission::kNoCall;
    return host_api().security_allowed(frame, to_str(action), resource, nullptr) != 0 ? Permission::kAllowed
                                                                                      : Permission::kDenied;
}

void push_denied_message(lua_State* L, const char* what, const char* action, modrt_str resource) {
    int n = lua_gettop(L);
    lua_pushfstring(L, "%s: permission denied: %s on '", what, action);
    lua_pushlstring(L, resource.ptr != nullptr ? resource.ptr : "", resource.len);
    lua_pushliteral(L, "'");
    modrt_frame* frame = current_call(L).frame;
    if (const modrt_actor* a = frame != nullptr ? host_api().frame_actor(frame) : nullptr) {
        modrt_str id = host_api().actor_id(a);
        lua_pushliteral(L, " for actor '");
        lua_pushlstring(L, id.ptr != nullptr ? id.ptr : "", id.len);
        lua_pushliteral(L, "'");
    }
    lua_concat(L, lua_gettop(L) - n);
}

int deny_unless(lua_State* L, const char* what, const char* action, modrt_str resource) {
    if (check_permission(L, action, resource) != Permission::kDenied) return 0;
    push_denied_message(L, what, action, resource);
    return return_error(L, MODRT_ERR_PERMISSION_DENIED, lua_tostring(L, -1));
}

void require_permission(lua_State* L, const char* what, const char* action, modrt_str resource) {
    switch (check_permission(L, action, resource)) {
        case Permission::kAllowed: return;
        case Permission::kNoCall:
            push_error(L, MODRT_ERR_INTERNAL, kNoCallMessage)->retryable = 0;
            lua_error(L);
            return;
        case Permission::kDenied:
            push_denied_message(L, what, action, resource);
            push_error(L, MODRT_ERR_PERMISSION_DENIED, lua_tostring(L, -1))->retryable = 0;
            lua_error(L);
            return;
    }
}

int push_evaluation(lua_State* L, modrt_str scope, int first) {
    const modrt_actor* actor = nullptr;
    if (!lua_isnoneornil(L, first) && (actor = test_actor(L, first)) == nullptr) luaL_typerror(L, first, "Actor");
    size_t action_len = 0;
    size_t resource_len = 0;
    const char* action = luaL_checklstring(L, first + 1, &action_len);
    const char* resource = luaL_checklstring(L, first + 2, &resource_len);
    OwnedKernel* meta = nullptr;
    if (!lua_isnoneornil(L, first + 3)) {
        if (!lua_istable(L, first + 3)) luaL_typerror(L, first + 3, "table");
        meta = push_owned(L);
        if (!to_modrt_protected(L, first + 3, meta->value, "meta")) return lua_error(L);
    }
    modrt_runtime* runtime = current_call(L).runtime;
    if (runtime == nullptr) return raise_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
    modrt_decision d = host_api().security_evaluate(runtime, actor, scope, modrt_str{action, action_len},
                                                    modrt_str{resource, resource_len},
                                                    meta != nullptr ? meta->value : nullptr);
    if (meta != nullptr) release_owned(meta);
    lua_pushstring(L, d == MODRT_DECISION_ALLOW ? "allow" : d == MODRT_DECISION_DENY ? "deny" : "undefined");
    return 1;
}

bool valid_scope_id(modrt_str id) noexcept {
    if (id.len == 0 || id.ptr == nullptr) return false;
    for (size_t i = 0; i < id.len; ++i) {
        char c = id.ptr[i];
        if (c == ',' || c == '[' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0')
            return false;
    }
    return true;
}

}  // namespace modrt::lua
