// pool.static: fixed workers, queueing, the buffer limit, concurrent callers,
// nested calls, cancellation of queued calls.
#include "pool_test_util.hpp"

#include <map>
#include <set>

namespace pool_test {
namespace {

using StaticPool = PoolTest;

TEST_F(StaticPool, RunsCallsOnItsWorkersNotOnTheCaller) {
    auto rt = load(registry("st", {native_entry("tid", "thread_id", "{workers: 2}")}));
    std::set<int64_t> tids;
    for (int n = 0; n < 40; ++n) {
        auto r = rt->call("st:tid", Value::array());
        ASSERT_TRUE(r.ok()) << error_text(r);
        ASSERT_EQ(r.value.type, MODRT_INT);
        EXPECT_NE(r.value.scalar.i, this_tid()) << "ran on the caller's thread";
        tids.insert(r.value.scalar.i);
    }
    EXPECT_LE(tids.size(), 2u) << "more threads than workers ran calls";
    EXPECT_EQ(stats(*rt, "st:tid").workers, 2u);
}

TEST_F(StaticPool, AtMostWorkersRunAtOnceAndTheRestQueue) {
    auto rt = load(registry("st", {native_entry("block", "block_until", "{workers: 2}")}));
    std::vector<std::future<CallResult>> calls;
    OpenGatesOnExit gates;
    for (int n = 0; n < 5; ++n) calls.push_back(call_async(*rt, "st:block", args({i(0)})));

    ASSERT_TRUE(wait_until([&] { return native().blocked.load() == 2 && stats(*rt, "st:block").queued == 3; }))
        << "blocked=" << native().blocked.load() << " queued=" << stats(*rt, "st:block").queued;
    // Give a third worker every chance to appear: it must not.
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(native().running.load(), 2);
    auto st = stats(*rt, "st:block");
    EXPECT_EQ(st.workers, 2u);
    EXPECT_EQ(st.busy, 2u);
    EXPECT_EQ(st.queued, 3u);
    EXPECT_GT(st.queued, 0u);

    open_flag(0);
    for (auto& c : calls) {
        ASSERT_TRUE(ready(c, 3000ms));
        auto r = c.get();
        EXPECT_TRUE(r.ok()) << error_text(r);
    }
    EXPECT_EQ(native().max_running.load(), 2);
    EXPECT_EQ(native().started.load(), 5);
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "st:block").completed == 5; }));
    st = stats(*rt, "st:block");
    EXPECT_EQ(st.queued, 0u);
    EXPECT_EQ(st.busy, 0u);
    EXPECT_EQ(st.rejected, 0u);
}

TEST_F(StaticPool, MaxConcurrencyNeverExceedsWorkersUnderLoad) {
    auto rt = load(registry("st", {native_entry("sleep", "sleep_ms", "{workers: 3}")}));
    std::vector<std::future<CallResult>> calls;
    for (int n = 0; n < 12; ++n) calls.push_back(call_async(*rt, "st:sleep", args({i(20)})));
    for (auto& c : calls) {
        ASSERT_TRUE(ready(c, 3000ms));
        auto r = c.get();
        EXPECT_TRUE(r.ok()) << error_text(r);
    }
    EXPECT_LE(native().max_running.load(), 3);
    EXPECT_GE(native().max_running.load(), 2) << "calls never overlapped: are the workers running at all?";
    EXPECT_EQ(native().started.load(), 12);
}

