// The `security` host module (Wippy's security.md), on the kernel's
// security host API (abi.h: frame_actor, frame_scope, security_allowed,
// security_evaluate, security_scope_policies).
//
//   security.actor()               Actor | nil   the running call's actor (lua_actor.hpp)
//   security.scope()               Scope | nil   the running call's scope (lua_scope.hpp)
//   security.can(action, resource, meta?)
//                                  boolean       may the running call's actor do it, in its scope
//                                                (strict mode applies: undefined is false when strict)
//   security.new_actor(id, meta?)  Actor         raises unless security.actor.create on id
//   security.new_scope(policies?)  Scope "[...]" of Policy values / ids; raises unless
//                                                security.scope.create on "custom"
//   security.policy(id)            Policy, err   nil + INVALID unless security.policy.get on id;
//                                                NOT_FOUND when absent (lua_policy.hpp)
//   security.named_scope(id)       Scope, err    nil + INVALID unless security.policy_group.get on id;
//                                                NOT_FOUND when no policy is in the group
//
// Without a security provider (a permissive runtime) every check allows,
// evaluations give "allow", and policy / named_scope give nil + UNAVAILABLE.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// lua_CFunction opener: pushes the module (read-only).
int open_security_module(lua_State* L);

}  // namespace modrt::lua
