// The contract provider behind GuardedContract (contract_guard.hpp): the plugin's hooks never throw into a call.
#include "providers/contract/contract_guard.hpp"

#include "calling/plugin_guard.hpp"
#include "providers/contract/contract_binding.hpp"
#include "runtime/runtime_impl.hpp"

#include <string>

namespace modrt::kernel {

namespace {

template <class Call>
modrt_error* contract_hook(void* self, std::string_view hook, Call&& call) noexcept {
    const auto* g = static_cast<const GuardedContract*>(self);
    return call_plugin(g->owner, hook, [&] { return call(*g->inner, g->plugin); });
}

modrt_error* guarded_validate_input(void* self, modrt_str target, const modrt_value* args) {
    return contract_hook(self, "contract validate_input", [&](const modrt_contract_api& c, void* plugin) {
        return c.validate_input ? c.validate_input(plugin, target, args) : nullptr;
    });
}
modrt_error* guarded_validate_output(void* self, modrt_str target, const modrt_value* result) {
    return contract_hook(self, "contract validate_output", [&](const modrt_contract_api& c, void* plugin) {
        return c.validate_output ? c.validate_output(plugin, target, result) : nullptr;
    });
}
modrt_error* guarded_resolve(void* self, modrt_str binding, modrt_str method, modrt_value* out) {
    return contract_hook(self, "contract resolve", [&](const modrt_contract_api& c, void* plugin) -> modrt_error* {
        if (!c.resolve)  // the catalog's copy of the table is zero past the plugin's struct_size
            return make_error(MODRT_ERR_UNAVAILABLE, "the contract provider does not resolve bindings").release();
        return c.resolve(plugin, binding, method, out);
    });
}
modrt_error* guarded_describe(void* self, modrt_value* out) {
    return contract_hook(self, "contract describe", [&](const modrt_contract_api& c, void* plugin) -> modrt_error* {
        if (!c.describe)
            return make_error(MODRT_ERR_UNAVAILABLE, "the contract provider does not describe contracts").release();
        return c.describe(plugin, out);
    });
}
modrt_error* guarded_describe_binding(void* self, modrt_str binding, modrt_value* out) {
    return contract_hook(self, "contract describe_binding", [&](const modrt_contract_api& c, void* plugin) {
        return describe_binding_of(c, plugin, binding, out);  // gated on the table's struct_size
    });
}

int guarded_covers(void* self, modrt_str target) {
    const auto* g = static_cast<const GuardedContract*>(self);
    if (!g->inner->covers) return 1;
    return call_plugin_or(1, [&] { return g->inner->covers(g->plugin, target); });  // a throw: unsure, keep validating
}

modrt_str view_of(const std::string& s) { return modrt_str{s.c_str(), s.size()}; }

}  // namespace

GuardedContract guard_contract(const modrt_contract_api* inner, const LoadedPlugin& owner) {
    GuardedContract g;
    g.api = modrt_contract_api{sizeof(modrt_contract_api), &guarded_validate_input, &guarded_validate_output,
                               &guarded_resolve,           &guarded_describe,       &guarded_covers,
                               &guarded_describe_binding};
    g.inner = inner;
    g.plugin = owner.state();
    g.owner = &owner;
    return g;
}

void adopt_contract_provider(modrt_runtime& rt, const modrt_contract_api* inner, const LoadedPlugin& owner) {
    if (rt.contract != nullptr) return;
    rt.contract_guard = guard_contract(inner, owner);
    rt.contract = &rt.contract_guard.api;
    rt.contract_plugin = &rt.contract_guard;
}

void mark_contract_coverage(modrt_runtime& rt) {
    if (rt.contract == nullptr) return;
    for (auto& e : rt.entries)
        if (e->callable())
            e->contract_checked.store(rt.contract->covers(rt.contract_plugin, view_of(e->raw.id)) != 0,
                                      std::memory_order_relaxed);
}

}  // namespace modrt::kernel
