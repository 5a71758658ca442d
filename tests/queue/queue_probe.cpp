// Native functions the queue tests' Lua handlers call to leave a trace a test can read: a
// consumer's call has no caller to hand its result to. Process-wide by necessity (the library
// is the only place the handlers and the test share).
#include <modrt/sdk.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Probe {
    std::vector<modrt::Value> records;   // record(name, value), with at_ns added
    int64_t bumps = 0;                   // bump(name)
    int64_t active = 0, max_active = 0;  // work(name, ms)
};

std::mutex g_mutex;
std::map<std::string, Probe, std::less<>> g_probes;

}  // namespace

// record(name, value) -> appends {value, at_ns}
MODRT_NATIVE_FUNCTION(record) {
    (void)frame;
    modrt::Value r;
    modrt::ValueSlot m = r.slot();
    m.set_map(2);
    host.api().value_copy(m.insert("value").raw(), args[1].raw());
    m.insert("at_ns").set_int(host.api().now_ns());
    std::lock_guard lock(g_mutex);
    g_probes[std::string(args[0].as_string())].records.push_back(std::move(r));
    result.set_bool(true);
    return {};
}

// records(name) -> [{value, at_ns}] in the order recorded
MODRT_NATIVE_FUNCTION(records) {
    (void)frame;
    std::lock_guard lock(g_mutex);
    result.set_array();
    auto it = g_probes.find(args[0].as_string());
    if (it == g_probes.end()) return {};
    for (const auto& r : it->second.records) host.api().value_copy(result.push().raw(), r.raw());
    return {};
}

// bump(name) -> how many times bump was called with `name`, this call included
MODRT_NATIVE_FUNCTION(bump) {
    (void)frame;
    std::lock_guard lock(g_mutex);
    result.set_int(++g_probes[std::string(args[0].as_string())].bumps);
    return {};
}

// work(name, ms): counts itself in flight for `ms` (stopping early when canceled) -> true
MODRT_NATIVE_FUNCTION(work) {
    std::string name(args[0].as_string());
    {
        std::lock_guard lock(g_mutex);
        Probe& p = g_probes[name];
        p.max_active = std::max(p.max_active, ++p.active);
    }
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(args[1].as_int());
    bool canceled = false;
    while (std::chrono::steady_clock::now() < until && !(canceled = frame.canceled() != 0))
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::lock_guard lock(g_mutex);
    --g_probes[name].active;
    result.set_bool(true);
    return canceled ? modrt::Error(MODRT_ERR_CANCELED, "work canceled") : modrt::Error();
}

// max_active(name) -> the most work(name, ...) calls ever in flight at once
MODRT_NATIVE_FUNCTION(max_active) {
    (void)frame;
    std::lock_guard lock(g_mutex);
    result.set_int(g_probes[std::string(args[0].as_string())].max_active);
    return {};
}
