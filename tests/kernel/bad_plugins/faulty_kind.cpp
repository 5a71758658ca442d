// test.fault.kind: a function kind that misbehaves mid-call, written against
// abi.h only (no sdk.hpp guard), as a careless or foreign plugin would. The
// entry's `method` picks the fault, so one plugin serves every case.
#include <modrt/abi.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string_view>

extern "C" modrt_error* faulty_bogus_kind_error(const modrt_host_api* host);  // faulty_kind_bogus.c

namespace {

enum class Fault : intptr_t {
    echo = 1,
    count,
    throws,
    throws_int,
    bogus_kind,
    no_result,
    error_and_result,
    odd_values
};

std::atomic<int64_t> g_runs{0};  // invocations of `count` entries, so a test can tell how often one ran

const modrt_host_api* g_host = nullptr;

modrt_str str(std::string_view s) { return modrt_str{s.data(), s.size()}; }

modrt_error* entry_create(void*, const modrt_entry_info* info, void** out) {
    std::string_view m(info->method.ptr, info->method.len);
    Fault f = m == "count"              ? Fault::count
              : m == "throws"           ? Fault::throws
              : m == "throws_int"       ? Fault::throws_int
              : m == "bogus_kind"       ? Fault::bogus_kind
              : m == "no_result"        ? Fault::no_result
              : m == "error_and_result" ? Fault::error_and_result
              : m == "odd_values"       ? Fault::odd_values
                                        : Fault::echo;
    *out = reinterpret_cast<void*>(static_cast<intptr_t>(f));  // the handle is the fault itself: nothing to free
    return nullptr;
}

void entry_destroy(void*, void*) {}

// Values a careless plugin may legally write but a careless host may choke on.
void write_odd_values(modrt_value* result) {
    const modrt_host_api& h = *g_host;
    h.value_set_map(result, 0);
    static const char raw[] = {'a', '\0', '\xff', '\xfe', 'z'};  // embedded NUL, invalid UTF-8
    h.value_set_string(h.value_insert(result, str("bad_utf8")), modrt_str{raw, sizeof raw});
    h.value_set_bytes(h.value_insert(result, str("bytes")), modrt_str{raw, sizeof raw});
    h.value_set_number(h.value_insert(result, str("nan")), std::nan(""));
    h.value_set_number(h.value_insert(result, str("inf")), HUGE_VAL);
    h.value_set_int(h.value_insert(result, str("dup")), 1);
    h.value_set_int(h.value_insert(result, str("dup")), 2);  // the same key again: replaces
    h.value_set_array(h.value_insert(result, str("empty_key")), 0);
    h.value_set_nil(h.value_insert(result, str("")));
    modrt_value* deep = h.value_insert(result, str("deep"));
    for (int i = 0; i < 64; ++i) deep = h.value_push(deep);
    h.value_set_int(deep, 64);
}

modrt_error* invoke(void*, void* entry, modrt_frame*, const modrt_value* args, modrt_value* result) {
    switch (static_cast<Fault>(reinterpret_cast<intptr_t>(entry))) {
        case Fault::throws: throw std::runtime_error("test.fault.kind blew up");  // across the C boundary
        case Fault::throws_int: throw 42;                                         // not even a std::exception
        case Fault::bogus_kind: return faulty_bogus_kind_error(g_host);
        case Fault::no_result: return nullptr;  // never touches `result`
        case Fault::error_and_result:
            g_host->value_set_int(result, 7);
            return g_host->error_new(MODRT_ERR_INVALID, str("failed after writing a result"));
        case Fault::odd_values: write_odd_values(result); return nullptr;
        case Fault::count: g_host->value_set_int(result, g_runs.fetch_add(1) + 1); return nullptr;
        case Fault::echo: g_host->value_copy(result, g_host->value_at(args, 0)); return nullptr;
    }
    return nullptr;
}

modrt_error* init(const modrt_host_api* host, const modrt_value*, void** out) {
    g_host = host;
    *out = nullptr;
    return nullptr;
}

const modrt_kind_api kKind = {sizeof(modrt_kind_api), entry_create, entry_destroy, invoke};
const modrt_provide kProvides[] = {{sizeof(modrt_provide), MODRT_EXT_FUNCTION_KIND, "test.fault.kind", &kKind}};
const modrt_plugin_descriptor kDescriptor = {sizeof(modrt_plugin_descriptor),
                                             MODRT_ABI_MAJOR,
                                             MODRT_ABI_MINOR,
                                             "test.fault.kind",
                                             "0.0.1",
                                             kProvides,
                                             1,
                                             init,
                                             nullptr};

}  // namespace

extern "C" MODRT_EXPORT const modrt_plugin_descriptor* modrt_plugin_entry(void) { return &kDescriptor; }
