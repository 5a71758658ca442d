// function.lua: channels and coroutines in functions (Wippy's lua/core/channel.md)
// through the real plugin. Every Lua example of the page runs (fixtures/channels/docs.lua),
// then the behaviour around them: Go's hand-over rules, close, deadlocks raised at once,
// errors and deadlines in coroutines, and coroutines that end with their call.
#include "lua_test_util.hpp"
#include "support/bounded_run.hpp"
#include "support/sanitizer.hpp"

#include <chrono>

namespace {

using namespace lua_test;
using modrt::kernel::CallOptions;
using std::chrono::milliseconds;

struct LuaChannelFixture {
    static constexpr std::string_view dirs[] = {"channels"};
};

class LuaChannels : public SharedRuntime<LuaChannelFixture> {
protected:
    /// Options that bound a call (a hang ends as TIMEOUT instead of stalling the suite).
    static CallOptions bounded(milliseconds t = milliseconds(20000)) {
        CallOptions o;
        o.timeout = t;
        return o;
    }
    static Value ok(std::string_view id, const Value& a = Value::array()) {
        auto r = call(id, a, bounded());
        EXPECT_TRUE(r.ok()) << id << ": " << (r.error ? r.error->message : "");
        return r.ok() ? r.value : Value();
    }
    static Value ints(std::initializer_list<int64_t> xs) {
        Value a = Value::array();
        for (int64_t x : xs) a.push() = Value::integer(x);
        return a;
    }
    static milliseconds since(std::chrono::steady_clock::time_point start) {
        return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
    }
};

// -- channel.md, example by example --

TEST_F(LuaChannels, DocsCreatingChannels) {
    EXPECT_EQ(json(ok("test.chan:docs_create")), R"(["userdata","userdata","true"])");
}

TEST_F(LuaChannels, DocsSendingThenClosing) {
    EXPECT_EQ(json(ok("test.chan:docs_send_close", args({ints({1, 2, 3})}))), "[1,2,3]");
}

TEST_F(LuaChannels, DocsReceivingUntilClosed) {
    EXPECT_EQ(json(ok("test.chan:docs_receive_loop", args({Value::integer(4)}))), "[10,20,30,40]");
}

TEST_F(LuaChannels, DocsClosingChannels) {
    EXPECT_EQ(json(ok("test.chan:docs_close", args({args({str("a"), str("b")})}))), R"(["a!","b!","closed"])");
}

TEST_F(LuaChannels, DocsTimeoutPattern) {
    EXPECT_EQ(ok("test.chan:docs_timeout", args({Value::integer(1)})), str("slow:1"));
    auto start = std::chrono::steady_clock::now();
    auto r = call("test.chan:docs_timeout", args({Value::integer(3000)}), bounded());
    ASSERT_FALSE(r.ok());
    // The page calls errors.new("TIMEOUT", "Operation timed out"); errors.md's errors.new takes
    // one message (or a table), so the error says "TIMEOUT", as in Wippy.
    EXPECT_EQ(r.error->message, "TIMEOUT");
    EXPECT_LT(since(start), milliseconds(static_cast<int>(2000 * modrt::test::kTimeScale)));
}

TEST_F(LuaChannels, DocsFanIn) {
    EXPECT_EQ(json(ok("test.chan:docs_fan_in")), R"(["event:1","event:2","event:3","message:a","message:b"])");
}

TEST_F(LuaChannels, DocsNonBlockingCheck) {
    EXPECT_EQ(json(ok("test.chan:docs_non_blocking")), R"(["nothing","data"])");
}

TEST_F(LuaChannels, DocsSelectCases) {
    EXPECT_EQ(json(ok("test.chan:docs_cases")),
              R"({"ok":true,"received":"sent","sent_channel":true,"sent_ok":true,"sent_value":"sent"})");
}

TEST_F(LuaChannels, DocsWorkerPool) {
    EXPECT_EQ(json(ok("test.chan:docs_worker_pool", args({ints({1, 2, 3, 4, 5}), Value::integer(3)}))),
              "[1,4,9,16,25]");
}

TEST_F(LuaChannels, WippysTickerUntilDone) {
    // Ticks every 50 ms until a coroutine says done at 125 ms: two ticks (more on a slow machine).
    Value v = ok("test.chan:docs_ticker_until_done");
    ASSERT_EQ(v.type, MODRT_ARRAY) << json(v);
    EXPECT_GE(v.items.size(), 2u) << json(v);
}

// -- Go's rules --

TEST_F(LuaChannels, UnbufferedChannelsHandOverInTurn) {
    EXPECT_EQ(json(ok("test.chan:ping_pong", args({Value::integer(3)}))),
              R"(["ping0","pong1","ping1","pong2","ping2","pong3"])");
}

TEST_F(LuaChannels, BufferedChannelsKeepOrderAndNils) {
    // The producer runs once the consumer blocks: its first send goes straight to the parked
    // consumer, the next three fill the buffer, the fifth parks until a receive makes room.
    EXPECT_EQ(json(ok("test.chan:buffered_order")),
              R"({"got":[1,2,"nil",4,5],"trace":["sent1","sent2","sent3","sent4","got1","got2","gotnil","got4","got5",)"
              R"("sent5"]})");
}

TEST_F(LuaChannels, CloseWakesParkedReceiversAndFailsSenders) {
    Value v = ok("test.chan:closing");
    EXPECT_EQ(json(at(v, "receiver")), "[true,false]");
    EXPECT_EQ(json(at(v, "sender")), R"([false,"send on a closed channel"])");
    EXPECT_EQ(at(v, "send_after"), str("send on a closed channel"));
    EXPECT_EQ(json(at(v, "drain")), R"(["left",true])");
    EXPECT_EQ(json(at(v, "drained")), "[true,false]");
}

TEST_F(LuaChannels, SelectSendsWhenAReceiverParks) {
    EXPECT_EQ(json(ok("test.chan:select_send")), R"({"got":"hello","ok":true,"sent":true,"value":"hello"})");
}

TEST_F(LuaChannels, ADeadlockRaisesAtOnce) {
    for (const char* id : {"test.chan:deadlock_alone", "test.chan:deadlock_all"}) {
        auto start = std::chrono::steady_clock::now();
        Value v = ok(id);
        EXPECT_EQ(at(v, "ok"), Value::boolean(false)) << id;
        EXPECT_EQ(at(v, "kind"), str("Invalid")) << id;
        EXPECT_NE(at(v, "message").str.find("deadlock"), std::string::npos) << json(v);
        EXPECT_LT(since(start), milliseconds(static_cast<int>(1000 * modrt::test::kTimeScale))) << id;
    }
}

TEST_F(LuaChannels, SpawnPassesItsArguments) { EXPECT_EQ(json(ok("test.chan:spawn_args")), R"(["a",true,3])"); }

TEST_F(LuaChannels, ManyCoroutinesFanIn) {
    EXPECT_EQ(ok("test.chan:many", args({Value::integer(2000)})), Value::integer(2000 * 2001 / 2));
}

TEST_F(LuaChannels, SleepingCoroutinesWakeInTurn) { EXPECT_EQ(json(ok("test.chan:sleepers")), "[10,20,30]"); }

// -- coroutines are ordinary Lua inside --

TEST_F(LuaChannels, ACoroutineBlocksInsidePcall) {
    EXPECT_EQ(json(ok("test.chan:pcall_inside")), R"([[true,"one"],[true,"two"],[false,"after the wait"]])");
}

TEST_F(LuaChannels, YieldingRunsTheOthersFirst) {
    EXPECT_EQ(json(ok("test.chan:yield_inside")), R"(["a1","b1","a2","b2","a3","b3"])");
}

TEST_F(LuaChannels, CoroutinesCallFunctions) { EXPECT_EQ(json(ok("test.chan:call_inside")), "[2,4,6]"); }

TEST_F(LuaChannels, ACoroutineWaitsOnAFuture) {
    EXPECT_EQ(json(ok("test.chan:future_in_coroutine")), R"(["slow:20",true])");
}

// -- failures, deadlines, the end of a call --

TEST_F(LuaChannels, AnErrorInACoroutineFailsTheCall) {
    auto r = call("test.chan:coroutine_error", Value::array(), bounded());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_NOT_FOUND) << r.error->message;
    EXPECT_NE(r.error->message.find("no such thing in the coroutine"), std::string::npos) << r.error->message;
}

