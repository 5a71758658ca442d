// Destroying a Runtime while calls wait in its pools: queued calls fail with
// CANCELED on their callers' threads, running ones finish, the destructor
// returns, and no pool thread outlives it.
#include "pool_test_util.hpp"

namespace pool_test {
namespace {

using PoolShutdown = PoolTest;

TEST_F(PoolShutdown, QueuedCallsAreCanceledRunningOnesFinishNoThreadLeft) {
    const size_t threads_before = thread_count();
    std::unique_ptr<Runtime> rt = load(registry("sd", {native_entry("block", "block_until", "{workers: 1}")}));
    std::vector<std::future<CallResult>> running, queued;
    std::future<void> destroyer;
    OpenGatesOnExit gates;
    Runtime& r = *rt;
    running.push_back(call_async(r, "sd:block", args({i(0), i(1)})));
    ASSERT_TRUE(wait_until([&] { return native().blocked.load() == 1; }));
    for (int n = 0; n < 3; ++n) queued.push_back(call_async(r, "sd:block", args({i(0), i(2)})));
    ASSERT_TRUE(wait_until([&] { return stats(r, "sd:block").queued == 3; }));

    destroyer = std::async(std::launch::async, [&rt] { rt.reset(); });

    // The queued calls end (on their callers' threads) while the running one still holds the worker.
    for (auto& q : queued) {
        ASSERT_TRUE(ready(q, 3000ms)) << "a queued call was not released by the shutdown";
        auto res = q.get();
        ASSERT_FALSE(res.ok()) << "a queued call ran during shutdown";
        EXPECT_EQ(res.error->kind, MODRT_ERR_CANCELED) << res.error->message;
        PT_EXPECT_CONTAINS(res.error->message, "shutting down");
    }
    EXPECT_EQ(native().marks[2].load(), 0) << "a queued call ran";
    EXPECT_FALSE(destroyer.wait_for(50ms) == std::future_status::ready)
        << "the destructor returned while a call was still running";
    EXPECT_EQ(native().blocked.load(), 1);

    open_flag(0);
    for (auto& c : running) {
        ASSERT_TRUE(ready(c, 3000ms));
        auto res = c.get();
        EXPECT_TRUE(res.ok()) << "a running call did not finish normally: " << error_text(res);
    }
    ASSERT_EQ(destroyer.wait_for(3000ms), std::future_status::ready) << "the Runtime destructor hung";
    destroyer.get();
    running.clear();
    queued.clear();
    EXPECT_TRUE(wait_until([&] { return thread_count() <= threads_before; }, 3000ms))
        << "threads before=" << threads_before << " after=" << thread_count();
}

// Two pools, each with a running (blocked) call and a queued one. Every queued call
// should end CANCELED at shutdown, whichever pool it waits in. ~modrt_runtime
// (kernel/src/runtime.cpp) resets the pools one at a time: pool 1 drops its queue,
// then joins its blocked worker; pool 2's queue is only dropped after that, so its
// queued caller is held until pool 1's running call ends - and meanwhile pool 2's
// worker, once free, runs the queued call instead of dropping it.
TEST_F(PoolShutdown, QueuedCallsOfEveryPoolAreCanceledWhileOtherPoolsStillRun) {
    std::unique_ptr<Runtime> rt = load(registry("sd", {native_entry("first", "block_until", "{workers: 1}"),
                                                       native_entry("second", "block_until", "{max_size: 1}")}));
    std::vector<std::future<CallResult>> running, queued;
    std::future<void> destroyer;
    OpenGatesOnExit gates;
    Runtime& r = *rt;
    running.push_back(call_async(r, "sd:first", args({i(0), i(1)})));   // held until flag 0
    running.push_back(call_async(r, "sd:second", args({i(1), i(1)})));  // held until flag 1
    ASSERT_TRUE(wait_until([&] { return native().blocked.load() == 2; }));
    queued.push_back(call_async(r, "sd:first", args({i(0), i(2)})));
    queued.push_back(call_async(r, "sd:second", args({i(1), i(2)})));
    ASSERT_TRUE(wait_until([&] { return stats(r, "sd:first").queued == 1 && stats(r, "sd:second").queued == 1; }));

    destroyer = std::async(std::launch::async, [&rt] { rt.reset(); });
    bool first_released = ready(queued[0], 1000ms);
    bool second_released = ready(queued[1], 1000ms);
    EXPECT_TRUE(first_released) << "the queued call of the first pool was not released by the shutdown";
    EXPECT_TRUE(second_released) << "the queued call of the second pool was held while the first pool's "
                                    "running call went on";
    open_flag(1);  // the second pool's running call ends first: its worker is free while shutdown is under way
    ASSERT_TRUE(ready(running[1], 3000ms));
    std::this_thread::sleep_for(50ms);
    open_flag(0);
    for (auto& c : running) {
        if (c.valid()) {
            ASSERT_TRUE(ready(c, 3000ms));
        }
    }
    for (size_t n = 0; n < queued.size(); ++n) {
        ASSERT_TRUE(ready(queued[n], 3000ms));
        auto res = queued[n].get();
        ASSERT_FALSE(res.ok()) << "the call queued in pool " << n + 1 << " at shutdown ran and succeeded";
        EXPECT_EQ(res.error->kind, MODRT_ERR_CANCELED) << res.error->message;
    }
    EXPECT_EQ(native().marks[2].load(), 0) << "a call queued at shutdown ran";
    ASSERT_EQ(destroyer.wait_for(3000ms), std::future_status::ready) << "the Runtime destructor hung";
}

TEST_F(PoolShutdown, DestroyingWithARunningCallWaitsForIt) {
    std::unique_ptr<Runtime> rt = load(registry("sd", {native_entry("sleep", "sleep_ms", "{workers: 2}")}));
    auto call = call_async(*rt, "sd:sleep", args({i(200)}));
    ASSERT_TRUE(wait_until([&] { return native().running.load() == 1; }));
    auto t0 = std::chrono::steady_clock::now();
    auto destroyer = std::async(std::launch::async, [&rt] { rt.reset(); });
    ASSERT_EQ(destroyer.wait_for(3000ms), std::future_status::ready) << "the Runtime destructor hung";
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 100ms) << "the destructor did not wait for the running call";
    ASSERT_TRUE(ready(call, 3000ms));
    auto res = call.get();
    EXPECT_TRUE(res.ok()) << error_text(res);
}

TEST_F(PoolShutdown, IdlePoolsLeaveNoThreads) {
    const size_t before = thread_count();
    {
        auto rt = load(registry("sd", {native_entry("s", "thread_id", "{workers: 4}"),
                                       native_entry("l", "thread_id", "{max_size: 3, idle_timeout: 30s}"),
                                       native_entry("i", "thread_id")}));
        EXPECT_GE(thread_count(), before + 4) << "a static pool starts its workers with the pool";
        std::vector<std::future<CallResult>> calls;
        for (int n = 0; n < 6; ++n) {
            calls.push_back(call_async(*rt, "sd:s", Value::array()));
            calls.push_back(call_async(*rt, "sd:l", Value::array()));
        }
        for (auto& c : calls) {
            ASSERT_TRUE(ready(c, 3000ms));
            EXPECT_TRUE(c.get().ok());
        }
        auto destroyer = std::async(std::launch::async, [&rt] { rt.reset(); });
        ASSERT_EQ(destroyer.wait_for(3000ms), std::future_status::ready) << "destroying idle pools hung";
    }
    EXPECT_TRUE(wait_until([&] { return thread_count() <= before; }, 3000ms))
        << "threads before=" << before << " after=" << thread_count();
}

// outer (static 1, declared first) runs and calls inner (static 1) whose only
// worker is blocked: the nested call waits in inner's queue when the runtime is
// destroyed. It was queued at shutdown, so it must end CANCELED without running,
// like every queued call. (~modrt_runtime resets the pools one at a time in entry
// order: outer's pool joins outer's worker, which waits on inner's queue, so
// inner's queue is not dropped until the blocker ends - and then the worker that
// freed up runs the queued call instead of dropping it.)
TEST_F(PoolShutdown, ACallQueuedInAnotherPoolAtShutdownNeverRuns) {
    std::unique_ptr<Runtime> rt = load(registry("sd", {native_entry("outer", "call", "{workers: 1}"),
                                                       native_entry("inner", "block_until", "{workers: 1}")}));
    OpenGatesOnExit gates;
    auto blocker = call_async(*rt, "sd:inner", args({i(0), i(1)}));
    ASSERT_TRUE(wait_until([&] { return native().blocked.load() == 1; }));
    auto outer = call_async(*rt, "sd:outer", args({s("sd:inner"), i(0), i(2)}));
    ASSERT_TRUE(wait_until([&] { return stats(*rt, "sd:inner").queued == 1; }));
    auto destroyer = std::async(std::launch::async, [&rt] { rt.reset(); });
    bool released_early = ready(outer, 500ms);
    open_flag(0);  // running calls finish; only then can the destructor return
    ASSERT_TRUE(ready(blocker, 3000ms));
    EXPECT_TRUE(blocker.get().ok());
    ASSERT_TRUE(ready(outer, 3000ms)) << "the outer call never returned";
    auto res = outer.get();
    EXPECT_EQ(native().marks[2].load(), 0)
        << "a call queued when the runtime was being destroyed ran"
        << (released_early ? "" : " (and its caller was held until the blocker ended)");
    ASSERT_FALSE(res.ok()) << "the nested call queued at shutdown ran and succeeded";
    EXPECT_EQ(res.error->kind, MODRT_ERR_CANCELED) << res.error->message;
    ASSERT_EQ(destroyer.wait_for(3000ms), std::future_status::ready) << "the Runtime destructor hung";
}

// outer's worker calls inner through interceptor.retry: the first attempt fails, and
// the runtime is destroyed during the backoff (1 s: ample for the destroyer to start). inner's pool (declared first) is
// destroyed while outer's is still joining its worker, which then makes the second
// attempt: it has passed the `closing` check long ago, and must end CANCELED instead
// of reaching the destroyed pool.
TEST_F(PoolShutdown, ACallMadeAfterItsPoolIsDestroyedEndsCanceled) {
    std::string inner = native_entry("inner", "fail_retryable", "{workers: 1}") +
                        "    meta: {options: {retry: {max_attempts: 2, initial_delay: 1s}}}\n";
    std::unique_ptr<Runtime> rt = load(registry("sd", {inner, native_entry("outer", "call", "{workers: 1}")}));
    auto outer = call_async(*rt, "sd:outer", args({s("sd:inner"), i(3)}));
    ASSERT_TRUE(wait_until([&] { return native().marks[3].load() == 1; }));
    auto destroyer = std::async(std::launch::async, [&rt] { rt.reset(); });
    ASSERT_TRUE(ready(outer, 3000ms)) << "the outer call never returned";
    auto res = outer.get();
    ASSERT_FALSE(res.ok()) << "the retried call succeeded";
    EXPECT_EQ(res.error->kind, MODRT_ERR_CANCELED) << res.error->message;
    PT_EXPECT_CONTAINS(res.error->message, "shutting down");
    EXPECT_EQ(native().marks[3].load(), 1) << "the second attempt ran during shutdown";
    ASSERT_EQ(destroyer.wait_for(3000ms), std::future_status::ready) << "the Runtime destructor hung";
}

}  // namespace
}  // namespace pool_test
