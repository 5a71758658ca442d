// Native functions for the interceptor tests (function.native, `method: <name>`).
// Counters are keyed by a string argument so each test counts its own calls.
#include <modrt/sdk.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace {

std::mutex counters_mutex;
std::map<std::string, int64_t, std::less<>> counters;  // a test library's own bookkeeping, not runtime state

int64_t bump(std::string_view key) {
    std::lock_guard lock(counters_mutex);
    return ++counters[std::string(key)];
}

int64_t count_of(std::string_view key) {
    std::lock_guard lock(counters_mutex);
    auto it = counters.find(key);
    return it == counters.end() ? 0 : it->second;
}

}  // namespace

// flaky(key, fails) -> the call number; the first `fails` calls fail with a retryable UNAVAILABLE.
MODRT_NATIVE_FUNCTION(flaky) {
    int64_t n = bump(args[0].as_string());
    if (n <= args[1].as_int())
        return std::move(
            modrt::Error(MODRT_ERR_UNAVAILABLE, "flaky failure #" + std::to_string(n)).set_retryable(true));
    result.set_int(n);
    return {};
}

// maybe(key, fail) -> "ok", or a retryable UNAVAILABLE when fail is true.
MODRT_NATIVE_FUNCTION(maybe) {
    bump(args[0].as_string());
    if (args[1].as_bool()) return modrt::Error(MODRT_ERR_UNAVAILABLE, "maybe failed");
    result.set_string("ok");
    return {};
}

// hard_fail(key) -> always a non-retryable INVALID.
MODRT_NATIVE_FUNCTION(hard_fail) {
    int64_t n = bump(args[0].as_string());
    return std::move(modrt::Error(MODRT_ERR_INVALID, "hard failure #" + std::to_string(n)).set_retryable(false));
}

// calls(key) -> how many times flaky/hard_fail/sleepy ran with that key.
MODRT_NATIVE_FUNCTION(calls) {
    result.set_int(count_of(args[0].as_string()));
    return {};
}

// sleepy(key, ms) -> "slept" after ms, or the frame's cancellation as an error (checked every ms).
MODRT_NATIVE_FUNCTION(sleepy) {
    bump(args[0].as_string());
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(args[1].as_int());
    while (std::chrono::steady_clock::now() < until) {
        if (modrt_error_kind cause = frame.canceled(); cause != 0) return modrt::Error(cause, "sleepy stopped");
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    result.set_string("slept");
    return {};
}

// stubborn(ms) -> "done" after ms, ignoring cancellation.
MODRT_NATIVE_FUNCTION(stubborn) {
    std::this_thread::sleep_for(std::chrono::milliseconds(args[0].as_int()));
    result.set_string("done");
    return {};
}

// with_options(id, args, options) -> id(args) called with modrt_call_options.options = options.
MODRT_NATIVE_FUNCTION(with_options) {
    modrt_call_options o{};
    o.struct_size = sizeof(o);
    o.options = args[2].raw();
    return host.call(frame.raw(), args[0].as_string(), args[1], result, &o);
}

// ctx(key) -> the frame's context value under key (nil when absent).
MODRT_NATIVE_FUNCTION(ctx) {
    result.copy_from(frame.context(args[0].as_string()));
    return {};
}

// echo(x) -> x
MODRT_NATIVE_FUNCTION(echo) {
    result.copy_from(args[0]);
    return {};
}
