// The security provider on the call path: its decision, strict mode applied, and the
// permissions a call needs (funcs.call; funcs.security / funcs.context for a function
// that changes who calls or what the callee inherits). README.md, "Security".
#pragma once

#include <modrt/abi.h>

#include <string_view>

struct modrt_runtime;
struct modrt_frame;

namespace modrt::kernel {

/// The provider's decision (ALLOW without one, DENY when it fails); strict mode not applied.
modrt_decision security_decide(modrt_runtime* rt, const modrt_actor* actor, std::string_view scope,
                               std::string_view action, std::string_view resource, const modrt_value* meta) noexcept;

/// Whether a decision lets the check pass: ALLOW does; UNDEFINED (no policy applies) does
/// only in permissive mode and only for a caller lacking an actor or a scope (Wippy's rule:
/// with both present, evaluation denies by default whatever the mode).
bool decision_allows(const modrt_runtime* rt, modrt_decision d, const modrt_actor* actor,
                     std::string_view scope) noexcept;

/// PERMISSION_DENIED unless the frame's actor may call `id` (funcs.call); and for a function's call that sets an actor, scope or context
/// (`options`), whether its caller `parent` may: funcs.security / funcs.context.
[[gnu::noinline]] modrt_error* check_call_permissions(const modrt_frame* parent, const modrt_call_options* options,
                                                      const modrt_frame& frame, std::string_view id);

}  // namespace modrt::kernel
