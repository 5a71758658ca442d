// Deliberately broken plugins, one per KT_CASE_<name>. Written C-style against
// abi.h only (no sdk.hpp guard), so each misbehaves exactly as a careless or
// foreign plugin would. Each provides the kind "test.bad.<case>" so a registry
// can ask for it.
#include <modrt/abi.h>

#include <stdexcept>

namespace {

modrt_error* entry_create(void*, const modrt_entry_info*, void** out) {
    *out = nullptr;
    return nullptr;
}
void entry_destroy(void*, void*) {}

const modrt_kind_api kind_api = {sizeof(modrt_kind_api), entry_create, entry_destroy, nullptr};

[[maybe_unused]] modrt_error* init_ok(const modrt_host_api*, const modrt_value*, void** out) {
    *out = nullptr;
    return nullptr;
}

#if defined(KT_CASE_init_throws)
// A raw C++ exception thrown across the C boundary: the kernel must survive it.
modrt_error* init(const modrt_host_api*, const modrt_value*, void**) {
    throw std::runtime_error("boom from init_throws");
}
#elif defined(KT_CASE_init_error)
modrt_error* init(const modrt_host_api* host, const modrt_value*, void**) {
    const char msg[] = "license key missing";
    return host->error_new(MODRT_ERR_INVALID, modrt_str{msg, sizeof(msg) - 1});
}
#else
modrt_error* (*const init)(const modrt_host_api*, const modrt_value*, void**) = init_ok;
#endif

#if defined(KT_CASE_duplicate)
// Claims pool.inline, which the real pool.inline plugin (earlier on the path) provides.
modrt_error* pool_create(void*, const modrt_value*, void** out) {
    *out = nullptr;
    return nullptr;
}
void pool_destroy(void*, void*) {}
modrt_error* pool_submit(void*, modrt_task* task) {
    task->run(task->self);
    return nullptr;
}
const modrt_pool_api pool_api = {sizeof(modrt_pool_api), pool_create, pool_destroy, pool_submit, nullptr};
const modrt_provide provides[] = {
    {sizeof(modrt_provide), MODRT_EXT_POOL, "pool.inline", &pool_api},
    {sizeof(modrt_provide), MODRT_EXT_FUNCTION_KIND, "test.bad." KT_CASE_NAME, &kind_api},
};
#else
const modrt_provide provides[] = {
    {sizeof(modrt_provide), MODRT_EXT_FUNCTION_KIND, "test.bad." KT_CASE_NAME, &kind_api},
};
#endif

#if defined(KT_CASE_abi_major)
constexpr uint32_t kMajor = 2, kMinor = 0;
#elif defined(KT_CASE_abi_minor)
constexpr uint32_t kMajor = MODRT_ABI_MAJOR, kMinor = MODRT_ABI_MINOR + 1;
#else
constexpr uint32_t kMajor = MODRT_ABI_MAJOR, kMinor = MODRT_ABI_MINOR;
#endif

const modrt_plugin_descriptor descriptor = {
    sizeof(modrt_plugin_descriptor),        kMajor, kMinor, "test.bad." KT_CASE_NAME, "0.0.1", provides,
    sizeof(provides) / sizeof(provides[0]), init,   nullptr};

}  // namespace

#if defined(KT_CASE_no_entry)
// Exports something, but not modrt_plugin_entry.
extern "C" MODRT_EXPORT const modrt_plugin_descriptor* some_other_symbol(void) { return &descriptor; }
#elif defined(KT_CASE_null_entry)
extern "C" MODRT_EXPORT const modrt_plugin_descriptor* modrt_plugin_entry(void) { return nullptr; }
#else
extern "C" MODRT_EXPORT const modrt_plugin_descriptor* modrt_plugin_entry(void) { return &descriptor; }
#endif
