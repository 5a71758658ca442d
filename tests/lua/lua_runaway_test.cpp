// function.lua: runaway loops are stopped by the call's deadline or
// cancellation, JIT or not, and leave their worker and lua_State usable.
#include "lua_test_util.hpp"

#include <chrono>
#include <memory>
#include <thread>

using namespace lua_test;
using namespace std::chrono_literals;

class LuaRunaway : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        rt_ = make_runtime();
        for (const auto& e : rt_->load(fixture("runaway"))) ADD_FAILURE() << e.format();
    }
    static void TearDownTestSuite() {
        rt_.reset();
    }

    // Call `id` with a 100 ms deadline; expect TIMEOUT well within the bound.
    static void expect_stopped(std::string_view id, const Value& a = Value::array()) {
        modrt::kernel::CallOptions opts;
        opts.timeout = 100ms;
        auto started = std::chrono::steady_clock::now();
        CallResult r = rt_->call(id, a, opts);
        auto took = std::chrono::steady_clock::now() - started;
        ASSERT_FALSE(r.ok()) << id << " returned";
        EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT) << r.error->message;
        // Generous for a loaded CI machine; a compiled loop would run for minutes.
        EXPECT_LT(took, 3s) << id;
    }

    static inline std::unique_ptr<Runtime> rt_;
};

TEST_F(LuaRunaway, EmptyWhileLoopIsStopped) { expect_stopped("runaway:empty_loop"); }

TEST_F(LuaRunaway, ArithmeticForLoopIsStopped) { expect_stopped("runaway:arithmetic_loop"); }

TEST_F(LuaRunaway, LoopInsideAnImportedLibraryIsStopped) { expect_stopped("runaway:library_loop"); }

TEST_F(LuaRunaway, LoopThatCatchesTheCancellationStillEnds) { expect_stopped("runaway:stubborn_loop"); }

TEST_F(LuaRunaway, LoopThatCatchesWithXpcallStillEnds) { expect_stopped("runaway:stubborn_xpcall"); }

TEST_F(LuaRunaway, LoopThatCatchesInCoroutinesStillEnds) { expect_stopped("runaway:stubborn_coroutine"); }

TEST_F(LuaRunaway, PcallXpcallAndResumeCatchAsUsual) {
    CallResult r = rt_->call("runaway:catches", Value::array());
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_EQ(r.value.type, MODRT_ARRAY);
    const auto& v = r.value.items;
    ASSERT_EQ(v.size(), 8u);
    EXPECT_EQ(v[0], Value::boolean(false));
    EXPECT_NE(v[1].str.find("one"), std::string::npos);
    EXPECT_EQ(v[2], Value::boolean(false));
    EXPECT_NE(v[3].str.find("handled "), std::string::npos);
    EXPECT_NE(v[3].str.find("two!"), std::string::npos);
    EXPECT_EQ(v[4], Value::boolean(true));
    EXPECT_EQ(v[5], Value::integer(3));
    EXPECT_EQ(v[6], Value::boolean(false));
    EXPECT_NE(v[7].str.find("three"), std::string::npos);
}

TEST_F(LuaRunaway, StateStaysUsableAfterALoopIsStopped) {
    expect_stopped("runaway:arithmetic_loop");
    // Inline pool: the same thread, so the same lua_State, runs the next call.
    CallResult r = rt_->call("runaway:sum", args({Value::integer(100)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::integer(5050));
}

TEST_F(LuaRunaway, WorkerStaysUsableAfterALoopIsStopped) {
    for (int round = 0; round < 3; ++round) {
        expect_stopped("runaway:on_worker");
        CallResult r = rt_->call("runaway:on_worker", args({Value::integer(10)}));
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(r.value, Value::integer(55));
    }
}

// A call with no deadline and no caller that can cancel it runs without the
// cancellation hook, and a worker takes the hook off after a run of such calls;
// whatever can be stopped must still be stopped after that.
TEST_F(LuaRunaway, LoopIsStoppedAfterManyCallsNothingCouldStop) {
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 200; ++i) {
            CallResult r = rt_->call("runaway:on_worker", args({Value::integer(10)}));
            ASSERT_TRUE(r.ok()) << r.error->message;
            CallResult inline_r = rt_->call("runaway:sum", args({Value::integer(10)}));
            ASSERT_TRUE(inline_r.ok()) << inline_r.error->message;
        }
        expect_stopped("runaway:on_worker");
        expect_stopped("runaway:arithmetic_loop");
    }
}

TEST_F(LuaRunaway, LoopIsStoppedByACancellerAlone) {
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(rt_->call("runaway:sum", args({Value::integer(10)})).ok());
    modrt::kernel::CallOptions opts;  // no deadline: only the canceller can stop it
    opts.canceller = std::make_shared<modrt::kernel::CallCanceller>();
    std::thread canceller([c = opts.canceller] {
        std::this_thread::sleep_for(50ms);
        c->cancel();
    });
    auto started = std::chrono::steady_clock::now();
    CallResult r = rt_->call("runaway:empty_loop", Value::array(), opts);
    auto took = std::chrono::steady_clock::now() - started;
    canceller.join();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_CANCELED) << r.error->message;
    EXPECT_LT(took, 3s);
}

TEST_F(LuaRunaway, NestedCallWithADeadlineIsStoppedInsideACallWithout) {
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(rt_->call("runaway:sum", args({Value::integer(10)})).ok());
    auto started = std::chrono::steady_clock::now();
    CallResult r = rt_->call("runaway:nested_timeout", Value::array());
    auto took = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::string("Timeout"));
    EXPECT_LT(took, 3s);
}

TEST_F(LuaRunaway, JitOptInComputesTheSameResult) {
    // Hot enough for LuaJIT to compile the loop when the entry allows it.
    CallResult slow = rt_->call("runaway:sum", args({Value::integer(1000000)}));
    CallResult fast = rt_->call("runaway:sum_jit", args({Value::integer(1000000)}));
    ASSERT_TRUE(slow.ok() && fast.ok());
    EXPECT_EQ(slow.value, fast.value);
    EXPECT_EQ(fast.value, Value::integer(500000500000));
}

TEST(LuaRunawayRegistry, JitMustBeABoolean) {
    auto rt = make_runtime();
    auto errs = rt->load(fixture("bad_jit"));
    ASSERT_EQ(errs.size(), 1u);
    std::string text = errs.front().format();
    EXPECT_NE(text.find("jit: expected true or false"), std::string::npos) << text;
    EXPECT_NE(text.find("registry.yaml:8"), std::string::npos) << text;
}