TEST_F(StaticPool, AFullBufferRejectsAtOnceAndLosesNothing) {
    auto rt = load(registry("st", {native_entry("block", "block_until", "{workers: 1, buffer: 1}")}));
    std::vector<std::future<CallResult>> calls;
    OpenGatesOnExit gates;
    calls.push_back(call_async(*rt, "st:block", args({i(0), i(1)})));  // runs, blocks
    ASSERT_TRUE(wait_until([&] { return native().blocked.load() == 1; }));
    calls.push_back(call_async(*rt, "st:block", args({i(0), i(2)})));  // queued
    ASSERT_TRUE(wait_until([&] { return stats(*rt, "st:block").queued == 1; }));

    auto t0 = std::chrono::steady_clock::now();
    auto refused = rt->call("st:block", args({i(0), i(3)}));  // the buffer is full
    auto took = std::chrono::steady_clock::now() - t0;
    ASSERT_FALSE(refused.ok()) << "a call beyond the buffer was accepted";
    EXPECT_EQ(refused.error->kind, MODRT_ERR_UNAVAILABLE) << refused.error->message;
    EXPECT_TRUE(refused.error->retryable);
    PT_EXPECT_CONTAINS(refused.error->message, "buffer");
    EXPECT_LT(took, 500ms) << "the refusal was not immediate";
    EXPECT_EQ(native().marks[3].load(), 0) << "the refused call ran";

    auto st = stats(*rt, "st:block");
    EXPECT_EQ(st.rejected, 1u);
    EXPECT_EQ(st.queued, 1u);
    EXPECT_EQ(st.busy, 1u);

    open_flag(0);
    for (auto& c : calls) {
        ASSERT_TRUE(ready(c, 3000ms));
        auto r = c.get();
        EXPECT_TRUE(r.ok()) << error_text(r);
    }
    EXPECT_EQ(native().marks[1].load(), 1);
    EXPECT_EQ(native().marks[2].load(), 1) << "the queued call was lost";
    EXPECT_EQ(native().marks[3].load(), 0);
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "st:block").completed == 2; }));
    EXPECT_EQ(stats(*rt, "st:block").rejected, 1u);

    // With room again, calls are accepted.
    auto again = rt->call("st:block", args({i(0), i(4)}));
    EXPECT_TRUE(again.ok()) << error_text(again);
}

// `buffer: 0` passes the load (read_count allows 0) but then no call can ever be
// accepted: WorkerPool::submit refuses whenever queue_.size() >= queue_capacity,
// and 0 >= 0 even with every worker idle. Either the load should refuse it, or it
// should mean "no waiting room": accepted only when a worker is free.
TEST_F(StaticPool, ZeroBufferIsRefusedAtLoadOrServesAnIdleWorker) {
    std::string yaml = registry("st", {native_entry("tid", "thread_id", "{workers: 1, buffer: 0}")});
    auto out = load_errors(yaml);
    if (!out.errors.empty()) {
        PT_EXPECT_CONTAINS(out.errors[0].message, "buffer");
        return;
    }
    auto r = out.rt->call("st:tid", Value::array());
    EXPECT_TRUE(r.ok()) << "buffer: 0 loaded, yet a call to an idle single-worker pool fails: " << error_text(r);
}

TEST_F(StaticPool, ManyCallerThreadsEachCallCompletesExactlyOnce) {
    auto rt = load(registry("st", {native_entry("mark", "mark", "{workers: 2}")}));
    constexpr int kThreads = 8, kCalls = 50;
    std::atomic<int> ok{0}, failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&] {
            for (int n = 0; n < kCalls; ++n) {
                auto r = rt->call("st:mark", args({i(5)}));
                (r.ok() ? ok : failed).fetch_add(1);
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), kThreads * kCalls);
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(native().marks[5].load(), kThreads * kCalls) << "a call ran twice or never";
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "st:mark").completed == uint64_t{kThreads * kCalls}; }))
        << "completed=" << stats(*rt, "st:mark").completed;
    auto st = stats(*rt, "st:mark");
    EXPECT_EQ(st.rejected, 0u);
    EXPECT_EQ(st.queued, 0u);
}

TEST_F(StaticPool, NestedCallIntoTheSamePoolDoesNotDeadlock) {
    auto rt = load(registry("nest", {native_entry("call", "call", "{workers: 1}"),
                                     native_entry("tid", "thread_id", "{workers: 1}")}));
    // nest:call -> nest:call (same entry, same single-worker pool) -> nest:tid (another pool).
    auto r = call_within(*rt, "nest:call", args({s("nest:call"), s("nest:tid")}), 3000ms);
    if (!r) {
        (void)rt.release();  // a worker waits on itself: the runtime cannot be destroyed
        FAIL() << "nested call on a workers:1 pool deadlocked";
    }
    ASSERT_TRUE(r->ok()) << error_text(*r);
    EXPECT_NE(r->value.scalar.i, this_tid());
}

TEST_F(StaticPool, NestedThreeDeepOnTheSameSingleWorkerPool) {
    auto rt = load(registry("nest", {native_entry("call", "call", "{workers: 1}")}));
    // call() with no arguments returns its thread id: root -> call -> call -> call, all one pool.
    auto r = call_within(*rt, "nest:call", args({s("nest:call"), s("nest:call")}), 3000ms);
    if (!r) {
        (void)rt.release();
        FAIL() << "3-deep nested call on a workers:1 pool deadlocked";
    }
    ASSERT_TRUE(r->ok()) << error_text(*r);
    ASSERT_EQ(r->value.type, MODRT_INT);
    EXPECT_NE(r->value.scalar.i, this_tid()) << "the innermost call ran on the root caller's thread";
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "nest:call").completed == 3; }))
        << "completed=" << stats(*rt, "nest:call").completed;
    EXPECT_EQ(stats(*rt, "nest:call").queued, 0u);
}

