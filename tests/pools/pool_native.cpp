// Native functions for the pool tests (function.native, `method: <symbol>`).
// Built as a plain shared library against sdk.hpp only. Counters and gates live
// in one pool_test::State that the tests reach through dlsym.
#include "pool_test_shared.hpp"

#include <modrt/sdk.hpp>

#include <chrono>
#include <string>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace {

pool_test::State g_state;

int64_t current_tid() { return static_cast<int64_t>(::syscall(SYS_gettid)); }

/// Counts one running call for the concurrency measurements.
struct Running {
    Running() {
        g_state.started.fetch_add(1);
        int now = g_state.running.fetch_add(1) + 1;
        int seen = g_state.max_running.load();
        while (now > seen && !g_state.max_running.compare_exchange_weak(seen, now)) {
        }
    }
    ~Running() { g_state.running.fetch_sub(1); }
    Running(const Running&) = delete;
    Running& operator=(const Running&) = delete;
};

int index_arg(modrt::ValueView args, size_t i, int limit) {
    int64_t v = args.size() > i ? args[i].as_int() : 0;
    return v < 0 || v >= limit ? 0 : static_cast<int>(v);
}

}  // namespace

extern "C" MODRT_EXPORT pool_test::State* pool_test_state() { return &g_state; }

extern "C" MODRT_EXPORT void pool_test_reset() {
    for (auto& f : g_state.flags) f.store(0);
    for (auto& m : g_state.marks) m.store(0);
    g_state.running.store(0);
    g_state.max_running.store(0);
    g_state.started.store(0);
    g_state.blocked.store(0);
}

// thread_id() -> the kernel thread id (gettid) of the thread running the call
MODRT_NATIVE_FUNCTION(thread_id) {
    result.set_int(current_tid());
    return {};
}

// sleep_ms(n) -> thread id; sleeps in 1 ms steps and fails early with the
// frame's cancellation kind (CANCELED / TIMEOUT) once the frame is canceled.
MODRT_NATIVE_FUNCTION(sleep_ms) {
    Running running;
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(args[0].as_int());
    while (std::chrono::steady_clock::now() < until) {
        if (modrt_error_kind cause = frame.canceled(); cause != 0)
            return modrt::Error(cause, "sleep_ms interrupted by cancellation");
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    result.set_int(current_tid());
    return {};
}

// block_until(flag, mark = 0) -> thread id; counts a run in marks[mark], then
// waits until flags[flag] != 0. Fails with the frame's cancellation kind when
// canceled, and with INTERNAL after 10 s (a test forgot to open the gate).
MODRT_NATIVE_FUNCTION(block_until) {
    Running running;
    int flag = index_arg(args, 0, pool_test::kFlags);
    g_state.marks[index_arg(args, 1, pool_test::kMarks)].fetch_add(1);
    g_state.blocked.fetch_add(1);
    struct Unblock {
        ~Unblock() { g_state.blocked.fetch_sub(1); }
    } unblock;
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (g_state.flags[flag].load() == 0) {
        if (modrt_error_kind cause = frame.canceled(); cause != 0)
            return modrt::Error(cause, "block_until interrupted by cancellation");
        if (std::chrono::steady_clock::now() > give_up)
            return modrt::Error(MODRT_ERR_INTERNAL, "block_until: flag " + std::to_string(flag) + " never opened");
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    result.set_int(current_tid());
    return {};
}

// mark(k) -> the new count of marks[k] (how many times this ran)
MODRT_NATIVE_FUNCTION(mark) {
    result.set_int(g_state.marks[index_arg(args, 0, pool_test::kMarks)].fetch_add(1) + 1);
    return {};
}

// fail_retryable(k) -> counts a run in marks[k], then fails UNAVAILABLE, retryable
MODRT_NATIVE_FUNCTION(fail_retryable) {
    g_state.marks[index_arg(args, 0, pool_test::kMarks)].fetch_add(1);
    return modrt::Error(MODRT_ERR_UNAVAILABLE, "fail_retryable: try again").set_retryable(true);
}

// call(id, args...) -> the result of calling `id` with the remaining arguments,
// synchronously, as a child of this call's frame. call() with no arguments
// returns the thread id (the end of a chain of nested calls).
MODRT_NATIVE_FUNCTION(call) {
    if (args.size() == 0) {
        result.set_int(current_tid());
        return {};
    }
    if (!args[0].is_string()) return modrt::Error(MODRT_ERR_INVALID, "call(id, args...)");
    modrt::Value rest;
    rest.slot().set_array(args.size() - 1);
    for (size_t i = 1; i < args.size(); ++i) rest.slot().push().copy_from(args[i]);
    return host.call(frame.raw(), args[0].as_string(), rest.view(), result);
}

// throws() -> a C++ exception (the SDK guard turns it into INTERNAL)
MODRT_NATIVE_FUNCTION(throws) { throw std::runtime_error("pool test exception"); }