TEST_F(LuaChannels, ABlockedCallEndsAtItsDeadline) {
    auto start = std::chrono::steady_clock::now();
    auto r = call("test.chan:blocked_forever", Value::array(), bounded(milliseconds(150)));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT) << r.error->message;
    EXPECT_GE(since(start), milliseconds(140));
    EXPECT_LT(since(start), milliseconds(static_cast<int>(1500 * modrt::test::kTimeScale)));
}

TEST_F(LuaChannels, ABlockedCallEndsWhenCanceled) {
    CallOptions o = bounded();
    o.canceler = std::make_shared<modrt::kernel::CallCanceler>();
    auto canceler = std::thread([c = o.canceler] {
        std::this_thread::sleep_for(milliseconds(100));
        c->cancel();
    });
    auto r = modrt::test::run_within([&] { return call("test.chan:blocked_forever", Value::array(), o); },
                                     milliseconds(4000));
    canceler.join();
    ASSERT_TRUE(r.has_value()) << "the blocked call was not interrupted";
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error->kind, MODRT_ERR_CANCELED) << r->error->message;
}

TEST_F(LuaChannels, CoroutinesEndWithTheirCall) {
    // The coroutine parked on the module's channel must not take the next call's value.
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(ok("test.chan:leave_behind"), str("left"));
        EXPECT_EQ(json(ok("test.chan:after_leave")), R"(["kept",true])");
    }
}

TEST_F(LuaChannels, MisuseSaysWhatIsWrong) {
    Value v = ok("test.chan:misuse");
    EXPECT_NE(at(v, "size").str.find("channel.new: the size must be a whole number"), std::string::npos) << json(v);
    EXPECT_NE(at(v, "spawn").str.find("bad argument #1 to 'spawn' (function expected, got number)"), std::string::npos)
        << json(v);
    EXPECT_NE(at(v, "not_channel").str.find("bad argument #1 to 'receive' (channel expected, got table)"),
              std::string::npos)
        << json(v);
    EXPECT_NE(at(v, "select_table").str.find("bad argument #1 to 'select' (table expected, got string)"),
              std::string::npos)
        << json(v);
}

}  // namespace
