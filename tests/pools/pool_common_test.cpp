// The worker core shared by the threaded pools (libs/pool.common), seen
// through pool.static / pool.lazy: errors pass through, workers survive
// failures, calls across pools, the inline pool's counters.
#include "pool_test_util.hpp"

#include <atomic>
#include <set>
#include <thread>

namespace pool_test {
namespace {

using PoolCommon = PoolTest;

TEST_F(PoolCommon, ErrorsPassThroughAndTheWorkerSurvives) {
    auto rt = load(registry("pc", {native_entry("throws", "throws", "{workers: 1}"),
                                   native_entry("call", "call", "{max_size: 1}")}));
    for (int n = 0; n < 3; ++n) {
        auto r = rt->call("pc:throws", Value::array());
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error->kind, MODRT_ERR_INTERNAL);
        PT_EXPECT_CONTAINS(r.error->message, "pool test exception");
    }
    auto nf = rt->call("pc:call", args({s("pc:nope")}));
    ASSERT_FALSE(nf.ok());
    EXPECT_EQ(nf.error->kind, MODRT_ERR_NOT_FOUND) << nf.error->message;
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "pc:throws").completed == 3; }))
        << "a call that failed still ran to its end";
    EXPECT_EQ(stats(*rt, "pc:throws").workers, 1u);
}

TEST_F(PoolCommon, CountersSettleAfterABurst) {
    auto rt = load(registry("pc", {native_entry("sleep", "sleep_ms", "{workers: 2}"),
                                   native_entry("lazy", "sleep_ms", "{max_size: 2}")}));
    std::vector<std::future<CallResult>> calls;
    for (int n = 0; n < 6; ++n) {
        calls.push_back(call_async(*rt, "pc:sleep", args({i(5)})));
        calls.push_back(call_async(*rt, "pc:lazy", args({i(5)})));
    }
    for (auto& c : calls) {
        ASSERT_TRUE(ready(c, 3000ms));
        EXPECT_TRUE(c.get().ok());
    }
    for (const char* id : {"pc:sleep", "pc:lazy"}) {
        EXPECT_TRUE(wait_until([&] { return stats(*rt, id).completed == 6; })) << id;
        auto st = stats(*rt, id);
        EXPECT_EQ(st.busy, 0u) << id;
        EXPECT_EQ(st.queued, 0u) << id;
        EXPECT_EQ(st.rejected, 0u) << id;
        EXPECT_LE(st.workers, 2u) << id;
    }
}

TEST_F(PoolCommon, InlinePoolCountsBusyWhileACallRuns) {
    auto rt = load(registry("pc", {native_entry("block", "block_until")}));
    std::vector<std::future<CallResult>> calls;
    OpenGatesOnExit gates;
    calls.push_back(call_async(*rt, "pc:block", args({i(0)})));
    ASSERT_TRUE(wait_until([&] { return native().blocked.load() == 1; }));
    auto st = stats(*rt, "pc:block");
    EXPECT_EQ(st.busy, 1u);
    EXPECT_EQ(st.workers, 0u);
    EXPECT_EQ(st.completed, 0u);
    open_flag(0);
    ASSERT_TRUE(ready(calls[0], 3000ms));
    EXPECT_TRUE(calls[0].get().ok());
    st = stats(*rt, "pc:block");
    EXPECT_EQ(st.busy, 0u);
    EXPECT_EQ(st.completed, 1u);
}

// The kernel counts an inline pool's calls per calling thread (caller_run_counts.hpp): none
// may be lost when threads call at once, or when a thread ends and a new one takes its slot.
TEST_F(PoolCommon, InlinePoolCountsEveryCallOfManyThreads) {
    auto rt = load(registry("pc", {native_entry("tid", "thread_id")}));
    constexpr int kThreads = 6, kCalls = 400, kWaves = 2;
    std::atomic<int> failed{0};
    for (int wave = 0; wave < kWaves; ++wave) {
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&] {
                for (int n = 0; n < kCalls; ++n)
                    if (!rt->call("pc:tid", Value::array()).ok()) ++failed;
            });
        for (auto& t : threads) t.join();
    }
    EXPECT_EQ(failed.load(), 0);
    auto st = stats(*rt, "pc:tid");
    EXPECT_EQ(st.completed, uint64_t{kWaves * kThreads * kCalls});
    EXPECT_EQ(st.busy, 0u);
}

