// interceptor.retry: attempts, retryable vs not, backoff timing, cancellation and deadlines.
#include "icpt_test_util.hpp"

#include <modrt/kernel/runtime.hpp>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

using namespace it;

namespace {

const char* kRetryRegistry = R"(
version: "1.0"
namespace: t
entries:
  - {name: flaky, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {retry: {max_attempts: 3, initial_delay: 5ms}}}}
  - {name: hard, kind: function.native, source: file://@LIB@, method: hard_fail,
     meta: {options: {retry: {max_attempts: 5, initial_delay: 5ms}}}}
  - {name: timed, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {retry: {max_attempts: 4, initial_delay: "50ms", backoff_factor: 2}}}}
  - {name: capped, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {retry: {max_attempts: 4, initial_delay: 50, backoff_factor: 10, max_delay: 60ms}}}}
  - {name: jittery, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {retry: {max_attempts: 2, initial_delay: 300ms, jitter: true}}}}
  - {name: slow_backoff, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {retry: {max_attempts: 5, initial_delay: 10s}}}}
  - {name: on_pool, kind: function.native, source: file://@LIB@, method: flaky, pool: {workers: 2},
     meta: {options: {retry: {max_attempts: 3, initial_delay: 1ms}}}}
  - {name: calls, kind: function.native, source: file://@LIB@, method: calls}
  - {name: hard_listed, kind: function.native, source: file://@LIB@, method: hard_fail,
     meta: {options: {retry: {max_attempts: 3, initial_delay: 1ms, retry_kinds: [Invalid]}}}}
  - {name: flaky_skipped, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {retry: {max_attempts: 3, initial_delay: 1ms, skip_kinds: [UNAVAILABLE]}}}}
  - {name: flaky_not_listed, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {retry: {max_attempts: 3, initial_delay: 1ms, retry_kinds: [Timeout, RateLimited]}}}}
  - {name: fraction_jitter, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {retry: {max_attempts: 2, initial_delay: 200ms, jitter: 0.5}}}}
)";

}  // namespace

