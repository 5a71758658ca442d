// function.lua: the funcs and ctx modules and the errors global, with Wippy's
// documented examples run as written (fixtures/funcs/docs.lua).
#include "lua_funcs_util.hpp"

#include <gmock/gmock.h>

using namespace lua_test;
using modrt::kernel::CallOptions;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

namespace {

class LuaFuncs : public FuncsRegistry {};

CallOptions with_context(std::initializer_list<std::pair<const char*, Value>> pairs) {
    CallOptions o;
    for (const auto& [k, v] : pairs) o.context.insert(k) = v;
    return o;
}

// -- Wippy's examples --

TEST_F(LuaFuncs, DocsCallReturnsTheResult) {
    auto r = call("test.funcs:docs_call", args({integer(1)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, str("Ada Lovelace"));
}

TEST_F(LuaFuncs, DocsCallPassesTheCalleesErrorOn) {
    auto r = call("test.funcs:docs_call", args({integer(7)}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_NOT_FOUND);
    EXPECT_EQ(r.error->message, "user 7 not found");
    EXPECT_FALSE(r.error->retryable);
    ASSERT_NE(r.error->details, nullptr);
    EXPECT_EQ(at(*r.error->details, "user_id"), integer(7));
    EXPECT_NE(r.error->stack.find("callee.lua"), std::string::npos) << r.error->stack;
}

TEST_F(LuaFuncs, DocsAsyncReceivesThePayload) {
    auto r = call("test.funcs:docs_async", args({integer(21)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, integer(42));
    r = call("test.funcs:docs_async_payload", args({integer(21)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, integer(42));
}

TEST_F(LuaFuncs, DocsAsyncPassesTheCalleesErrorOn) {
    // The channel stays open and carries the failure (Wippy's); result() gives the
    // callee's error with its kind, and the example returns it.
    auto r = call("test.funcs:docs_async", args({str("not a number")}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INTERNAL);
    EXPECT_THAT(r.error->message, HasSubstr("attempt to perform arithmetic"));
    EXPECT_THAT(r.error->message, Not(HasSubstr("channel closed")));
}

TEST_F(LuaFuncs, DocsResponseChannelSelectsTheResultBeforeTheTimeout) {
    auto r = call("test.funcs:docs_response_channel", args({str("test.funcs:nap"), integer(10), str("fast")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"data":"fast","from_future":true,"ok":true,"same_channel":true})");
}

TEST_F(LuaFuncs, DocsResponseChannelCarriesTheCalleesError) {
    auto r = call("test.funcs:docs_response_channel", args({str("test.funcs:get_user"), integer(7)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"from_future":true,"kind":"NotFound","message":"user 7 not found","ok":true,)"
                             R"("result_kind":"NotFound","same_channel":true})");
}

TEST_F(LuaFuncs, DocsIsCompletePollsWithSleep) {
    auto r = call("test.funcs:docs_is_complete");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "data"), str("slow"));
    EXPECT_EQ(at(r.value, "no_error"), Value::boolean(true));
    EXPECT_GE(at(r.value, "polls").scalar.i, 1);
}

TEST_F(LuaFuncs, DocsFuturePageOnSuccessFailureAndCancel) {
    auto r = call("test.funcs:docs_future_page", args({str("ok")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"(["Got:\tdone"])");

    // result() keeps the callee's error; error() is Wippy's INTERNAL wrapper of it.
    r = call("test.funcs:docs_future_page", args({str("fail")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"(["Failed:\tuser 7 not found","Error kind:\tInternal"])");

    r = call("test.funcs:docs_future_page", args({str("cancel")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_EQ(r.value.size(), 4u) << json(r.value);
    EXPECT_EQ(r.value.items[0], str("cancel: true"));
    EXPECT_EQ(r.value.items[1], str("Operation was canceled"));
    EXPECT_THAT(r.value.items[2].str, StartsWith("Failed:\t"));
    EXPECT_EQ(r.value.items[3], str("Error kind:\tInternal"));
}

TEST_F(LuaFuncs, DocsExecutorPropagatesContext) {
    auto r = call("test.funcs:docs_executor", args({integer(5)}), with_context({{"request_id", str("req-9")}}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(at(at(r.value, "user"), "context")), R"({"feature_flags":{"dark_mode":true},"request_id":"req-9"})");
    // The second executor replaces nothing of the caller's context, it adds trace_id.
    EXPECT_EQ(json(at(at(r.value, "users"), "context")), R"({"request_id":"req-9","trace_id":"abc-123"})");
    EXPECT_EQ(at(at(r.value, "users"), "has_deadline"), Value::boolean(true));
    EXPECT_EQ(at(r.value, "users"), at(r.value, "posts"));
}

TEST_F(LuaFuncs, DocsOptionsTimeoutEndsTheCall) {
    auto start = std::chrono::steady_clock::now();
    auto r = call("test.funcs:docs_options", args({str("q")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"kind":"Timeout","retryable":true})");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(LuaFuncs, DocsFutureMethods) {
    auto r = call("test.funcs:docs_future");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "got"), str("slow"));
    EXPECT_EQ(at(r.value, "has_error"), Value::boolean(false));
    EXPECT_EQ(at(r.value, "cancel_after_done"), Value::boolean(false));
    EXPECT_EQ(at(r.value, "is_canceled"), Value::boolean(false));
    // error() is Wippy's non-retryable INTERNAL wrapper; result() keeps NotFound.
    EXPECT_EQ(at(r.value, "error_kind"), str("Internal"));
    EXPECT_EQ(at(r.value, "same_error"), Value::boolean(false));
    // The failed call's channel delivers its error, open (Wippy's), not nil, false.
    EXPECT_EQ(json(at(r.value, "failed_receive")), "[false,true]");
    EXPECT_EQ(at(r.value, "cancel_running"), Value::boolean(true));
    EXPECT_EQ(at(r.value, "is_canceled_running"), Value::boolean(true));
    EXPECT_EQ(at(r.value, "canceled_kind"), str("Canceled"));
}

TEST_F(LuaFuncs, DocsParallelSelectGetsEachResultOnce) {
    auto r = call("test.funcs:docs_parallel", args({integer(3)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(at(r.value, "user")), R"({"name":"user 3"})");
    EXPECT_EQ(json(at(r.value, "orders")), "[10,20]");
    EXPECT_EQ(json(at(r.value, "prefs")), R"({"theme":"dark"})");
    // They ran in parallel: the quickest came first, the slowest last.
    EXPECT_EQ(json(at(r.value, "order")), R"(["orders","prefs","user"])");
}

TEST_F(LuaFuncs, DocsParallelPendingTableCollectsEveryResult) {
    auto r = call("test.funcs:docs_parallel_pending", args({integer(1)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"orders":[10,20],"preferences":{"theme":"dark"},"user":{"id":1,"name":"Ada Lovelace"}})");
}

TEST_F(LuaFuncs, DocsParallelPendingTableStopsAtTheFirstError) {
    auto r = call("test.funcs:docs_parallel_pending", args({integer(7)}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_NOT_FOUND);
    EXPECT_EQ(r.error->message, "user 7 not found");
}

TEST_F(LuaFuncs, DocsCtx) {
    auto r = call("test.funcs:docs_ctx", args({str("tenant")}),
                  with_context({{"tenant", str("acme")}, {"n", integer(2)}}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "value"), str("acme"));
    EXPECT_EQ(json(at(r.value, "all")), R"({"n":2,"tenant":"acme"})");
    EXPECT_EQ(at(r.value, "no_errors"), Value::boolean(true));
    EXPECT_EQ(at(r.value, "missing"), str("NotFound"));
    EXPECT_EQ(at(r.value, "missing_retryable"), Value::boolean(false));
    EXPECT_EQ(at(r.value, "empty"), str("Invalid"));
}

TEST_F(LuaFuncs, DocsCtxAllIsAnEmptyTableWithoutValues) {
    auto r = call("test.funcs:docs_ctx", args({str("k")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(at(r.value, "all")), "{}");
    EXPECT_EQ(r.value.find("value"), nullptr);
    EXPECT_EQ(at(r.value, "no_errors"), Value::boolean(false));
}

TEST_F(LuaFuncs, DocsErrors) {
    auto r = call("test.funcs:docs_errors");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "simple_kind"), str("Unknown"));
    EXPECT_EQ(at(v, "kind"), str("NotFound"));
    EXPECT_EQ(at(v, "message"), str("user not found"));
    EXPECT_EQ(at(v, "retryable"), Value::boolean(false));
    EXPECT_EQ(at(v, "user_id"), integer(123));
    EXPECT_EQ(at(v, "tostring"), str("user not found"));
    EXPECT_EQ(at(v, "stack"), str("string"));
    EXPECT_EQ(at(v, "is_not_found"), Value::boolean(true));
    EXPECT_EQ(at(v, "compare"), Value::boolean(true));
    EXPECT_EQ(at(v, "is_invalid"), Value::boolean(false));
    // Wippy's wrap: message(), tostring() and .. keep the wrapped error's text; the
    // context shows where the error leaves Lua (DocsWrapDb).
    EXPECT_EQ(at(v, "wrapped"), str("user not found"));
    EXPECT_EQ(at(v, "wrapped_tostring"), str("user not found"));
    EXPECT_EQ(at(v, "wrapped_concat"), str("got: user not found"));
    EXPECT_EQ(at(v, "wrapped_twice"), str("failed to load users: user not found"));
    EXPECT_EQ(at(v, "wrapped_kind"), str("NotFound"));
    EXPECT_EQ(at(v, "wrapped_retryable"), Value::boolean(false));
    EXPECT_EQ(at(v, "wrapped_details"), integer(123));
    EXPECT_EQ(at(v, "wrapped_string"), str("disk full"));
    EXPECT_EQ(at(v, "wrapped_by_error"), str("user not found"));
    EXPECT_EQ(at(v, "unspecified"), Value::boolean(true));
    EXPECT_EQ(v.find("retried"), nullptr);
    const Value& printed = at(v, "printed");
    ASSERT_GE(printed.size(), 4u) << json(printed);
    EXPECT_EQ(printed.items[0], str("email\tinvalid format"));
    EXPECT_EQ(printed.items[1], str("age\tmust be positive"));
    EXPECT_EQ(printed.items[2], str("Thread:\tmain"));
    EXPECT_THAT(printed.items[3].str, HasSubstr("docs.lua:")) << json(printed);
    EXPECT_EQ(json(at(v, "kinds")), R"(["NotFound","AlreadyExists","Invalid","PermissionDenied","Unavailable",)"
                                    R"("Internal","Canceled","Conflict","Timeout","RateLimited","Unknown"])");
}

TEST_F(LuaFuncs, DocsWrapDbReturnsTheWrappedError) {
    auto r = call("test.funcs:docs_wrap_db", args({Value::boolean(true)}));
    ASSERT_FALSE(r.ok());
    // Leaving Lua the error reads "context: message" (Wippy's Error()), kind and details kept.
    EXPECT_EQ(r.error->kind, MODRT_ERR_NOT_FOUND);
    EXPECT_EQ(r.error->message, R"(failed to load users: relation "users" does not exist)");
    EXPECT_FALSE(r.error->retryable);
    ASSERT_NE(r.error->details, nullptr);
    EXPECT_EQ(at(*r.error->details, "sql"), str("SELECT * FROM users"));

    r = call("test.funcs:docs_wrap_db", args({Value::boolean(false)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"([{"id":1}])");
}

TEST_F(LuaFuncs, DocsCheckingKind) {
    auto r = call("test.funcs:docs_checking_kind", args({integer(7)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"(["not found"])");
}

// -- context inheritance --

TEST_F(LuaFuncs, WithContextReachesCalleesAndTheirDescendantsOnly) {
    auto r = call("test.funcs:level1", Value::array(), with_context({{"a", str("one")}}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(json(at(v, "before")), R"({"a":"one"})");
    EXPECT_EQ(json(at(v, "after")), R"({"a":"one"})");  // with_context never touches the caller
    EXPECT_EQ(at(v, "b_here"), str("NotFound"));
    const Value& two = at(v, "below");
    EXPECT_EQ(json(at(two, "mine")), R"({"a":"one","b":"two"})");
    EXPECT_EQ(json(at(two, "after")), R"({"a":"one","b":"two"})");
    EXPECT_EQ(json(at(at(two, "below"), "mine")), R"({"a":"shadowed","b":"two","c":"three"})");
}

TEST_F(LuaFuncs, ContextCrossesANativeFunction) {
    auto r = call("test.funcs:lua_native_lua", Value::array(), with_context({{"root", Value::boolean(true)}}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(at(r.value, "seen")), R"({"hop":"one","root":true})");
    EXPECT_EQ(at(r.value, "kind"), str("NotFound"));
    EXPECT_EQ(json(at(r.value, "details")), R"({"user_id":7})");
    EXPECT_EQ(at(r.value, "retryable"), Value::boolean(false));
}

// -- executors --

TEST_F(LuaFuncs, ExecutorsAreImmutableAndCarryActorScopeOptions) {
    auto r = call("test.funcs:executor");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(json(at(v, "base")), R"({"tenant":"123"})");
    EXPECT_EQ(json(at(v, "john")), R"({"tenant":"123","user":"john"})");
    EXPECT_EQ(json(at(v, "jane")), R"({"tenant":"123","user":"jane"})");
    const Value& secure = at(v, "secure");
    EXPECT_EQ(at(secure, "actor"), str("user:1"));
    EXPECT_EQ(json(at(secure, "meta")), R"({"role":"admin"})");
    EXPECT_EQ(at(secure, "scope"), str("app:admins"));
    EXPECT_EQ(at(secure, "has_deadline"), Value::boolean(true));
    EXPECT_EQ(json(at(secure, "options")), R"({"priority":5})");
    EXPECT_EQ(at(v, "secure_async"), secure);
    const Value& plain = at(v, "plain");
    EXPECT_EQ(plain.find("actor"), nullptr);
    EXPECT_EQ(plain.find("scope"), nullptr);
    EXPECT_EQ(at(plain, "has_deadline"), Value::boolean(false));
    EXPECT_EQ(json(at(v, "bad_ctx")), R"([true,"Invalid"])");
    EXPECT_EQ(at(v, "array_ctx"), str("Invalid"));
    EXPECT_EQ(at(v, "bad_actor"), str("Invalid"));
    EXPECT_EQ(at(v, "bad_scope"), str("Invalid"));
    EXPECT_EQ(at(v, "bad_timeout"), str("Invalid"));
}

TEST_F(LuaFuncs, CallerActorAndScopeAreInherited) {
    CallOptions o;
    o.actor_id = "svc:root";
    o.actor_meta.insert("team") = str("core");
    o.scope = "app:root";
    auto r = call("test.funcs:call", args({str("test.funcs:frame_info")}), o);
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "actor"), str("svc:root"));
    EXPECT_EQ(json(at(r.value, "meta")), R"({"team":"core"})");
    EXPECT_EQ(at(r.value, "scope"), str("app:root"));
}

TEST_F(LuaFuncs, HostModulesAreReadOnly) {
    auto r = call("test.funcs:tamper");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_NE(at(r.value, "write").str.find("read-only module 'funcs'"), std::string::npos) << json(r.value);
    EXPECT_NE(at(r.value, "rawset").str.find("table expected"), std::string::npos) << json(r.value);
    EXPECT_EQ(at(r.value, "meta"), Value::boolean(false));
    EXPECT_NE(at(r.value, "ctx_write").str.find("read-only module 'ctx'"), std::string::npos) << json(r.value);
    EXPECT_NE(at(r.value, "channel_write").str.find("read-only table 'channel'"), std::string::npos) << json(r.value);
    EXPECT_EQ(at(r.value, "still_works"), integer(42));
}

// -- targets and errors --

TEST_F(LuaFuncs, InvalidAndUnknownTargetsAreErrorValues) {
    auto r = call("test.funcs:targets");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(json(at(v, "1")), R"({"kind":"Invalid","result_nil":true})");  // ""
    EXPECT_EQ(json(at(v, "2")), R"({"kind":"Invalid","result_nil":true})");  // no namespace
    EXPECT_EQ(json(at(v, "3")), R"({"kind":"Invalid","result_nil":true})");  // no name
    EXPECT_EQ(json(at(v, "4")), R"({"kind":"Invalid","result_nil":true})");  // no namespace
    EXPECT_EQ(json(at(v, "5")), R"({"kind":"NotFound","result_nil":true})");
    EXPECT_EQ(at(v, "not_string"), str("Invalid"));
    EXPECT_EQ(json(at(v, "async_empty")), R"([true,"Invalid"])");
    EXPECT_EQ(json(at(v, "async_missing")), R"([true,"NotFound"])");
    const Value& raised = at(v, "raised");
    EXPECT_EQ(json(raised.items[0]), "true");
    EXPECT_EQ(raised.items[1], str("Internal"));
    EXPECT_NE(raised.items[2].str.find("callee exploded"), std::string::npos);
    EXPECT_EQ(at(v, "bad_arg"), str("Invalid"));
}

TEST_F(LuaFuncs, NestedArgumentsArriveWholeWhateverTheLastCallLeftInTheSlot) {
    for (int round = 0; round < 2; ++round) {  // the second round runs with every method loaded
        auto r = call("test.funcs:shapes");
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(r.value, str("2 number:1 number:2|2 string:x boolean:true|3 nil:nil boolean:false number:2.5|0|"
                               "3 number:-0 number:9.007199254741e+15 number:9.007199254741e+15|2 boolean:true table|"
                               "2 number:1 number:2|1 nil:nil"));
    }
}

TEST_F(LuaFuncs, ErrorFieldsSurviveLuaLuaNativeAndBack) {
    // Seen in Lua, two calls above the native function (middle runs on its own pool).
    auto r = call("test.funcs:nested_errors", args({str("RATE_LIMITED"), Value::boolean(false), str("inspect")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "kind"), str("RateLimited"));
    EXPECT_EQ(at(r.value, "retryable"), Value::boolean(false));  // although RATE_LIMITED defaults to true
    EXPECT_EQ(json(at(r.value, "details")), R"({"disk":"sda","tries":[1,2]})");
    EXPECT_EQ(at(r.value, "message"), str("middle: disk on fire"));
    EXPECT_EQ(at(r.value, "is"), Value::boolean(true));
    EXPECT_EQ(at(r.value, "stack"), str("native stack of fail"));

    // And returned on to the root caller through the C ABI.
    auto e = call("test.funcs:nested_errors", args({str("CONFLICT"), Value::boolean(false), str("return")}));
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error->kind, MODRT_ERR_CONFLICT);
    EXPECT_FALSE(e.error->retryable);
    EXPECT_EQ(e.error->message, "middle: disk on fire");
    ASSERT_NE(e.error->details, nullptr);
    EXPECT_EQ(json(*e.error->details), R"({"disk":"sda","tries":[1,2]})");

    auto t = call("test.funcs:nested_errors", args({str("NotFound"), Value::boolean(true), str("return")}));
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error->kind, MODRT_ERR_NOT_FOUND);
    EXPECT_TRUE(t.error->retryable);
}

TEST_F(LuaFuncs, CallsIntoTheSameOneWorkerPoolComplete) {
    auto r = call("test.funcs:countdown", args({integer(5)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, integer(5));
}

TEST_F(LuaFuncs, CallsFromACoroutineIntoTheSameState) {
    auto r = call("test.funcs:coroutine_call", args({integer(3)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"([6,12,"dead"])");
}

}  // namespace
