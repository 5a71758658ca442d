// Native functions the serving side of the remote-call tests exposes. Built as a function.native
// library (not a plugin). What a callee observed (its cancellation) is kept here, process-wide
// by necessity: the caller's runtime reads it back through `observed`, another entry of this library.
#include <modrt/sdk.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace {

std::atomic<int> g_started{0};   // calls of wait_cancel that began running
std::atomic<int> g_canceled{0};  // calls of wait_cancel that saw their frame canceled
std::atomic<int> g_finished{0};  // calls of wait_cancel that ran to the end

}  // namespace

// echo(...) -> the argument array as it arrived
MODRT_NATIVE_FUNCTION(echo) {
    result.copy_from(args);
    return {};
}

// whoami() -> {actor, meta, context, scope, deadline_left_ms}
MODRT_NATIVE_FUNCTION(whoami) {
    (void)args;
    result.set_map(5);
    if (const modrt_actor* a = frame.actor()) {
        result.insert("actor").set_string(modrt::to_view(host.api().actor_id(a)));
        result.insert("meta").copy_from(modrt::ValueView(host.api().actor_meta(a)));
    }
    result.insert("context").copy_from(frame.context());
    result.insert("scope").set_string(frame.scope());
    int64_t deadline = frame.deadline_ns();
    result.insert("deadline_left_ms").set_int(deadline == 0 ? -1 : (deadline - host.api().now_ns()) / 1'000'000);
    return {};
}

// wait_cancel(ms) -> "finished" after ms, or the frame's CANCELED/TIMEOUT as soon as it is stopped
MODRT_NATIVE_FUNCTION(wait_cancel) {
    ++g_started;
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(args[0].as_int());
    while (std::chrono::steady_clock::now() < until) {
        if (modrt_error_kind k = frame.canceled(); k != 0) {
            ++g_canceled;
            return modrt::Error(k, "wait_cancel stopped");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ++g_finished;
    result.set_string("finished");
    return {};
}

// observed() -> {started, canceled, finished}; observed(true) also resets them
MODRT_NATIVE_FUNCTION(observed) {
    (void)frame;
    result.set_map(3);
    result.insert("started").set_int(g_started.load());
    result.insert("canceled").set_int(g_canceled.load());
    result.insert("finished").set_int(g_finished.load());
    if (args.size() > 0 && args[0].as_bool()) g_started = g_canceled = g_finished = 0;
    return {};
}

// fail() -> a Conflict, not retryable, with details {row = 7, why = "stale"}
MODRT_NATIVE_FUNCTION(fail) {
    (void)frame;
    (void)args;
    (void)result;
    modrt::Error e(MODRT_ERR_CONFLICT, "row 7 changed under you");
    e.set_retryable(false);
    modrt::ValueSlot d = e.details_slot();
    d.set_map(2);
    d.insert("row").set_int(7);
    d.insert("why").set_string("stale");
    return e;
}

// node() -> the NODE environment variable (which `modrt serve` node answered)
MODRT_NATIVE_FUNCTION(node) {
    (void)frame;
    (void)args;
    const char* n = std::getenv("MODRT_TEST_NODE");
    result.set_string(n ? n : "");
    return {};
}
