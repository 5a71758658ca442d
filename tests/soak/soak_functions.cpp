// The soak's functions (function.native, one library, several entries and pools).
// Every argument list starts with a sequence number the function echoes back, so
// the test can tell a lost, doubled or crossed call from a correct one.
#include "soak_shared.hpp"

#include <modrt/sdk.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace {

soak::SoakState g_state;

/// Run for `us` microseconds, returning early with the cause when the frame is canceled.
modrt::Error busy_sleep(modrt::Frame frame, int64_t us) {
    auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(us);
    for (;;) {
        if (modrt_error_kind cause = frame.canceled(); cause != 0)
            return modrt::Error(cause, "soak: canceled while sleeping");
        auto now = std::chrono::steady_clock::now();
        if (now >= until) return {};
        std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(until - now, std::chrono::microseconds(50)));
    }
}

void on_child_done(void* user, modrt_future*) { g_state.child_done[reinterpret_cast<uintptr_t>(user)].fetch_add(1); }

}  // namespace

extern "C" MODRT_EXPORT soak::SoakState* soak_state() { return &g_state; }

extern "C" MODRT_EXPORT void soak_reset(int64_t calls) {
    auto fresh = [](int64_t n) {
        auto a = std::make_unique<std::atomic<uint8_t>[]>(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) a[i].store(0);  // touch every page now, not during the run (RSS)
        return a;
    };
    g_state.calls = calls;
    g_state.runs = fresh(calls);
    g_state.child_state = fresh(calls * soak::kMaxChildren);
    g_state.child_done = fresh(calls * soak::kMaxChildren);
    g_state.child_runs = fresh(calls * soak::kMaxChildren);
    g_state.invocations.store(0);
    g_state.problems.store(0);
    g_state.first_problem.clear();
}

// echo(seq) -> seq
MODRT_NATIVE_FUNCTION(soak_echo) {
    (void)frame;
    g_state.invocations.fetch_add(1, std::memory_order_relaxed);
    int64_t seq = args[0].as_int();
    g_state.runs[seq].fetch_add(1);
    result.set_int(seq);
    return {};
}

// sleepy(seq, us) -> seq after about `us` µs, or the cancellation's cause
MODRT_NATIVE_FUNCTION(soak_sleepy) {
    g_state.invocations.fetch_add(1, std::memory_order_relaxed);
    int64_t seq = args[0].as_int();
    g_state.runs[seq].fetch_add(1);
    if (modrt::Error err = busy_sleep(frame, args[1].as_int()); err.failed()) return err;
    result.set_int(seq);
    return {};
}

// relay(seq, id1, id2, ...) -> id1(seq, id2, ...) synchronously; relay(seq) -> seq (the leaf)
MODRT_NATIVE_FUNCTION(soak_relay) {
    g_state.invocations.fetch_add(1, std::memory_order_relaxed);
    int64_t seq = args[0].as_int();
    if (args.size() == 1) {
        g_state.runs[seq].fetch_add(1);
        result.set_int(seq);
        return {};
    }
    modrt::Value rest;
    rest.slot().set_array(args.size() - 1);
    rest.slot().push().set_int(seq);
    for (size_t i = 2; i < args.size(); ++i) rest.slot().push().copy_from(args[i]);
    if (modrt::Error err = host.call(frame.raw(), args[1].as_string(), rest.view(), result); err.failed()) return err;
    if (result.view().as_int() != seq) g_state.problem("relay " + std::to_string(seq) + " got another call's result");
    return {};
}

// child(slot, us) -> slot, after about `us` µs (an async child of fan)
MODRT_NATIVE_FUNCTION(soak_child) {
    g_state.invocations.fetch_add(1, std::memory_order_relaxed);
    int64_t slot = args[0].as_int();
    g_state.child_runs[slot].fetch_add(1);
    if (modrt::Error err = busy_sleep(frame, args[1].as_int()); err.failed()) return err;
    result.set_int(slot);
    return {};
}

// fan(seq, [child ids], cancel_mask, release_mask, us) -> seq. Starts one async child per id,
// cancels those in cancel_mask, drops (releases unwaited) those in release_mask, waits the rest.
MODRT_NATIVE_FUNCTION(soak_fan) {
    g_state.invocations.fetch_add(1, std::memory_order_relaxed);
    int64_t seq = args[0].as_int();
    modrt::ValueView ids = args[1];
    int64_t cancel_mask = args[2].as_int();
    int64_t release_mask = args[3].as_int();
    int64_t us = args[4].as_int();
    std::vector<modrt::Future> futures(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
        int64_t slot = seq * soak::kMaxChildren + static_cast<int64_t>(i);
        modrt::Value child_args;
        child_args.slot().set_array(2);
        child_args.slot().push().set_int(slot);
        child_args.slot().push().set_int(us);
        if (modrt::Error err = host.call_async(frame.raw(), ids[i].as_string(), child_args.view(), futures[i]);
            err.failed()) {
            g_state.problem("fan " + std::to_string(seq) + ": call_async failed: " + std::string(err.message()));
            return err;
        }
        g_state.child_state[slot].fetch_or(soak::kChildStarted);
        modrt::host_api().future_on_done(futures[i].raw(), &on_child_done, reinterpret_cast<void*>(slot));
    }
    for (size_t i = 0; i < futures.size(); ++i) {
        if (cancel_mask & (1 << i)) futures[i].cancel();
        if (release_mask & (1 << i)) futures[i] = modrt::Future();  // released unwaited: canceled if still running
    }
    for (size_t i = 0; i < futures.size(); ++i) {
        if (release_mask & (1 << i)) continue;
        int64_t slot = seq * soak::kMaxChildren + static_cast<int64_t>(i);
        if (modrt::Error err = futures[i].wait(frame.raw()); err.failed()) {
            g_state.problem("fan " + std::to_string(seq) + ": wait failed: " + std::string(err.message()));
            return err;
        }
        modrt::Value one;
        modrt::Error err = futures[i].result(one.slot());
        bool canceled = (cancel_mask & (1 << i)) != 0;
        if (!err.failed() && one.view().as_int() == slot) {
            if (!canceled) g_state.child_state[slot].fetch_or(soak::kChildWaited);
        } else if (!(canceled && err.failed() && err.kind() == MODRT_ERR_CANCELED)) {
            g_state.problem("fan " + std::to_string(seq) + " child " + std::to_string(i) + ": " +
                            (err.failed() ? std::string(err.message()) : "wrong result"));
        }
    }
    g_state.runs[seq].fetch_add(1);
    result.set_int(seq);
    return {};
}
