// Native functions the schedule tests call from schedule.function entries. Built as a
// function.native library (not a plugin). The runs a test observes are kept here, per
// name, because a scheduled call has no caller to hand its result to: the test reads
// them back with `runs`. Process-wide by necessity (the library is the only shared place).
#include <modrt/sdk.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using modrt::ValueSlot;
using modrt::ValueView;

namespace {

struct RunRecord {
    int64_t start_ns, end_ns;
    bool canceled;
    std::string schedule, actor;  // context "schedule" and the actor id
    int64_t arg;
};

std::mutex g_mutex;
std::map<std::string, std::vector<RunRecord>, std::less<>> g_runs;
std::map<std::string, int64_t, std::less<>> g_started;  // runs that began, per name

}  // namespace

// tick(name, sleep_ms, arg) -> records one run; sleeps sleep_ms, stopping early when canceled
MODRT_NATIVE_FUNCTION(tick) {
    {
        std::lock_guard lock(g_mutex);
        ++g_started[std::string(args[0].as_string())];
    }
    RunRecord r{host.api().now_ns(), 0, false, "", "", args.size() > 2 ? args[2].as_int() : 0};
    if (ValueView s = frame.context("schedule"); s.is_string()) r.schedule = std::string(s.as_string());
    if (const modrt_actor* a = frame.actor()) r.actor = std::string(modrt::to_view(host.api().actor_id(a)));
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(args[1].as_int());
    while (std::chrono::steady_clock::now() < until) {
        if (frame.canceled() != 0) {
            r.canceled = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    r.end_ns = host.api().now_ns();
    std::lock_guard lock(g_mutex);
    g_runs[std::string(args[0].as_string())].push_back(r);
    result.set_nil();
    return r.canceled ? modrt::Error(MODRT_ERR_CANCELED, "tick canceled") : modrt::Error();
}

// runs(name) -> [{start_ns, end_ns, canceled, schedule, actor, arg}] in the order they finished;
// runs(name, true) -> how many runs under `name` began
MODRT_NATIVE_FUNCTION(runs) {
    (void)frame;
    std::lock_guard lock(g_mutex);
    if (args.size() > 1 && args[1].as_bool()) {
        auto it = g_started.find(args[0].as_string());
        result.set_int(it == g_started.end() ? 0 : it->second);
        return {};
    }
    result.set_array();
    auto it = g_runs.find(args[0].as_string());
    if (it == g_runs.end()) return {};
    for (const RunRecord& r : it->second) {
        ValueSlot m = result.push();
        m.set_map(6);
        m.insert("start_ns").set_int(r.start_ns);
        m.insert("end_ns").set_int(r.end_ns);
        m.insert("canceled").set_bool(r.canceled);
        m.insert("schedule").set_string(r.schedule);
        m.insert("actor").set_string(r.actor);
        m.insert("arg").set_int(r.arg);
    }
    return {};
}
