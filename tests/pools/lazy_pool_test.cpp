// pool.lazy: no workers until calls come, one more per call that finds none
// free (up to max_size), queueing beyond it, and idle workers retiring.
#include "pool_test_util.hpp"

#include <algorithm>
#include <set>

namespace pool_test {
namespace {

using LazyPool = PoolTest;

TEST_F(LazyPool, StartsWithNoWorkers) {
    auto rt = load(registry("lz", {native_entry("tid", "thread_id", "{max_size: 3}")}));
    auto st = stats(*rt, "lz:tid");
    EXPECT_EQ(st.workers, 0u);
    EXPECT_EQ(st.busy, 0u);
    EXPECT_EQ(st.queued, 0u);

    auto r = rt->call("lz:tid", Value::array());
    ASSERT_TRUE(r.ok()) << error_text(r);
    EXPECT_NE(r.value.scalar.i, this_tid()) << "a lazy pool ran the call on the caller's thread";
    EXPECT_EQ(stats(*rt, "lz:tid").workers, 1u);
}

TEST_F(LazyPool, GrowsOneWorkerPerBlockedCallUpToMaxSizeThenQueues) {
    auto rt = load(registry("lz", {native_entry("block", "block_until", "{max_size: 3, idle_timeout: 100ms}")}));
    std::vector<std::future<CallResult>> calls;
    OpenGatesOnExit gates;
    for (int n = 1; n <= 5; ++n) {
        calls.push_back(call_async(*rt, "lz:block", args({i(0)})));
        const int running = std::min(n, 3);
        const uint64_t queued = static_cast<uint64_t>(n - running);
        ASSERT_TRUE(wait_until([&] {
            auto st = stats(*rt, "lz:block");
            return native().blocked.load() == running && st.queued == queued;
        })) << "after "
            << n << " calls: blocked=" << native().blocked.load() << " queued=" << stats(*rt, "lz:block").queued;
        auto st = stats(*rt, "lz:block");
        EXPECT_EQ(st.workers, static_cast<uint64_t>(running)) << "after " << n << " blocked calls";
        EXPECT_EQ(st.busy, static_cast<uint64_t>(running));
    }
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(stats(*rt, "lz:block").workers, 3u) << "grew beyond max_size";
    EXPECT_EQ(native().running.load(), 3);

    open_flag(0);
    for (auto& c : calls) {
        ASSERT_TRUE(ready(c, 3000ms));
        auto r = c.get();
        EXPECT_TRUE(r.ok()) << error_text(r);
    }
    EXPECT_EQ(native().max_running.load(), 3);
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "lz:block").completed == 5; }));
}

TEST_F(LazyPool, IdleWorkersRetireAfterIdleTimeoutAndComeBackOnDemand) {
    auto rt = load(registry("lz", {native_entry("block", "block_until", "{max_size: 3, idle_timeout: 100ms}")}));
    std::vector<std::future<CallResult>> calls;
    OpenGatesOnExit gates;
    for (int n = 0; n < 3; ++n) calls.push_back(call_async(*rt, "lz:block", args({i(0)})));
    ASSERT_TRUE(wait_until([&] { return native().blocked.load() == 3; }));
    EXPECT_EQ(stats(*rt, "lz:block").workers, 3u);
    open_flag(0);
    for (auto& c : calls) {
        ASSERT_TRUE(ready(c, 3000ms));
        EXPECT_TRUE(c.get().ok());
    }
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "lz:block").workers == 0; }, 3000ms))
        << "workers=" << stats(*rt, "lz:block").workers << " 3 s after the last call (idle_timeout 100ms)";
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 50ms) << "workers left before idle_timeout";

    // A call after they all left starts a worker again.
    auto r = rt->call("lz:block", args({i(0)}));
    EXPECT_TRUE(r.ok()) << error_text(r);
    EXPECT_GE(stats(*rt, "lz:block").workers, 1u);
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "lz:block").workers == 0; }, 3000ms));
}

TEST_F(LazyPool, RetiredWorkerThreadsAreJoined) {
    // Lazy workers that time out must not accumulate as threads: after several
    // grow/shrink rounds the process has no more threads than before.
    size_t before = thread_count();
    {
        auto rt = load(registry("lz", {native_entry("block", "block_until", "{max_size: 2, idle_timeout: 50ms}")}));
        OpenGatesOnExit gates;
        for (int round = 0; round < 3; ++round) {
            native().flags[0].store(0);
            std::vector<std::future<CallResult>> calls;
            for (int n = 0; n < 2; ++n) calls.push_back(call_async(*rt, "lz:block", args({i(0)})));
            ASSERT_TRUE(wait_until([&] { return native().blocked.load() == 2; }));
            open_flag(0);
            for (auto& c : calls) {
                ASSERT_TRUE(ready(c, 3000ms));
                EXPECT_TRUE(c.get().ok());
            }
            ASSERT_TRUE(wait_until([&] { return stats(*rt, "lz:block").workers == 0; }, 3000ms));
        }
        // Workers have left their loop; their std::threads are joined on the next
        // submit or at destruction. Either way, no thread may outlive the runtime.
    }
    EXPECT_TRUE(wait_until([&] { return thread_count() <= before; }, 3000ms))
        << "threads before=" << before << " after=" << thread_count();
}

TEST_F(LazyPool, AQueuedCallBeyondMaxSizeRunsWhenAWorkerFrees) {
    auto rt = load(registry("lz", {native_entry("block", "block_until", "{max_size: 1, buffer: 4}")}));
    std::vector<std::future<CallResult>> calls;
    OpenGatesOnExit gates;
    calls.push_back(call_async(*rt, "lz:block", args({i(0), i(1)})));
    ASSERT_TRUE(wait_until([&] { return native().blocked.load() == 1; }));
    calls.push_back(call_async(*rt, "lz:block", args({i(0), i(2)})));
    ASSERT_TRUE(wait_until([&] { return stats(*rt, "lz:block").queued == 1; }));
    EXPECT_EQ(stats(*rt, "lz:block").workers, 1u);
    open_flag(0);
    for (auto& c : calls) {
        ASSERT_TRUE(ready(c, 3000ms));
        EXPECT_TRUE(c.get().ok());
    }
    EXPECT_EQ(native().marks[1].load(), 1);
    EXPECT_EQ(native().marks[2].load(), 1);
}

TEST_F(LazyPool, DurationsAcceptMillisecondsAndUnits) {
    auto rt = load(registry("lz", {native_entry("a", "thread_id", "{max_size: 2, idle_timeout: 250}"),
                                   native_entry("b", "thread_id", "{max_size: 2, idle_timeout: 1s}"),
                                   native_entry("c", "thread_id", "{max_size: 2, idle_timeout: \"1.5m\"}")}));
    for (const char* id : {"lz:a", "lz:b", "lz:c"}) {
        EXPECT_EQ(pool_type(*rt, id), "lazy");
        auto r = rt->call(id, Value::array());
        EXPECT_TRUE(r.ok()) << id << ": " << error_text(r);
    }
}

}  // namespace
}  // namespace pool_test
