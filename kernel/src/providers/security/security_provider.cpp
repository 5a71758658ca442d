// The runtime's security provider and what a load settles (security_provider.hpp).
#include "providers/security/security_provider.hpp"

#include "calling/plugin_guard.hpp"
#include "runtime/runtime_impl.hpp"

namespace modrt::kernel {

std::string adopt_security_provider(modrt_runtime& rt, const modrt_security_api* api, const LoadedPlugin& owner) {
    if (rt.security_owner == &owner) return "";
    if (rt.security_owner != nullptr)
        return "plugin " + owner.record().name + " (" + owner.record().file.string() +
               ") provides a second security provider; " + rt.security_owner->record().name +
               " already serves this runtime";
    rt.security = api;
    rt.security_plugin = owner.state();
    rt.security_owner = &owner;
    return "";
}

void settle_security(modrt_runtime& rt) {
    const SecuritySettings& s = rt.security_settings;
    if (s.strict) rt.security_strict = *s.strict;
    else if (rt.security && rt.security->strict)  // a throw: a failing provider never loosens checks
        rt.security_strict = call_plugin_or(true, [&] { return rt.security->strict(rt.security_plugin) != 0; });
    if (rt.outside || (s.actor_id.empty() && s.scope.empty())) return;
    auto frame = std::make_unique<modrt_frame>();
    frame->runtime = &rt;
    frame->storage = std::make_unique<FrameStorage>();
    if (!s.actor_id.empty()) {
        auto actor = std::make_unique<modrt_actor>();
        actor->id = s.actor_id;
        actor->meta = s.actor_meta;
        frame->storage->actor = actor.release();  // reference counted from here on
        frame->actor = frame->storage->actor;
    }
    frame->storage->scope = s.scope;
    frame->scope = frame->storage->scope;
    rt.outside = std::move(frame);
}

}  // namespace modrt::kernel