TEST_F(StaticPool, NestedCallsFromBothWorkersOfATwoWorkerPool) {
    auto rt = load(registry("nest", {native_entry("call", "call", "{workers: 2}")}));
    std::vector<std::future<CallResult>> calls;
    for (int n = 0; n < 6; ++n) calls.push_back(call_async(*rt, "nest:call", args({s("nest:call"), s("nest:call")})));
    for (auto& c : calls) {
        if (!ready(c, 3000ms)) {
            (void)rt.release();
            for (auto& cc : calls) (void)new std::future<CallResult>(std::move(cc));  // never joined
            FAIL() << "nested calls deadlocked";
        }
        auto r = c.get();
        EXPECT_TRUE(r.ok()) << error_text(r);
    }
}

TEST_F(StaticPool, AQueuedCallWhoseTimeoutPassesNeverRunsAndTimesOut) {
    auto rt = load(registry("st", {native_entry("block", "block_until", "{workers: 1}")}));
    std::vector<std::future<CallResult>> calls;
    OpenGatesOnExit gates;
    calls.push_back(call_async(*rt, "st:block", args({i(0), i(1)})));
    ASSERT_TRUE(wait_until([&] { return native().blocked.load() == 1; }));

    CallOptions o;
    o.timeout = 100ms;
    auto t0 = std::chrono::steady_clock::now();
    calls.push_back(call_async(*rt, "st:block", args({i(1), i(2)}), o));
    ASSERT_TRUE(wait_until([&] { return stats(*rt, "st:block").queued == 1; }));
    // Let the deadline pass while the call still waits in the queue.
    while (std::chrono::steady_clock::now() - t0 < 250ms) std::this_thread::sleep_for(5ms);
    EXPECT_EQ(native().marks[2].load(), 0);

    open_flag(0);
    ASSERT_TRUE(ready(calls[0], 3000ms));
    auto first = calls[0].get();
    EXPECT_TRUE(first.ok()) << error_text(first);
    ASSERT_TRUE(ready(calls[1], 3000ms));
    auto late = calls[1].get();
    ASSERT_FALSE(late.ok()) << "the expired call succeeded";
    EXPECT_EQ(late.error->kind, MODRT_ERR_TIMEOUT) << late.error->message;
    EXPECT_EQ(native().marks[2].load(), 0) << "a call whose deadline passed while queued was run";
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "st:block").rejected == 1; }))
        << "a dropped (expired) call is counted in rejected";
    EXPECT_EQ(stats(*rt, "st:block").completed, 1u);
}

// The caller of a queued call should get its TIMEOUT when the deadline passes, not
// when a worker eventually frees up: `CallOptions.timeout` bounds the call.
TEST_F(StaticPool, AQueuedCallReturnsTimeoutAtItsDeadlineEvenWhileWorkersStayBusy) {
    auto rt = load(registry("st", {native_entry("block", "block_until", "{workers: 1}")}));
    std::vector<std::future<CallResult>> calls;
    OpenGatesOnExit gates;
    calls.push_back(call_async(*rt, "st:block", args({i(0), i(1)})));
    ASSERT_TRUE(wait_until([&] { return native().blocked.load() == 1; }));

    CallOptions o;
    o.timeout = 100ms;
    calls.push_back(call_async(*rt, "st:block", args({i(1), i(2)}), o));
    bool returned = ready(calls[1], 1500ms);  // the worker stays blocked all along
    EXPECT_TRUE(returned) << "a queued call with a 100 ms timeout was still waiting after 1.5 s: the caller is held "
                             "until a worker frees up, not until its deadline";
    open_flag(0);
    ASSERT_TRUE(ready(calls[1], 3000ms));
    auto late = calls[1].get();
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(late.error->kind, MODRT_ERR_TIMEOUT);
    EXPECT_EQ(native().marks[2].load(), 0);
}

TEST_F(StaticPool, ARunningCallSeesItsDeadline) {
    auto rt = load(registry("st", {native_entry("sleep", "sleep_ms", "{workers: 1}")}));
    CallOptions o;
    o.timeout = 50ms;
    auto t0 = std::chrono::steady_clock::now();
    auto r = rt->call("st:sleep", args({i(2000)}), o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT) << r.error->message;
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1500ms);
}

}  // namespace
}  // namespace pool_test
