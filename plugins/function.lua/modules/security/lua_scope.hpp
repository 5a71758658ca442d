// Wippy's Scope (security.md): the policies in force, as an immutable value
// holding a scope string (abi.h "Scopes"): a policy group id "ns:group" (a
// named scope) or a list of policy ids "[ns:a,ns:b]" ("[]": none).
//
//   scope:with(policy)       new Scope: this one's policies and `policy` (a Policy or an id),
//                            always a list "[...]"; raises unless security.scope.create on "with"
//   scope:without(id)        new Scope without policy `id` (an id or a Policy);
//                            raises unless security.scope.create on "without"
//   scope:contains(id)       whether the scope holds policy `id`
//   scope:policies()         an array of Policy values
//   scope:evaluate(actor, action, resource, meta?)
//                            "allow" | "deny" | "undefined" (strict mode does not apply)
//   tostring(s), s1 == s2    the scope string, and equality of scope strings
//
// The policies a list holds are read from the string itself; a group's are
// asked of the security provider (security_scope_policies). When that fails
// (no provider: UNAVAILABLE; the group is gone: NOT_FOUND), contains gives
// `false, err`, policies `{}, err`, and with/without raise the error.
#pragma once

#include <modrt/abi.h>

#include <lua.hpp>

namespace modrt::lua {

/// Push a Scope holding `scope` (copied; not empty). Raises on memory errors.
void push_scope(lua_State* L, modrt_str scope);
/// The scope string of the Scope at `idx` (valid while the userdata lives); false when it is not one.
bool test_scope(lua_State* L, int idx, modrt_str* scope);

/// Push an array table of the policy ids `scope` holds (each once, in
/// order) and return true; or push an error value and return false.
bool push_scope_ids(lua_State* L, modrt_str scope);
/// Append `id` to the id array at `idx` unless it is there already.
void add_scope_id(lua_State* L, int idx, modrt_str id);
/// Push a Scope "[a,b,...]" made of the id array at `idx`.
void push_scope_of_ids(lua_State* L, int idx);

}  // namespace modrt::lua
