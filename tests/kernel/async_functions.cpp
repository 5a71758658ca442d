// Native functions exercising asynchronous calls through the host API.
#include <modrt/sdk.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace {
std::atomic<int> g_canceled_children{0};  // test-visible: callees that saw their cancellation
std::atomic<int> g_started_children{0};   // callees that began running
}  // namespace

extern "C" MODRT_EXPORT int kt_canceled_children() { return g_canceled_children.load(); }
extern "C" MODRT_EXPORT void kt_reset_canceled_children() {
    g_canceled_children.store(0);
    g_started_children.store(0);
}

/// Start args[0] (an id) asynchronously with args[1] as its one argument.
modrt::Error start(const modrt::Host& host, modrt::Frame frame, modrt::ValueView args, modrt::Future& out) {
    modrt::Value call_args;
    call_args.slot().set_array();
    call_args.slot().push().copy_from(args[1]);
    return host.call_async(frame.raw(), args[0].as_string(), call_args.view(), out);
}

// fan_out(id, n, arg) -> starts n async calls of id(arg, i), waits for all, returns their results in order
MODRT_NATIVE_FUNCTION(fan_out) {
    std::string id(args[0].as_string());
    int64_t n = args[1].as_int();
    std::vector<modrt::Future> futures(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
        modrt::Value call_args;
        call_args.slot().set_array();
        call_args.slot().push().copy_from(args[2]);
        call_args.slot().push().set_int(i);
        if (modrt::Error err = host.call_async(frame.raw(), id, call_args.view(), futures[static_cast<size_t>(i)]);
            err.failed())
            return err;
    }
    result.set_array(static_cast<size_t>(n));
    for (auto& f : futures) {
        if (modrt::Error err = f.wait(frame.raw()); err.failed()) return err;
        modrt::Value one;
        if (modrt::Error err = f.result(one.slot()); err.failed()) return err;
        result.push().copy_from(one.view());
    }
    return {};
}

// mul(a, i) -> a * (i + 1): a cheap callee for fan_out
MODRT_NATIVE_FUNCTION(mul) {
    result.set_int(args[0].as_int() * (args[1].as_int() + 1));
    return {};
}

// linger(max_ms) -> waits for cancellation (counting it) or returns "finished" after max_ms
MODRT_NATIVE_FUNCTION(linger) {
    g_started_children.fetch_add(1);
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(args[0].as_int());
    while (std::chrono::steady_clock::now() < until) {
        if (modrt_error_kind cause = frame.canceled(); cause != 0) {
            g_canceled_children.fetch_add(1);
            return modrt::Error(cause, "linger canceled");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    result.set_string("finished");
    return {};
}

// start_and_return(id, ms) -> starts id(ms) asynchronously and returns without waiting
MODRT_NATIVE_FUNCTION(start_and_return) {
    int started = g_started_children.load();  // before the call: it may start at once
    modrt::Future f;
    if (modrt::Error err = start(host, frame, args, f); err.failed()) return err;
    // Return only once it runs, so that what ends it is this caller returning.
    while (g_started_children.load() == started && !f.done()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // Keep the future alive past this function (as a leaked handle would) to show that the
    // runtime, not the handle, ends the call when its caller returns.
    static std::vector<modrt::Future> kept;
    kept.push_back(std::move(f));
    result.set_bool(true);
    return {};
}

// cancel_child(id, ms) -> starts id(ms), cancels it, waits; returns the child's error kind name
MODRT_NATIVE_FUNCTION(cancel_child) {
    modrt::Future f;
    if (modrt::Error err = start(host, frame, args, f); err.failed()) return err;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let it start
    f.cancel();
    if (modrt::Error err = f.wait(frame.raw()); err.failed()) return err;
    modrt::Value one;
    modrt::Error child = f.result(one.slot());
    result.set_int(child.failed() ? child.kind() : -1);
    return {};
}

// wait_child(id, ms) -> starts id(ms) and waits for it (the caller's deadline may end the wait)
MODRT_NATIVE_FUNCTION(wait_child) {
    modrt::Future f;
    if (modrt::Error err = start(host, frame, args, f); err.failed()) return err;
    if (modrt::Error err = f.wait(frame.raw()); err.failed()) return err;
    return f.result(result);
}
