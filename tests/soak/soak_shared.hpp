// What the soak's native functions and the soak test share: per-call counters,
// reached by the test through dlsym on the very library the registry loads.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

namespace soak {

/// Async children a `fan` call may start; child slot = seq * kMaxChildren + i.
inline constexpr int64_t kMaxChildren = 3;

/// Bits of SoakState::child_state.
inline constexpr uint8_t kChildStarted = 1;  // call_async succeeded
inline constexpr uint8_t kChildWaited = 2;   // waited, not canceled, and returned its slot: must have run once

struct SoakState {
    int64_t calls = 0;                             // root calls this run is sized for
    std::unique_ptr<std::atomic<uint8_t>[]> runs;  // per root call: times its leaf function ran
    std::unique_ptr<std::atomic<uint8_t>[]> child_state;
    std::unique_ptr<std::atomic<uint8_t>[]> child_done;  // per child: future_on_done callbacks seen
    std::unique_ptr<std::atomic<uint8_t>[]> child_runs;  // per child: times it ran
    std::atomic<uint64_t> invocations{0};                // every function run: root, nested and async
    std::atomic<uint64_t> problems{0};                   // invariant breaches seen inside functions
    std::mutex first_problem_mutex;
    std::string first_problem;

    void problem(const std::string& what) {
        if (problems.fetch_add(1) == 0) {
            std::lock_guard lock(first_problem_mutex);
            first_problem = what;
        }
    }
};

using StateFn = SoakState* (*)();
using ResetFn = void (*)(int64_t calls);

}  // namespace soak
