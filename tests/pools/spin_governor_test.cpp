// Spinning before parking (sdk/include/modrt/spin_governor.hpp), and the parked hand-off it
// leads to when caller and worker share one core: every call comes back, none is lost.
#include "pool_test_util.hpp"

#include <modrt/spin_governor.hpp>

#include <sched.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace pool_test {
namespace {

using namespace std::chrono_literals;

constexpr modrt::SpinResult kHit{true, false};
constexpr modrt::SpinResult kMiss{false, false};
constexpr modrt::SpinResult kAtOnce{true, true};

TEST(SpinUntil, ReportsWhetherItHadToSpin) {
    modrt::SpinResult ready = modrt::spin_until([] { return true; }, 1ms);
    EXPECT_TRUE(ready.done);
    EXPECT_TRUE(ready.at_once);

    int polls = 0;
    modrt::SpinResult later = modrt::spin_until([&] { return ++polls > 100; }, 10s);
    EXPECT_TRUE(later.done);
    EXPECT_FALSE(later.at_once);

    EXPECT_TRUE(static_cast<bool>(later)) << "reads as done, as the bool it used to be";

    auto start = std::chrono::steady_clock::now();
    modrt::SpinResult never = modrt::spin_until([] { return false; }, 2ms);
    EXPECT_FALSE(never.done);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 2ms) << "gave up before its limit";
}

TEST(SpinGovernor, ParksAtOnceAfterThreeMissesAndRetriesNowAndThen) {
    modrt::SpinGovernor g;
    for (int n = 0; n < 3; ++n) {
        ASSERT_TRUE(g.should_spin());
        g.record(kMiss);
    }
    int spins = 0;
    for (int n = 0; n < 640; ++n)
        if (g.should_spin()) {
            ++spins;
            g.record(kMiss);
        }
    EXPECT_EQ(spins, 10) << "one trial spin every 64 waits";
    // A trial spin that pays brings spinning back.
    while (!g.should_spin()) {
    }
    g.record(kHit);
    EXPECT_TRUE(g.should_spin());
}

// On one shared core the awaited thread often runs before the waiter starts to wait: such a
// spin found nothing to spin for, and must not count as one that paid.
TEST(SpinGovernor, AnAnswerAtTheFirstPollNeitherHitsNorMisses) {
    modrt::SpinGovernor g;
    for (int n = 0; n < 3; ++n) g.record(kMiss);
    while (!g.should_spin()) {
    }
    g.record(kAtOnce);
    EXPECT_FALSE(g.should_spin()) << "an answer at the first poll brought spinning back";

    modrt::SpinGovernor fresh;
    fresh.record(kMiss);
    fresh.record(kMiss);
    for (int n = 0; n < 10; ++n) fresh.record(kAtOnce);
    fresh.record(kMiss);
    EXPECT_FALSE(fresh.should_spin()) << "answers at the first poll reset the misses";

    modrt::SpinGovernor by_bool;  // the older form: a plain hit or miss
    for (int n = 0; n < 3; ++n) by_bool.record(false);
    while (!by_bool.should_spin()) {
    }
    by_bool.record(true);
    EXPECT_TRUE(by_bool.should_spin());
}

// Caller and worker confined to one CPU: each hand-off parks one of them (a spin cannot see
// the other thread run), through the futex word the caller sleeps on. Nothing may be lost.
TEST_F(PoolTest, CallerAndWorkerOnOneCoreCompleteEveryCall) {
    cpu_set_t before;
    ASSERT_EQ(sched_getaffinity(0, sizeof before, &before), 0);
    int cpu = -1;
    for (int c = 0; c < CPU_SETSIZE && cpu < 0; ++c)
        if (CPU_ISSET(c, &before)) cpu = c;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
    struct Restore {
        cpu_set_t set;
        ~Restore() { sched_setaffinity(0, sizeof set, &set); }
    } restore{before};

    // Loaded after pinning: the pool's worker thread inherits this thread's CPU.
    auto rt = load(registry("core", {native_entry("tid", "thread_id", "{workers: 1}")}));
    constexpr int kCalls = 3000;
    int ok = 0;
    for (int n = 0; n < kCalls; ++n) {
        auto r = rt->call("core:tid", Value::array());
        ASSERT_TRUE(r.ok()) << r.error->message;
        ok += r.value.type == MODRT_INT ? 1 : 0;
    }
    EXPECT_EQ(ok, kCalls);
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "core:tid").completed == kCalls; }));
}

}  // namespace
}  // namespace pool_test