TEST(Retry, SucceedsOnTheThirdAttempt) {
    auto rt = load(kRetryRegistry);
    CallResult r = rt->call("t:flaky", array_of({str("third"), Value::integer(2)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.scalar.i, 3);
    EXPECT_EQ(calls(*rt, "third"), 3);
}

TEST(Retry, RunsOnAPoolToo) {
    auto rt = load(kRetryRegistry);
    CallResult r = rt->call("t:on_pool", array_of({str("pool"), Value::integer(2)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.scalar.i, 3);
}

TEST(Retry, GivesUpAfterMaxAttemptsAndSaysSo) {
    auto rt = load(kRetryRegistry);
    CallResult r = rt->call("t:flaky", array_of({str("never"), Value::integer(100)}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_UNAVAILABLE);
    IT_EXPECT_CONTAINS(r.error->message, "gave up after 3 attempts");
    IT_EXPECT_CONTAINS(r.error->message, "flaky failure #3");
    EXPECT_EQ(calls(*rt, "never"), 3);
}

TEST(Retry, DoesNotRetryNonRetryableErrors) {
    auto rt = load(kRetryRegistry);
    auto start = Clock::now();
    CallResult r = rt->call("t:hard", array_of({str("hard")}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    EXPECT_EQ(r.error->message, "hard failure #1");  // surfaced at once, unchanged
    EXPECT_EQ(calls(*rt, "hard"), 1);
    EXPECT_LT(ms_since(start), 1000);
}

TEST(Retry, BackoffGrowsByTheFactor) {
    auto rt = load(kRetryRegistry);
    auto start = Clock::now();
    CallResult r = rt->call("t:timed", array_of({str("timed"), Value::integer(3)}));
    double ms = ms_since(start);
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.scalar.i, 4);
    EXPECT_GE(ms, 50 + 100 + 200 - 5);  // waits 50ms, 100ms, 200ms
    EXPECT_LT(ms, 350 + 3000);          // loose: a loaded CI machine under sanitizers
}

TEST(Retry, MaxDelayCapsTheBackoff) {
    auto rt = load(kRetryRegistry);
    auto start = Clock::now();
    CallResult r = rt->call("t:capped", array_of({str("capped"), Value::integer(3)}));
    double ms = ms_since(start);
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_GE(ms, 50 + 60 + 60 - 5);
    EXPECT_LT(ms, 2500);  // uncapped it would wait 50ms + 500ms + 5s
}

// t:jittery makes two attempts with one full-jitter wait, uniform in [0, 300ms], between
// them: each call's duration is that one wait (plus microseconds of work). Each sample
// is checked on its own; a wait of delay + jitter (or no jitter at all) fails the bound
// or the spread.
TEST(Retry, FullJitterNeverWaitsLongerThanTheDelay) {
    constexpr double kRetryJitterDelayMs = 300;
    // A sleep on a loaded 2-core CI machine (sanitizers on) can wake this much late.
    constexpr double kRetryJitterWakeSlackMs = 120;
    constexpr int kRetryJitterSamples = 10;
    auto rt = load(kRetryRegistry);
    std::vector<double> waits;
    for (int i = 0; i < kRetryJitterSamples; ++i) {
        const std::string key = "jitter" + std::to_string(i);
        auto start = Clock::now();
        CallResult r = rt->call("t:jittery", array_of({str(key), Value::integer(1)}));
        waits.push_back(ms_since(start));
        ASSERT_TRUE(r.ok()) << r.error->message;
        ASSERT_EQ(calls(*rt, key), 2) << "one retry, so exactly one wait";
        EXPECT_LT(waits.back(), kRetryJitterDelayMs + kRetryJitterWakeSlackMs) << "sample " << i;
    }
    // Full jitter spreads the waits over [0, delay]: with 10 uniform samples, all of them
    // in the top third has probability (1/3)^10 < 2e-5; a fixed delay always is.
    EXPECT_LT(*std::min_element(waits.begin(), waits.end()), kRetryJitterDelayMs * 2 / 3);
}

// Wippy's form: a fraction. Each wait is 200ms x (1 +- 0.5): within [100, 300] ms, and
// spread over it (ten waits all within 20ms of one value would mean no jitter).
TEST(Retry, AJitterFractionSpreadsTheWaitAroundTheDelay) {
    constexpr double kDelayMs = 200, kSlackMs = 120;
    auto rt = load(kRetryRegistry);
    std::vector<double> waits;
    for (int i = 0; i < 10; ++i) {
        const std::string key = "fraction" + std::to_string(i);
        auto start = Clock::now();
        CallResult r = rt->call("t:fraction_jitter", array_of({str(key), Value::integer(1)}));
        waits.push_back(ms_since(start));
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_GE(waits.back(), kDelayMs / 2 - 1) << "sample " << i;
        EXPECT_LT(waits.back(), kDelayMs * 3 / 2 + kSlackMs) << "sample " << i;
    }
    auto [lo, hi] = std::minmax_element(waits.begin(), waits.end());
    EXPECT_GT(*hi - *lo, 20);
}

TEST(Retry, RetryKindsRetryThoseKindsWhateverTheirFlag) {
    auto rt = load(kRetryRegistry);
    CallResult r = rt->call("t:hard_listed", array_of({str("listed")}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    IT_EXPECT_CONTAINS(r.error->message, "gave up after 3 attempts");
    EXPECT_EQ(calls(*rt, "listed"), 3);

    // A retryable kind the list leaves out surfaces at once.
    r = rt->call("t:flaky_not_listed", array_of({str("unlisted"), Value::integer(1)}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->message, "flaky failure #1");
    EXPECT_EQ(calls(*rt, "unlisted"), 1);
}

TEST(Retry, SkipKindsAreNeverRetried) {
    auto rt = load(kRetryRegistry);
    CallResult r = rt->call("t:flaky_skipped", array_of({str("skipped"), Value::integer(1)}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_UNAVAILABLE);
    EXPECT_EQ(r.error->message, "flaky failure #1");
    EXPECT_EQ(calls(*rt, "skipped"), 1);
}

TEST(Retry, CancellationDuringBackoffEndsTheWaitAtOnce) {
    auto rt = load(kRetryRegistry);
    modrt::kernel::CallOptions options;
    options.canceler = std::make_shared<modrt::kernel::CallCanceler>();
    std::thread canceler([c = options.canceler] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        c->cancel();
    });
    auto start = Clock::now();
    CallResult r = rt->call("t:slow_backoff", array_of({str("cancel"), Value::integer(100)}), options);
    double ms = ms_since(start);
    canceler.join();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_CANCELED);
    IT_EXPECT_CONTAINS(r.error->message, "while waiting to retry after 1 attempt");
    EXPECT_GE(ms, 90);
    EXPECT_LT(ms, 5000);  // the backoff is 10s
    EXPECT_EQ(calls(*rt, "cancel"), 1);
}

TEST(Retry, ADeadlineTooCloseForTheNextAttemptEndsTheCall) {
    auto rt = load(kRetryRegistry);
    modrt::kernel::CallOptions options;
    options.timeout = std::chrono::milliseconds(500);
    auto start = Clock::now();
    CallResult r = rt->call("t:slow_backoff", array_of({str("deadline"), Value::integer(100)}), options);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT);
    IT_EXPECT_CONTAINS(r.error->message, "after 1 attempt");
    EXPECT_LT(ms_since(start), 5000);
}

TEST(Retry, BadOptionsAreRegistryErrorsWithTheirLine) {
    std::string errors = load_errors(R"(
version: "1.0"
namespace: t
entries:
  - name: a
    kind: function.native
    source: file://@LIB@
    method: echo
    meta:
      options:
        retry:
          max_attempts: 0
  - name: b
    kind: function.native
    source: file://@LIB@
    method: echo
    meta:
      options:
        retry: {initial_delay: "soon"}
  - name: c
    kind: function.native
    source: file://@LIB@
    method: echo
    meta:
      options:
        retry: {attempts: 3}
  - name: d
    kind: function.native
    source: file://@LIB@
    method: echo
    meta:
      options:
        retry: {jitter: 2}
  - name: e
    kind: function.native
    source: file://@LIB@
    method: echo
    meta:
      options:
        retry: {retry_kinds: [Unavailable, Sometimes]}
  - name: f
    kind: function.native
    source: file://@LIB@
    method: echo
    meta:
      options:
        retry: {skip_kinds: Invalid}
)");
    IT_EXPECT_CONTAINS(errors, "entry 't:a': max_attempts: expected a whole number from 1 to 1000");
    IT_EXPECT_CONTAINS(errors, "entry 't:b': initial_delay: expected a duration");
    IT_EXPECT_CONTAINS(errors, "entry 't:c': attempts: interceptor.retry has no option 'attempts'");
    IT_EXPECT_CONTAINS(errors, "entry 't:d': jitter: expected a number from 0");
    IT_EXPECT_CONTAINS(errors, "entry 't:e': retry_kinds: unknown error kind at position 2");
    IT_EXPECT_CONTAINS(errors, "entry 't:f': skip_kinds: expected a list of error kinds");
}
