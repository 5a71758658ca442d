// Wippy's Policy (security.md): one security.policy entry, by id.
//
//   policy:id()                                     "ns:name"
//   policy:evaluate(actor, action, resource, meta?) "allow" | "deny" | "undefined":
//                                                   this policy alone (the scope "[id]")
//   tostring(p)                                     the id
//
// A Policy holds only its id (inline, immutable); it comes from
// security.policy(id) and scope:policies(), and goes into
// security.new_scope{...} and scope:with(policy).
#pragma once

#include <modrt/abi.h>

#include <lua.hpp>

namespace modrt::lua {

/// Push a Policy holding `id` (copied). Raises on memory errors.
void push_policy(lua_State* L, modrt_str id);
/// The id of the Policy at `idx` (valid while the userdata lives); false when it is not one.
bool test_policy(lua_State* L, int idx, modrt_str* id);
/// The policy id at `idx`: a Policy, or a string that is a valid scope id
/// (lua_security_check.hpp). False for anything else.
bool policy_id_arg(lua_State* L, int idx, modrt_str* id);

}  // namespace modrt::lua
