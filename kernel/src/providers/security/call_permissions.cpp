// The security provider on the call path (call_permissions.hpp).
#include "providers/security/call_permissions.hpp"

#include "calling/call_path.hpp"
#include "calling/plugin_guard.hpp"

#include <cstddef>

namespace modrt::kernel {

namespace {

bool security_allows(const modrt_frame& frame, std::string_view action, std::string_view resource) {
    modrt_runtime* rt = frame.runtime;
    modrt_decision d = security_decide(rt, frame.actor, frame.scope, action, resource, nullptr);
    return decision_allows(rt, d, frame.actor, frame.scope);
}

[[gnu::cold, gnu::noinline]] modrt_error* call_denied(const modrt_frame& frame, std::string_view id) {
    return fail(MODRT_ERR_PERMISSION_DENIED, "permission denied: funcs.call on '" + std::string(id) + "'" +
                                                 (frame.actor ? " for actor '" + frame.actor->id + "'" : ""));
}

[[gnu::cold, gnu::noinline]] modrt_error* option_denied(const modrt_frame& caller, std::string_view id,
                                                        std::string_view what, std::string_view needs) {
    return fail(MODRT_ERR_PERMISSION_DENIED, "permission denied: calling '" + std::string(id) + "' with " +
                                                 std::string(what) + " needs " + std::string(needs) +
                                                 (caller.actor ? " for actor '" + caller.actor->id + "'" : ""));
}

// Changing who calls, or what the callee inherits, is itself a permission (Wippy's
// funcs.security and funcs.context), checked against the caller.
modrt_error* check_option_permissions(const modrt_frame& caller, const modrt_call_options* o, std::string_view id) {
    auto has = [&](size_t offset, size_t size) { return o->struct_size >= offset + size; };
    bool sets_security = (has(offsetof(modrt_call_options, actor), sizeof(void*)) && o->actor) ||
                         (has(offsetof(modrt_call_options, scope), sizeof(modrt_str)) && o->scope.len > 0);
    bool sets_context = has(offsetof(modrt_call_options, context), sizeof(void*)) && o->context &&
                        o->context->type == MODRT_MAP && !o->context->keys.empty();
    if (sets_security && !security_allows(caller, "funcs.security", "security"))
        return option_denied(caller, id, "an actor or scope", "funcs.security on 'security'");
    if (sets_context && !security_allows(caller, "funcs.context", "context"))
        return option_denied(caller, id, "context", "funcs.context on 'context'");
    return nullptr;
}

}  // namespace

bool decision_allows(const modrt_runtime* rt, modrt_decision d, const modrt_actor* actor,
                     std::string_view scope) noexcept {
    if (d == MODRT_DECISION_ALLOW) return true;
    return d == MODRT_DECISION_UNDEFINED && !rt->security_strict && (actor == nullptr || scope.empty());
}

modrt_decision security_decide(modrt_runtime* rt, const modrt_actor* actor, std::string_view scope,
                               std::string_view action, std::string_view resource, const modrt_value* meta) noexcept {
    if (rt->security == nullptr) return MODRT_DECISION_ALLOW;  // explicitly permissive; warned at load
    // A failing policy engine never grants access: a throw denies.
    modrt_decision d = call_plugin_or(MODRT_DECISION_DENY, [&] {
        return rt->security->evaluate(rt->security_plugin, actor, modrt_str{scope.data(), scope.size()},
                                      modrt_str{action.data(), action.size()},
                                      modrt_str{resource.data(), resource.size()}, meta);
    });
    return d == MODRT_DECISION_ALLOW || d == MODRT_DECISION_UNDEFINED ? d : MODRT_DECISION_DENY;
}

modrt_error* check_call_permissions(const modrt_frame* parent, const modrt_call_options* options,
                                    const modrt_frame& frame, std::string_view id) {
    if (options && parent && parent->entry) [[unlikely]]  // a function's call; outside callers set what they like
        if (modrt_error* denied = check_option_permissions(*parent, options, id)) return denied;
    if (security_allows(frame, "funcs.call", id)) [[likely]]
        return nullptr;
    return call_denied(frame, id);
}

}  // namespace modrt::kernel
