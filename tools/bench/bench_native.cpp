// Native functions the benchmarks call, and the plain C function they wrap.
#include <modrt/sdk.hpp>

#include <chrono>
#include <thread>

/// The work itself: what BM_Baseline/direct_call calls through a function pointer.
extern "C" MODRT_EXPORT int64_t bench_add_raw(int64_t a, int64_t b) { return a + b; }

MODRT_NATIVE_FUNCTION(bench_add) {
    modrt::ScalarArgs<2> in(args);  // both arguments in one host call
    result.set_int(bench_add_raw(in.as_int(0), in.as_int(1)));
    return {};
}

/// Blocks like I/O would: sleeps args[0] milliseconds.
MODRT_NATIVE_FUNCTION(bench_sleep_ms) {
    std::this_thread::sleep_for(std::chrono::milliseconds(args[0].as_int()));
    result.set_bool(true);
    return {};
}
