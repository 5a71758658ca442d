// test.fault.interceptor: interceptors that break the chain, against abi.h only.
//   interceptor.fault_throw   intercept throws a C++ exception
//   interceptor.fault_twice   calls next twice (allowed: retries do) and keeps the second result
//   interceptor.fault_null    calls next with a NULL result slot
//   interceptor.fault_badargs calls next with a map instead of the argument array
//   interceptor.fault_create  create throws (at registry load)
//   interceptor.fault_hooks   passes calls through; its stats and destroy hooks throw
#include <modrt/abi.h>

#include <stdexcept>

namespace {

const modrt_host_api* g_host = nullptr;

modrt_error* create(void*, const modrt_entry_info*, const modrt_value*, void** out) {
    *out = nullptr;
    return nullptr;
}
modrt_error* create_throw(void*, const modrt_entry_info*, const modrt_value*, void**) {
    throw std::runtime_error("interceptor cannot be made");
}
void destroy(void*, void*) {}
void destroy_throw(void*, void*) { throw std::runtime_error("interceptor will not go"); }

modrt_error* intercept_throw(void*, modrt_frame*, const modrt_value*, modrt_value*, const modrt_next*) {
    throw std::logic_error("interceptor lost its mind");
}

modrt_error* intercept_twice(void*, modrt_frame* frame, const modrt_value* args, modrt_value* result,
                             const modrt_next* next) {
    if (modrt_error* first = next->invoke(next->self, frame, args, result)) g_host->error_free(first);
    return next->invoke(next->self, frame, args, result);
}

modrt_error* intercept_null(void*, modrt_frame* frame, const modrt_value* args, modrt_value*, const modrt_next* next) {
    return next->invoke(next->self, frame, args, nullptr);
}

modrt_error* intercept_badargs(void*, modrt_frame* frame, const modrt_value*, modrt_value* result,
                               const modrt_next* next) {
    modrt_value* map = g_host->value_new();
    g_host->value_set_map(map, 0);
    modrt_error* err = next->invoke(next->self, frame, map, result);
    g_host->value_free(map);
    return err;
}

modrt_error* intercept_through(void*, modrt_frame* frame, const modrt_value* args, modrt_value* result,
                               const modrt_next* next) {
    return next->invoke(next->self, frame, args, result);
}

void stats_throw(void*, modrt_value*) { throw std::runtime_error("interceptor lost count"); }

modrt_error* init(const modrt_host_api* host, const modrt_value*, void** out) {
    g_host = host;
    *out = nullptr;
    return nullptr;
}

constexpr modrt_interceptor_api api(modrt_error* (*intercept)(void*, modrt_frame*, const modrt_value*, modrt_value*,
                                                              const modrt_next*)) {
    return modrt_interceptor_api{sizeof(modrt_interceptor_api), create, destroy, intercept};
}
const modrt_interceptor_api kThrow = api(intercept_throw);
const modrt_interceptor_api kTwice = api(intercept_twice);
const modrt_interceptor_api kNull = api(intercept_null);
const modrt_interceptor_api kBadArgs = api(intercept_badargs);
const modrt_interceptor_api kCreateThrows{sizeof(modrt_interceptor_api), create_throw, destroy, intercept_twice};
const modrt_interceptor_api kHooks{sizeof(modrt_interceptor_api), create, destroy_throw, intercept_through,
                                   stats_throw};

const modrt_provide kProvides[] = {
    {sizeof(modrt_provide), MODRT_EXT_INTERCEPTOR, "interceptor.fault_throw", &kThrow},
    {sizeof(modrt_provide), MODRT_EXT_INTERCEPTOR, "interceptor.fault_twice", &kTwice},
    {sizeof(modrt_provide), MODRT_EXT_INTERCEPTOR, "interceptor.fault_null", &kNull},
    {sizeof(modrt_provide), MODRT_EXT_INTERCEPTOR, "interceptor.fault_badargs", &kBadArgs},
    {sizeof(modrt_provide), MODRT_EXT_INTERCEPTOR, "interceptor.fault_create", &kCreateThrows},
    {sizeof(modrt_provide), MODRT_EXT_INTERCEPTOR, "interceptor.fault_hooks", &kHooks},
};
const modrt_plugin_descriptor kDescriptor = {sizeof(modrt_plugin_descriptor),
                                             MODRT_ABI_MAJOR,
                                             MODRT_ABI_MINOR,
                                             "test.fault.interceptor",
                                             "0.0.1",
                                             kProvides,
                                             sizeof kProvides / sizeof kProvides[0],
                                             init,
                                             nullptr};

}  // namespace

extern "C" MODRT_EXPORT const modrt_plugin_descriptor* modrt_plugin_entry(void) { return &kDescriptor; }
