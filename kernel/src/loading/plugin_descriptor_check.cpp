#include "loading/plugin_descriptor_check.hpp"

#include <cstddef>
#include <cstring>

namespace modrt::kernel {

namespace {

size_t minimum_api_size(modrt_extension_type type) {
    // The hooks of ABI 1.0 that must be present.
    switch (type) {
        case MODRT_EXT_FUNCTION_KIND: return offsetof(modrt_kind_api, entry_destroy) + sizeof(void*);
        case MODRT_EXT_POOL: return offsetof(modrt_pool_api, submit) + sizeof(void*);
        case MODRT_EXT_INTERCEPTOR: return offsetof(modrt_interceptor_api, intercept) + sizeof(void*);
        case MODRT_EXT_CONTRACT: return offsetof(modrt_contract_api, validate_output) + sizeof(void*);
        case MODRT_EXT_SECURITY: return offsetof(modrt_security_api, evaluate) + sizeof(void*);
        case MODRT_EXT_TRIGGER: return offsetof(modrt_trigger_api, destroy) + sizeof(void*);  // minor 6 on
    }
    return SIZE_MAX;
}

}  // namespace

std::string abi_text(uint32_t major, uint32_t minor) { return std::to_string(major) + "." + std::to_string(minor); }

std::string check_plugin_abi(uint32_t major, uint32_t minor, uint32_t kernel_minor) {
    // The rule of abi.h: same major, and a target minor no newer than the kernel's.
    if (major == MODRT_ABI_MAJOR && minor <= kernel_minor) return "";
    const std::string plugin = abi_text(major, minor), kernel = abi_text(MODRT_ABI_MAJOR, kernel_minor);
    if (major != MODRT_ABI_MAJOR)
        return "built for modrt ABI " + plugin + ", but this kernel speaks ABI " + kernel +
               " (the major must match: rebuild the plugin with a modrt " + std::to_string(MODRT_ABI_MAJOR) + ".x SDK)";
    return "needs modrt ABI " + plugin + " (its target minor is " + std::to_string(minor) +
           "), but this kernel speaks ABI " + kernel + " (minor " + std::to_string(kernel_minor) +
           "): upgrade modrt, or rebuild the plugin targeting minor " + std::to_string(kernel_minor) +
           " (MODRT_TARGET_ABI_MINOR " + std::to_string(kernel_minor) + ", modrt_add_plugin(... TARGET_ABI_MINOR " +
           std::to_string(kernel_minor) + "))";
}

std::string check_plugin_descriptor(const modrt_plugin_descriptor* d, uint32_t kernel_minor) {
    if (d == nullptr) return "entry symbol returned no descriptor";
    if (d->struct_size < offsetof(modrt_plugin_descriptor, abi_minor) + sizeof(uint32_t))
        return "descriptor is too small to hold an ABI version";
    if (std::string why = check_plugin_abi(d->abi_major, d->abi_minor, kernel_minor); !why.empty()) return why;
    if (d->struct_size < offsetof(modrt_plugin_descriptor, init) + sizeof(void*))
        return "descriptor is smaller than ABI " + abi_text(d->abi_major, d->abi_minor) + " requires";
    if (d->name == nullptr || *d->name == '\0') return "descriptor has no plugin name";
    if (d->init == nullptr) return "descriptor has no init hook";
    if (d->provides_count > 0 && d->provides == nullptr) return "descriptor lists provides but gives no array";
    for (size_t i = 0; i < d->provides_count; ++i) {
        const modrt_provide& p = d->provides[i];
        if (p.name == nullptr || *p.name == '\0') return "provides item " + std::to_string(i) + " has no name";
        if (p.api == nullptr) return std::string("'") + p.name + "' has no interface table";
        size_t need = minimum_api_size(p.type);
        if (need == SIZE_MAX) return std::string("'") + p.name + "' has an unknown interface type";
        size_t size = *static_cast<const size_t*>(p.api);
        if (size < need) return std::string("'") + p.name + "' interface table is smaller than ABI 1.0 requires";
        for (size_t j = 0; j < i; ++j)
            if (std::strcmp(d->provides[j].name, p.name) == 0) return std::string("provides '") + p.name + "' twice";
    }
    return "";
}

}  // namespace modrt::kernel
