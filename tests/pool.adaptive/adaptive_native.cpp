// Native functions for the pool.adaptive tests: one that blocks like I/O, one
// that burns CPU. Built against sdk.hpp only.
#include <modrt/sdk.hpp>

#include <chrono>
#include <thread>

// sleep_ms(n): blocks n milliseconds, using no CPU.
MODRT_NATIVE_FUNCTION(adaptive_sleep_ms) {
    (void)frame;
    std::this_thread::sleep_for(std::chrono::milliseconds(args[0].as_int()));
    result.set_bool(true);
    return {};
}

// spin_us(n): keeps a core busy n microseconds.
MODRT_NATIVE_FUNCTION(adaptive_spin_us) {
    (void)frame;
    auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(args[0].as_int());
    uint64_t n = 0;
    while (std::chrono::steady_clock::now() < until) ++n;
    result.set_int(static_cast<int64_t>(n));
    return {};
}
