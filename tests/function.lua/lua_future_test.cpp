// function.lua: futures, their channels and channel.select; cancellation and
// the caller's deadline reaching blocking waits (fixtures/funcs/caller.lua).
#include "lua_funcs_util.hpp"

using namespace lua_test;
using modrt::kernel::CallOptions;

namespace {

class LuaFutures : public FuncsRegistry {};

CallOptions timeout(std::chrono::milliseconds t) {
    CallOptions o;
    o.timeout = t;
    return o;
}

TEST_F(LuaFutures, CancelReachesTheCalleesFrame) {
    auto r = call("test.funcs:cancel_nap", args({integer(5000)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"canceled":true,"complete":true,"kind":"Canceled","was_running":true})");
    EXPECT_EQ(native().started(), 1);
    EXPECT_EQ(native().canceled(), 1);  // the native callee saw its own frame canceled
}

TEST_F(LuaFutures, CancelStopsARunningLuaCallee) {
    auto start = std::chrono::steady_clock::now();
    auto r = call("test.funcs:cancel_spin");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"kind":"Canceled","was_running":true})");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(LuaFutures, ACallersReturnCancelsWhatItLeftRunning) {
    auto r = call("test.funcs:leave_running", args({integer(5000)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_TRUE(eventually([] { return native().canceled() == 1; })) << native().canceled();
}

TEST_F(LuaFutures, ManyOutstandingFuturesFromOneFunction) {
    auto r = call("test.funcs:many_futures", args({integer(64)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, integer(64 * 65));
}

TEST_F(LuaFutures, BlockingResultEndsAtTheCallersDeadline) {
    auto start = std::chrono::steady_clock::now();
    auto r = call("test.funcs:async_result", args({str("test.funcs:nap"), integer(5000), str("x")}),
                  timeout(std::chrono::milliseconds(150)));
    auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT) << r.error->message;
    EXPECT_GE(took, std::chrono::milliseconds(140));
    EXPECT_LT(took, std::chrono::seconds(2));
    EXPECT_TRUE(eventually([] { return native().canceled() == 1; }));  // and the callee was ended too
}

TEST_F(LuaFutures, BlockingSelectEndsAtTheCallersDeadline) {
    auto start = std::chrono::steady_clock::now();
    auto r = call("test.funcs:wait_select", args({integer(5000)}), timeout(std::chrono::milliseconds(150)));
    auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT) << r.error->message;
    EXPECT_LT(took, std::chrono::seconds(2));
    EXPECT_TRUE(eventually([] { return native().canceled() == 2; })) << native().canceled();
}

TEST_F(LuaFutures, BlockingReceiveEndsAtTheCallersDeadline) {
    auto start = std::chrono::steady_clock::now();
    auto r = call("test.funcs:wait_receive", args({integer(5000)}), timeout(std::chrono::milliseconds(150)));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT) << r.error->message;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(LuaFutures, ABlockedWaitEndsWhenTheCallerIsCanceled) {
    // The outer Lua function waits in select; canceling its own future (from Lua above
    // it) must wake it and cancel its two callees.
    auto r = call("test.funcs:cancel_waiter");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"kind":"Canceled","was_running":true})");
    EXPECT_TRUE(eventually([] { return native().canceled() == 2; })) << native().canceled();
}

TEST_F(LuaFutures, SelectWithDefaultDoesNotBlock) {
    auto r = call("test.funcs:docs_select_default");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"default_ok":true,"first":"default","ok":true,"same":true,"second":"late"})");
}

TEST_F(LuaFutures, ChannelMisuseRaisesClearly) {
    auto r = call("test.funcs:misuse");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_NE(at(v, "not_a_case").str.find("case 1 is not a case"), std::string::npos) << json(v);
    EXPECT_NE(at(v, "no_cases").str.find("no cases"), std::string::npos) << json(v);
    EXPECT_NE(at(v, "new").str.find("channel.new: the size must be a whole number"), std::string::npos) << json(v);
    EXPECT_EQ(at(v, "same_channel"), Value::boolean(true));
    EXPECT_NE(at(v, "send").str.find("nothing can be sent"), std::string::npos) << json(v);
    EXPECT_EQ(json(at(v, "first")), "[8,true]");
    EXPECT_EQ(at(v, "again_kind"), str("Invalid"));
    EXPECT_EQ(at(v, "payload_value"), integer(8));
    EXPECT_EQ(json(at(v, "closed")), R"({"ok":false,"value_nil":true})");
}

}  // namespace
