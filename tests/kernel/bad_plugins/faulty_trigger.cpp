// test.fault.trigger: triggers that break their contract, against abi.h only. The entry's
// `mode` picks the fault:
//   start_throws   start throws a C++ exception
//   start_fails    start returns an error pointing at the entry's `port` field
//   stop_throws    starts; stop and destroy throw
//   create_throws  create throws (at registry load)
#include <modrt/abi.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace {

const modrt_host_api* g_host = nullptr;

struct Trigger {
    std::string mode;
};

std::string field_text(const modrt_entry_info* entry, const char* name) {
    const modrt_value* v = g_host->value_find(entry->fields, modrt_str{name, std::strlen(name)});
    modrt_str s = g_host->value_string(v);
    return std::string(s.ptr ? s.ptr : "", s.len);
}

modrt_error* create(void*, const modrt_entry_info* entry, void** out) {
    auto t = std::make_unique<Trigger>();
    t->mode = field_text(entry, "mode");
    if (t->mode == "create_throws") throw std::runtime_error("cannot make this trigger");
    *out = t.release();  // owned by the kernel until destroy
    return nullptr;
}

modrt_error* start(void* trigger, modrt_value*) {
    const std::string& mode = static_cast<Trigger*>(trigger)->mode;
    if (mode == "start_throws") throw std::runtime_error("start exploded");
    if (mode == "start_fails") {
        static const char msg[] = "port 1 is taken";
        modrt_error* err = g_host->error_new(MODRT_ERR_UNAVAILABLE, modrt_str{msg, sizeof msg - 1});
        modrt_value* details = g_host->error_details_mut(err);
        g_host->value_set_map(details, 1);
        g_host->value_set_string(g_host->value_insert(details, modrt_str{"field", 5}), modrt_str{"port", 4});
        return err;
    }
    return nullptr;
}

void stop(void* trigger, int64_t) {
    if (static_cast<Trigger*>(trigger)->mode == "stop_throws") throw std::runtime_error("stop exploded");
}

void destroy(void*, void* trigger) {
    std::unique_ptr<Trigger> owned(static_cast<Trigger*>(trigger));
    if (owned->mode == "stop_throws") throw std::runtime_error("destroy exploded");
}

modrt_error* init(const modrt_host_api* host, const modrt_value*, void** out) {
    g_host = host;
    *out = nullptr;
    return nullptr;
}

const modrt_trigger_api kTrigger = {
    .struct_size = sizeof(modrt_trigger_api), .create = create, .start = start, .stop = stop, .destroy = destroy};
const modrt_provide kProvides[] = {{sizeof(modrt_provide), MODRT_EXT_TRIGGER, "test.fault.trigger", &kTrigger}};
const modrt_plugin_descriptor kDescriptor = {sizeof(modrt_plugin_descriptor),
                                             MODRT_ABI_MAJOR,
                                             MODRT_ABI_MINOR,
                                             "test.fault.trigger",
                                             "0.0.1",
                                             kProvides,
                                             sizeof kProvides / sizeof kProvides[0],
                                             init,
                                             nullptr};

}  // namespace

extern "C" MODRT_EXPORT const modrt_plugin_descriptor* modrt_plugin_entry(void) { return &kDescriptor; }
