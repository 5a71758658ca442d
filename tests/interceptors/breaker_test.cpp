// interceptor.circuit_breaker: closed -> open -> half-open -> closed/open, shared by all callers.
#include "icpt_test_util.hpp"

#include <thread>
#include <vector>

using namespace it;

namespace {

const char* kBreakerRegistry = R"(
version: "1.0"
namespace: t
entries:
  - {name: flaky, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {circuit_breaker: {failure_threshold: 2, open_timeout: 200ms, half_open_max_calls: 1}}}}
  - {name: maybe, kind: function.native, source: file://@LIB@, method: maybe,
     meta: {options: {circuit_breaker: {failure_threshold: 0.5, min_calls: 4, window: 10s, open_timeout: 1h}}}}
  - {name: shared, kind: function.native, source: file://@LIB@, method: maybe, pool: {workers: 4},
     meta: {options: {circuit_breaker: {failure_threshold: 10, open_timeout: 1h}}}}
  - {name: invalid, kind: function.native, source: file://@LIB@, method: hard_fail,
     meta: {options: {circuit_breaker: {failure_threshold: 1, open_timeout: 1h}}}}
  - {name: calls, kind: function.native, source: file://@LIB@, method: calls}
)";

void expect_open(const CallResult& r) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_UNAVAILABLE);
    EXPECT_TRUE(r.error->retryable);
    IT_EXPECT_CONTAINS(r.error->message, "circuit open for 't:");
}

}  // namespace

TEST(CircuitBreaker, OpensHalfOpensAndCloses) {
    auto rt = load(kBreakerRegistry);
    Value args = array_of({str("cycle"), Value::integer(3)});  // calls 1-3 fail, then succeed
    EXPECT_FALSE(rt->call("t:flaky", args).ok());
    EXPECT_FALSE(rt->call("t:flaky", args).ok());  // 2 failures: open
    expect_open(rt->call("t:flaky", args));
    EXPECT_EQ(calls(*rt, "cycle"), 2);  // failed fast: the function did not run

    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    CallResult trial = rt->call("t:flaky", args);  // half-open: one trial, which fails (call 3)
    ASSERT_FALSE(trial.ok());
    IT_EXPECT_CONTAINS(trial.error->message, "flaky failure #3");
    expect_open(rt->call("t:flaky", args));  // open again
    EXPECT_EQ(calls(*rt, "cycle"), 3);

    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    CallResult ok = rt->call("t:flaky", args);  // trial succeeds (call 4): closed
    ASSERT_TRUE(ok.ok()) << ok.error->message;
    ASSERT_TRUE(rt->call("t:flaky", args).ok());
    EXPECT_EQ(calls(*rt, "cycle"), 5);
}

TEST(CircuitBreaker, RatioOverAWindow) {
    auto rt = load(kBreakerRegistry);
    auto call = [&](bool fail) { return rt->call("t:maybe", array_of({str("ratio"), Value::boolean(fail)})); };
    EXPECT_TRUE(call(false).ok());
    EXPECT_FALSE(call(true).ok());
    EXPECT_TRUE(call(false).ok());  // 1 of 3: below min_calls anyway
    EXPECT_FALSE(call(true).ok());  // 2 of 4 >= 0.5: open
    expect_open(call(false));
    EXPECT_EQ(calls(*rt, "ratio"), 4);
}

TEST(CircuitBreaker, CallerErrorsDoNotCount) {
    auto rt = load(kBreakerRegistry);
    for (int i = 0; i < 3; ++i) {
        CallResult r = rt->call("t:invalid", array_of({str("invalid")}));
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);  // never the open circuit
    }
    EXPECT_EQ(calls(*rt, "invalid"), 3);
}

TEST(CircuitBreaker, StateIsSharedByAllCallers) {
    auto rt = load(kBreakerRegistry);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 5; ++i) rt->call("t:shared", array_of({str("shared"), Value::boolean(true)}));
        });
    for (auto& t : threads) t.join();
    expect_open(rt->call("t:shared", array_of({str("shared"), Value::boolean(false)})));
    EXPECT_GE(calls(*rt, "shared"), 10);
    EXPECT_LT(calls(*rt, "shared"), 20);  // once open, the rest failed fast
}