TEST_F(PoolCommon, StaticWorkerCallsIntoALazyPoolAndBack) {
    // static(1) -> lazy(1) -> thread id: two different pools, each runs its own part.
    auto rt = load(registry("pc", {native_entry("outer", "call", "{workers: 1}"),
                                   native_entry("inner", "thread_id", "{max_size: 1}"),
                                   native_entry("outer_tid", "thread_id", "{workers: 1}")}));
    auto r = call_within(*rt, "pc:outer", args({s("pc:inner")}), 3000ms);
    if (!r) {
        (void)rt.release();
        FAIL() << "static -> lazy call deadlocked";
    }
    ASSERT_TRUE(r->ok()) << error_text(*r);
    EXPECT_NE(r->value.scalar.i, this_tid());
    EXPECT_EQ(stats(*rt, "pc:inner").workers, 1u);
}

// A -> B -> A across two single-worker pools: A's only worker waits for B, and
// B's worker submits a caller-waits task to A. WorkerPool::submit runs a task in
// place only when the submitting thread is a worker of that same pool
// (t_current_pool == this), which B's worker is not, so the task queues behind
// A's blocked worker forever.
TEST_F(PoolCommon, MutualRecursionAcrossTwoSingleWorkerPoolsCompletes) {
    auto rt = load(
        registry("pc", {native_entry("a", "call", "{workers: 1}"), native_entry("b", "call", "{workers: 1}")}));
    // a("pc:b", "pc:a") -> b("pc:a") -> a() -> thread id
    auto r = call_within(*rt, "pc:a", args({s("pc:b"), s("pc:a")}), 2000ms);
    if (!r) {
        (void)rt.release();  // both workers wait on each other: cannot be destroyed
        FAIL() << "A -> B -> A on two workers:1 pools deadlocked (stats of pc:a: queued=1, busy=1)";
    }
    ASSERT_TRUE(r->ok()) << error_text(*r);
}

TEST_F(PoolCommon, DeepSelfRecursionInPlaceHitsTheDepthLimitNotTheStack) {
    // Recursion on a single-worker pool runs in place on the worker's stack; the
    // kernel's depth limit must stop it with an error before the stack runs out.
    auto rt = load(registry("pc", {native_entry("call", "call", "{workers: 1}")}));
    Value a = Value::array();
    for (int n = 0; n < 300; ++n) a.push() = s("pc:call");  // more levels than max_depth (128)
    auto r = call_within(*rt, "pc:call", a, 3000ms);
    if (!r) {
        (void)rt.release();
        FAIL() << "deep recursion hung";
    }
    ASSERT_FALSE(r->ok()) << "300 nested calls succeeded past max_depth 128";
    EXPECT_EQ(r->error->kind, MODRT_ERR_INVALID) << r->error->message;
    PT_EXPECT_CONTAINS(r->error->message, "call depth limit (max_depth 128) exceeded calling 'pc:call'");
    // The worker survived: a chain just below the limit still runs, in place, to its end.
    Value below = Value::array();
    for (int n = 0; n < 100; ++n) below.push() = s("pc:call");
    auto ok = call_within(*rt, "pc:call", below, 3000ms);
    if (!ok) {
        (void)rt.release();
        FAIL() << "a chain below the depth limit hung";
    }
    ASSERT_TRUE(ok->ok()) << error_text(*ok);
    EXPECT_EQ(ok->value.type, MODRT_INT);  // the thread id the innermost call returns
}

}  // namespace
}  // namespace pool_test
