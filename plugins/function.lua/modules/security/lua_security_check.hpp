// What the security module and the executors share: permission checks
// against the running call, and evaluating an actor within a scope string.
//
// Everything here may raise (argument errors, memory errors, or on purpose
// where Wippy raises); no C++ object with a destructor lives across that.
#pragma once

#include <modrt/abi.h>

#include <lua.hpp>

namespace modrt::lua {

enum class Permission { kAllowed, kDenied, kNoCall };

/// security_allowed(action, resource) for the running call: kNoCall outside a
/// call. Without the host functions every check is allowed (the kernel still
/// checks calls). Never raises.
Permission check_permission(lua_State* L, const char* action, modrt_str resource) noexcept;

/// Push "<what>: permission denied: <action> on '<resource>'[ for actor '<id>']".
void push_denied_message(lua_State* L, const char* what, const char* action, modrt_str resource);

/// Wippy's non-raising permission check: 0 when the running call may do
/// `action` on `resource` (or when no call runs: a module's top level, left
/// to the kernel), else pushes `nil, err` (PERMISSION_DENIED, message
/// "<what>: permission denied: ...") and returns 2.
int deny_unless(lua_State* L, const char* what, const char* action, modrt_str resource);

/// Wippy's raising checks (new_actor, new_scope, scope:with/without): return
/// when allowed, else raise a PERMISSION_DENIED error (INTERNAL outside a call).
void require_permission(lua_State* L, const char* what, const char* action, modrt_str resource);

/// scope:evaluate and policy:evaluate: the arguments (actor, action, resource,
/// meta?) start at `first`; actor is an Actor or nil (anonymous). Pushes
/// "allow", "deny" or "undefined" (security_evaluate: strict mode does not
/// apply) and returns 1. Raises on bad arguments and outside a call.
int push_evaluation(lua_State* L, modrt_str scope, int first);

/// A policy or group id that fits in a scope string: not empty, and none of
/// ',', '[', ']' or whitespace.
bool valid_scope_id(modrt_str id) noexcept;

}  // namespace modrt::lua
