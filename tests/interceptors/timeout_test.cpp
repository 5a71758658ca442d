// interceptor.timeout: expiry cancels the call beneath and returns TIMEOUT.
#include "icpt_test_util.hpp"

using namespace it;

namespace {

const char* kTimeoutRegistry = R"(
version: "1.0"
namespace: t
entries:
  - {name: sleepy, kind: function.native, source: file://@LIB@, method: sleepy,
     meta: {options: {timeout: {timeout: 100ms}}}}
  - {name: sleepy_pool, kind: function.native, source: file://@LIB@, method: sleepy, pool: {workers: 1},
     meta: {options: {timeout: {timeout: 100ms}}}}
  - {name: stubborn, kind: function.native, source: file://@LIB@, method: stubborn,
     meta: {options: {timeout: {timeout: 50ms}}}}
  - {name: calls, kind: function.native, source: file://@LIB@, method: calls}
)";

}  // namespace

TEST(Timeout, AFastCallPasses) {
    auto rt = load(kTimeoutRegistry);
    CallResult r = rt->call("t:sleepy", array_of({str("fast"), Value::integer(1)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.str, "slept");
}

TEST(Timeout, ExpiryCancelsTheCallBeneathAndReturnsTimeout) {
    auto rt = load(kTimeoutRegistry);
    for (const char* id : {"t:sleepy", "t:sleepy_pool"}) {
        auto start = Clock::now();
        CallResult r = rt->call(id, array_of({str("slow"), Value::integer(5000)}));
        double ms = ms_since(start);
        ASSERT_FALSE(r.ok()) << id;
        EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT) << id;
        IT_EXPECT_CONTAINS(r.error->message, "timed out after 100ms");
        EXPECT_GE(ms, 95) << id;
        EXPECT_LT(ms, 3000) << id;  // the function would sleep 5s: it was canceled
    }
}

TEST(Timeout, ALateSuccessIsStillATimeout) {
    auto rt = load(kTimeoutRegistry);
    CallResult r = rt->call("t:stubborn", array_of({Value::integer(200)}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT);
    EXPECT_EQ(r.value.type, MODRT_NIL);
}

TEST(Timeout, TheCallersOwnDeadlineIsReportedAsItIs) {
    auto rt = load(kTimeoutRegistry);
    modrt::kernel::CallOptions options;
    options.timeout = std::chrono::milliseconds(30);
    CallResult r = rt->call("t:sleepy", array_of({str("outer"), Value::integer(5000)}), options);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT);
    EXPECT_FALSE(contains(r.error->message, "interceptor.timeout")) << r.error->message;
}

TEST(Timeout, NeedsATimeout) {
    std::string errors = load_errors(R"(
version: "1.0"
namespace: t
entries:
  - {name: a, kind: function.native, source: file://@LIB@, method: echo, meta: {options: {timeout: {}}}}
  - {name: b, kind: function.native, source: file://@LIB@, method: echo, meta: {options: {timeout: {timeout: -5}}}}
)");
    IT_EXPECT_CONTAINS(errors, "entry 't:a': timeout: interceptor.timeout needs a timeout");
    IT_EXPECT_CONTAINS(errors, "entry 't:b': timeout: expected a duration");
}
