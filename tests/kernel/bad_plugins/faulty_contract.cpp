// test.fault.contract: a contract provider whose validation throws, against
// abi.h only. A contract provider serves the whole runtime once its plugin is
// loaded; a registry loads this one by using its data kind test.fault.contract.
// It faults only for targets named `*:guarded_in` (input) and `*:guarded_out`
// (output), so the test can show that every other call is still served.
// Built a second time with FAULT_CONTRACT_NULL_HOOKS as test.fault.contract_null,
// whose validate hooks are NULL ("not provided"): the kernel must not call them.
#include <modrt/abi.h>

#include <stdexcept>
#include <string_view>

namespace {

[[maybe_unused]] bool named(modrt_str target, std::string_view name) {
    std::string_view t(target.ptr, target.len);
    return t.size() > name.size() && t.substr(t.size() - name.size()) == name && t[t.size() - name.size() - 1] == ':';
}

[[maybe_unused]] modrt_error* validate_input(void*, modrt_str target, const modrt_value*) {
    if (named(target, "guarded_in")) throw std::runtime_error("schema compiler crashed");
    return nullptr;
}

[[maybe_unused]] modrt_error* validate_output(void*, modrt_str target, const modrt_value*) {
    if (named(target, "guarded_out")) throw 7;  // not a std::exception
    return nullptr;
}

modrt_error* entry_create(void*, const modrt_entry_info*, void** out) {
    *out = nullptr;
    return nullptr;
}
void entry_destroy(void*, void*) {}

modrt_error* init(const modrt_host_api*, const modrt_value*, void** out) {
    *out = nullptr;
    return nullptr;
}

#if defined(FAULT_CONTRACT_NULL_HOOKS)
#define FAULT_NAME "test.fault.contract_null"
const modrt_contract_api kContract = {sizeof(modrt_contract_api), nullptr, nullptr, nullptr, nullptr};
#else
#define FAULT_NAME "test.fault.contract"
// resolve and describe are NULL: "not provided".
const modrt_contract_api kContract = {sizeof(modrt_contract_api), validate_input, validate_output, nullptr, nullptr};
#endif
const modrt_kind_api kDataKind = {sizeof(modrt_kind_api), entry_create, entry_destroy, nullptr};

const modrt_provide kProvides[] = {
    {sizeof(modrt_provide), MODRT_EXT_CONTRACT, "contract." FAULT_NAME, &kContract},
    {sizeof(modrt_provide), MODRT_EXT_FUNCTION_KIND, FAULT_NAME, &kDataKind},
};
const modrt_plugin_descriptor kDescriptor = {sizeof(modrt_plugin_descriptor),
                                             MODRT_ABI_MAJOR,
                                             MODRT_ABI_MINOR,
                                             FAULT_NAME,
                                             "0.0.1",
                                             kProvides,
                                             sizeof kProvides / sizeof kProvides[0],
                                             init,
                                             nullptr};

}  // namespace

extern "C" MODRT_EXPORT const modrt_plugin_descriptor* modrt_plugin_entry(void) { return &kDescriptor; }
