// State shared between the native test library (pool_native.cpp) and the
// tests: the library owns one instance, the tests reach it through
// dlsym("pool_test_state"). Both sides are built by this tree's compiler.
#pragma once

#include <atomic>
#include <cstdint>

namespace pool_test {

constexpr int kFlags = 8;
constexpr int kMarks = 8;

struct State {
    std::atomic<int> flags[kFlags];   // block_until(i) waits until flags[i] != 0
    std::atomic<int> marks[kMarks];   // mark(i) / block_until(i, k) count runs under index k
    std::atomic<int> running{0};      // sleep_ms / block_until calls running now
    std::atomic<int> max_running{0};  // highest `running` seen
    std::atomic<int> started{0};      // sleep_ms / block_until calls started
    std::atomic<int> blocked{0};      // block_until calls currently waiting on their flag
};

/// extern "C" State* pool_test_state(void)
using StateFn = State* (*)();
/// extern "C" void pool_test_reset(void): zero every counter and flag
using ResetFn = void (*)();

}  // namespace pool_test
