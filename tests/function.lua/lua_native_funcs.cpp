// Native functions the funcs/ctx/channel tests call from Lua (function.native,
// `method: <symbol>`). A plain module, not a plugin; the test reaches its
// counters through dlopen/dlsym of the same file.
#include <modrt/error_kinds.hpp>
#include <modrt/sdk.hpp>

#include <atomic>
#include <chrono>
#include <thread>

namespace {
std::atomic<int> g_started{0};   // naps that began
std::atomic<int> g_canceled{0};  // naps that saw their frame canceled
std::atomic<int> g_running{0};   // naps running now

struct Running {
    Running() { g_running.fetch_add(1); }
    ~Running() { g_running.fetch_sub(1); }
};
}  // namespace

extern "C" MODRT_EXPORT int lt_started() { return g_started.load(); }
extern "C" MODRT_EXPORT int lt_canceled() { return g_canceled.load(); }
extern "C" MODRT_EXPORT int lt_running() { return g_running.load(); }
extern "C" MODRT_EXPORT void lt_reset() {
    g_started.store(0);
    g_canceled.store(0);
}

// nap(ms, value) -> value after ms; fails with the cause when its frame is canceled first.
MODRT_NATIVE_FUNCTION(nap) {
    Running running;
    g_started.fetch_add(1);
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(args[0].as_int());
    while (std::chrono::steady_clock::now() < until) {
        if (modrt_error_kind cause = frame.canceled(); cause != 0) {
            g_canceled.fetch_add(1);
            return modrt::Error(cause, "nap interrupted");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    result.copy_from(args[1]);
    return {};
}

// fail(kind, message, retryable, details) -> an error with exactly these (kind by name, "NOT_FOUND" or "NotFound")
MODRT_NATIVE_FUNCTION(fail) {
    auto kind = modrt::parse_error_kind(args[0].as_string());
    modrt::Error e(kind.value_or(MODRT_ERR_UNKNOWN), args[1].as_string());
    e.set_retryable(args[2].as_bool());
    if (!args[3].is_nil()) e.details_slot().copy_from(args[3]);
    e.set_stack("native stack of fail");
    return e;
}

// frame_info() -> {actor =, meta =, scope =, context =, has_deadline =} as this call sees them
MODRT_NATIVE_FUNCTION(frame_info) {
    const modrt_host_api& h = modrt::host_api();
    result.set_map();
    if (const modrt_actor* a = frame.actor()) {
        result.insert("actor").set_string(modrt::to_view(h.actor_id(a)));
        result.insert("meta").copy_from(modrt::ValueView(h.actor_meta(a)));
    }
    if (!frame.scope().empty()) result.insert("scope").set_string(frame.scope());
    result.insert("context").copy_from(frame.context());
    result.insert("has_deadline").set_bool(frame.deadline_ns() != 0);
    if (!frame.options().is_nil()) result.insert("options").copy_from(frame.options());
    return {};
}

// call_back(id, arg) -> what id(arg) returns: a native step between two Lua functions
MODRT_NATIVE_FUNCTION(call_back) {
    modrt::Value call_args;
    call_args.slot().set_array();
    call_args.slot().push().copy_from(args[1]);
    return host.call(frame.raw(), args[0].as_string(), call_args.view(), result);
}
