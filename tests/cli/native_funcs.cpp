// Native functions the CLI end-to-end tests call through function.native.
// Built as a MODULE library against the SDK only; the registry names each
// function by its exported symbol (`method:`).
#include <modrt/sdk.hpp>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

// greet(name) -> "Hello, <name>!"
MODRT_NATIVE_FUNCTION(greet) {
    (void)frame;
    if (args.size() != 1 || !args[0].is_string())
        return modrt::Error(MODRT_ERR_INVALID, "greet takes one string argument");
    result.set_string("Hello, " + std::string(args[0].as_string()) + "!");
    return {};
}

// fail() -> NotFound "no such user" with details {user_id: 42, hint: "..."}
MODRT_NATIVE_FUNCTION(fail) {
    (void)frame;
    (void)args;
    (void)result;
    modrt::Error e(MODRT_ERR_NOT_FOUND, "no such user");
    modrt::ValueSlot d = e.details_slot();
    d.set_map();
    d.insert("user_id").set_int(42);
    d.insert("hint").set_string("try another id");
    return e;
}

// echo(args...) -> the argument array itself
MODRT_NATIVE_FUNCTION(echo) {
    (void)frame;
    result.copy_from(args);
    return {};
}

// ctx(key) -> the frame's context value under key (nil when absent)
MODRT_NATIVE_FUNCTION(ctx) {
    if (args.size() != 1 || !args[0].is_string()) return modrt::Error(MODRT_ERR_INVALID, "ctx takes one key");
    modrt::ValueView v = frame.context(args[0].as_string());
    if (v.raw() != nullptr) result.copy_from(v);
    return {};
}

// whoami() -> the actor id, or nil when anonymous
MODRT_NATIVE_FUNCTION(whoami) {
    (void)args;
    if (const modrt_actor* a = frame.actor()) result.set_string(modrt::to_view(modrt::host_api().actor_id(a)));
    return {};
}

// boom() -> throws; the SDK guard must turn it into an Internal error
MODRT_NATIVE_FUNCTION(boom) {
    (void)frame;
    (void)args;
    (void)result;
    throw std::runtime_error("kaboom");
}

// wait(ms) -> sleeps up to ms, polling the frame; returns the cancellation cause when cut short
MODRT_NATIVE_FUNCTION(wait) {
    int64_t ms = args.size() > 0 ? args[0].as_int() : 0;
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < until) {
        if (modrt_error_kind cause = frame.canceled(); cause != 0) return modrt::Error(cause, "wait stopped early");
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    result.set_string("waited");
    return {};
}

// stubborn(ms) -> "done" after ms, never looking at its frame: it ignores cancellation,
// as a function blocked in a system call would. Logs "stubborn: started" (a warning, so
// the default log level shows it) for tests that signal the CLI once the call runs.
MODRT_NATIVE_FUNCTION(stubborn) {
    int64_t ms = args.size() > 0 ? args[0].as_int() : 0;
    host.log(MODRT_LOG_WARN, "stubborn: started");
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    result.set_string("done");
    return {};
}

// note(path, text, wait_ms) -> waits up to wait_ms (polling the frame), then appends a line to
// path: `text`, or "canceled" when the wait was cut short. `modrt serve` tests read the file.
MODRT_NATIVE_FUNCTION(note) {
    int64_t ms = args.size() > 2 ? args[2].as_int() : 0;
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    std::string line(args[1].as_string());
    while (std::chrono::steady_clock::now() < until) {
        if (frame.canceled() != 0) {
            line = "canceled";
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::ofstream(std::string(args[0].as_string()), std::ios::app) << line << "\n";
    result.set_nil();
    return {};
}
