// function.lua: the time module (Wippy's lua/core/time.md) through the real plugin. Every
// Lua example of the page runs (fixtures/time/docs.lua), then the module's behaviour:
// sleeps that a deadline or a cancellation ends, select over a future and time.after,
// tickers, stopped timers, Go's layout and duration rules, and no thread left behind.
#include "lua_test_util.hpp"
#include "support/bounded_run.hpp"
#include "support/sanitizer.hpp"
#include "support/thread_count.hpp"

#include <chrono>
#include <cstdlib>
#include <optional>
#include <regex>
#include <thread>

namespace {

/// Multiplies the milliseconds of slack that timing checks allow (tests/support/sanitizer.hpp).
constexpr double kLuaTimeSlack = modrt::test::kTimeScale;

using namespace lua_test;
using modrt::kernel::CallOptions;
using std::chrono::milliseconds;

struct LuaTimeFixture {
    static constexpr std::string_view dirs[] = {"time"};
};

class LuaTime : public SharedRuntime<LuaTimeFixture> {
protected:
    static void SetUpTestSuite() {
        // The local zone is read from $TZ: a fixed one keeps "Local" results the same on every
        // machine. Set before the runtime starts a thread; restored once it is gone.
        if (const char* tz = std::getenv("TZ")) saved_tz_ = tz;
        setenv("TZ", "Etc/UTC", 1);
        SharedRuntime<LuaTimeFixture>::SetUpTestSuite();
    }
    static void TearDownTestSuite() {
        SharedRuntime<LuaTimeFixture>::TearDownTestSuite();
        if (saved_tz_) {
            setenv("TZ", saved_tz_->c_str(), 1);
        } else {
            unsetenv("TZ");
        }
    }
    static inline std::optional<std::string> saved_tz_;
    static CallOptions timeout(milliseconds t) {
        CallOptions o;
        o.timeout = t;
        return o;
    }
    /// Options that bound a call (a hang in the module ends as TIMEOUT instead of stalling the suite).
    static CallOptions bounded() { return timeout(std::chrono::seconds(20)); }
    /// A call that must succeed; its result.
    static Value ok(std::string_view id, const Value& a = Value::array(), const CallOptions& o = bounded()) {
        auto r = call(id, a, o);
        EXPECT_TRUE(r.ok()) << id << ": " << (r.error ? r.error->message : "");
        return r.ok() ? r.value : Value();
    }
    static double num(const Value& v) {
        if (v.type == MODRT_INT) return static_cast<double>(v.scalar.i);
        if (v.type == MODRT_NUMBER) return v.scalar.n;
        ADD_FAILURE() << "not a number: " << json(v);
        return 0;
    }
    static Value integer(int64_t i) { return Value::integer(i); }
    static milliseconds since(std::chrono::steady_clock::time_point start) {
        return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start);
    }
    static bool matches(const Value& v, const char* pattern) { return std::regex_match(v.str, std::regex(pattern)); }
    /// Wait up to 3 s for `done()`.
    template <class F>
    static bool eventually_true(F done) {
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        while (std::chrono::steady_clock::now() < until) {
            if (done()) return true;
            std::this_thread::sleep_for(milliseconds(5));
        }
        return done();
    }
};

// -- time.md, example by example --

TEST_F(LuaTime, DocsNow) {
    Value v = ok("test.time:docs_now");
    EXPECT_TRUE(matches(at(v, "rfc3339"), R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")) << json(v);
    EXPECT_GE(num(at(v, "elapsed_ms")), 20);  // do_work sleeps 20ms
    EXPECT_LT(num(at(v, "elapsed_ms")), 1000 * kLuaTimeSlack);
}

TEST_F(LuaTime, DocsCreateFromComponents) {
    EXPECT_EQ(json(ok("test.time:docs_date")),
              R"({"default_location":"Local","meeting":"2024-01-15T14:00:00-05:00","utc":"2024-12-25T10:30:00Z"})");
}

TEST_F(LuaTime, DocsCreateFromUnixTimestamp) {
    EXPECT_EQ(json(ok("test.time:docs_unix")),
              R"({"js":"2023-12-29T15:04:05Z","nanos":500000000,"seconds":"2023-12-29T15:04:05Z"})");
}

TEST_F(LuaTime, DocsParseFromString) {
    Value v = ok("test.time:docs_parse");
    EXPECT_EQ(at(v, "rfc"), str("2024-12-29T15:04:05Z"));
    EXPECT_EQ(at(v, "day"), str("2024-12-29 00:00:00"));
    EXPECT_EQ(at(v, "clock"), str("0000-01-01 14:30:00"));  // Go: no date parsed is year 0
    // "EST" is no abbreviation of the default (local, UTC here) zone: offset 0, named EST (Go's rule).
    EXPECT_EQ(at(v, "abbrev"), str("2024-12-29T14:30:00Z EST"));
    EXPECT_EQ(at(v, "in_ny"), str("2024-12-29T14:30:00-05:00"));
}

TEST_F(LuaTime, DocsArithmetic) {
    EXPECT_EQ(json(ok("test.time:docs_arithmetic")),
              R"({"future_minutes":90,"hours":24,"last_week_days":7,"later_minutes":5,"next_month_after":true,)"
              R"("next_year":1})");
}

TEST_F(LuaTime, DocsComparison) {
    EXPECT_EQ(json(ok("test.time:docs_comparison")), R"({"after":true,"before":true,"equal":true})");
}

TEST_F(LuaTime, DocsFormatting) {
    Value v = ok("test.time:docs_formatting");
    EXPECT_TRUE(matches(at(v, "rfc3339"), R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")) << json(v);
    EXPECT_TRUE(matches(at(v, "date_only"), R"(\d{4}-\d\d-\d\d)")) << json(v);
    EXPECT_TRUE(matches(at(v, "time_only"), R"(\d\d:\d\d:\d\d)")) << json(v);
    EXPECT_TRUE(matches(at(v, "custom"), R"((Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d{1,2}, \d{4})")) << json(v);
    // The page's comments, for its own instant.
    EXPECT_EQ(json(ok("test.time:docs_formatting_reference")),
              R"(["2024-12-29T15:04:05Z","2024-12-29","15:04:05","Sun Dec 29, 2024"])");
}

TEST_F(LuaTime, DocsUnixTimestamps) {
    auto wall = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    Value v = ok("test.time:docs_unix_timestamps");
    EXPECT_NEAR(num(at(v, "unix")), static_cast<double>(wall.count()), 5);
    EXPECT_NEAR(num(at(v, "unix_nano")) / 1e9, num(at(v, "unix")), 1.0);
}

TEST_F(LuaTime, DocsComponents) {
    Value v = ok("test.time:docs_components");
    for (auto [a, b] : {std::pair{"year", "a_year"}, {"month", "a_month"}, {"day", "a_day"}, {"hour", "a_hour"}}) {
        EXPECT_EQ(num(at(v, a)), num(at(v, b))) << a;
    }
    EXPECT_GE(num(at(v, "year")), 2024);
    EXPECT_GE(num(at(v, "month")), 1);
    EXPECT_LE(num(at(v, "month")), 12);
    EXPECT_LE(num(at(v, "min")), 59);
    EXPECT_LE(num(at(v, "sec")), 59);
    EXPECT_LT(num(at(v, "nanosecond")), 1e9);
    EXPECT_LE(num(at(v, "weekday")), 6);
    EXPECT_GE(num(at(v, "year_day")), 1);
    EXPECT_LE(num(at(v, "year_day")), 366);
    EXPECT_EQ(at(v, "is_zero"), Value::boolean(false));
}

TEST_F(LuaTime, DocsTimeZoneConversion) {
    EXPECT_EQ(json(ok("test.time:docs_zone_conversion")),
              R"({"in_local":"Local","in_location":"America/New_York","location":"Local","name":"Local","utc":"UTC"})");
}

TEST_F(LuaTime, DocsRounding) {
    EXPECT_EQ(json(ok("test.time:docs_rounding")),
              R"({"round_number":false,"rounded_minute":0,"rounded_second":0,"truncated_minute":0,)"
              R"("truncated_not_after":true})");
}

TEST_F(LuaTime, DocsCreateADuration) {
    EXPECT_EQ(json(ok("test.time:docs_durations")), R"([5445,500,"2h30m45.5s",1,5])");
}

TEST_F(LuaTime, DocsDurationMethods) {
    Value v = ok("test.time:docs_duration_methods");
    ASSERT_EQ(v.size(), 6u) << json(v);
    EXPECT_NEAR(num(v.items[0]), 5445.5 / 3600, 1e-12);
    EXPECT_NEAR(num(v.items[1]), 5445.5 / 60, 1e-10);
    EXPECT_EQ(num(v.items[2]), 5445.5);
    EXPECT_EQ(num(v.items[3]), 5445500);
    EXPECT_EQ(num(v.items[4]), 5445500000);
    EXPECT_EQ(num(v.items[5]), 5445500000000);
}

TEST_F(LuaTime, DocsNamedLocations) {
    EXPECT_EQ(json(ok("test.time:docs_named_locations")),
              R"({"london":"13:00:00","names":"America/New_York,Asia/Tokyo","new_york":"08:00:00",)"
              R"("tokyo":"21:00:00","utc":"12:00:00"})");
}

TEST_F(LuaTime, DocsFixedOffsetLocations) {
    EXPECT_EQ(json(ok("test.time:docs_fixed_zones")),
              R"(["2024-01-15T12:00:00+05:30","Sun, 14 Jan 2024 22:30:00 PST","2024-01-15T06:30:00Z"])");
}

TEST_F(LuaTime, DocsBuiltInLocations) { EXPECT_EQ(json(ok("test.time:docs_builtin_locations")), R"(["UTC","Local"])"); }

TEST_F(LuaTime, DocsSleepAndBackoff) {
    Value v = ok("test.time:docs_sleep");
    EXPECT_EQ(at(v, "attempts"), integer(2));
    EXPECT_GE(num(at(v, "elapsed_ms")), 50 + 500 + 1000);  // "50ms", 500 * MILLISECOND, then "1s" of backoff
    EXPECT_LT(num(at(v, "elapsed_ms")), 3000 * kLuaTimeSlack);
}

TEST_F(LuaTime, DocsAfterGetsTheResponseBeforeTheTimeout) {
    Value v = ok("test.time:docs_after", args({integer(10)}));
    EXPECT_GE(num(at(v, "waited_ms")), 50);
    EXPECT_EQ(at(v, "response"), integer(10));
}

TEST_F(LuaTime, DocsAfterTimesOutASlowRequest) {
    auto start = std::chrono::steady_clock::now();
    auto r = call("test.time:docs_after", args({integer(5000)}), bounded());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT);
    EXPECT_EQ(r.error->message, "Request timed out");
    EXPECT_LT(since(start), milliseconds(2000));  // the slow request ends with its caller
}

TEST_F(LuaTime, DocsTimerWaitsResetsAndStops) {
    Value v = ok("test.time:docs_timer", args({integer(120)}));
    EXPECT_GE(num(at(v, "reminded_ms")), 50);
    EXPECT_EQ(at(v, "activities"), integer(1));            // the activity at 120ms reset the idle timer...
    EXPECT_EQ(at(v, "logged_out"), Value::boolean(true));  // ...which fired 200ms later
    EXPECT_GE(num(at(v, "total_ms")), 310);
    EXPECT_LT(num(at(v, "total_ms")), 2000 * kLuaTimeSlack);
    EXPECT_EQ(at(v, "stopped"), Value::boolean(false));  // it had fired
}

TEST_F(LuaTime, DocsTickerLoop) {
    EXPECT_EQ(json(ok("test.time:docs_ticker_loop", args({integer(3)}))), R"({"ok":false,"ticks":3})");
}

TEST_F(LuaTime, DocsTickerRateLimiting) {
    Value v = ok("test.time:docs_ticker_rate", args({args({str("a"), str("b"), str("c")})}));
    EXPECT_EQ(json(at(v, "processed")), R"(["a","b","c"])");
    EXPECT_GE(num(at(v, "elapsed_ms")), 295);  // one item per 100ms tick
    EXPECT_LT(num(at(v, "elapsed_ms")), 1500 * kLuaTimeSlack);
}

TEST_F(LuaTime, DocsDurationUnits) {
    EXPECT_EQ(json(ok("test.time:docs_constants")),
              R"([1,1000,1000000,1000000000,60000000000,3600000000000,"userdata"])");
}

TEST_F(LuaTime, DocsFormatLayoutsMonthsWeekdays) {
    EXPECT_EQ(json(ok("test.time:docs_layout_constants")),
              R"({"layouts":["2006-01-02T15:04:05Z07:00","2006-01-02T15:04:05.999999999Z07:00","02 Jan 06 15:04 MST",)"
              R"("02 Jan 06 15:04 -0700","Monday, 02-Jan-06 15:04:05 MST","Mon, 02 Jan 2006 15:04:05 MST",)"
              R"("Mon, 02 Jan 2006 15:04:05 -0700","2006-01-02 15:04:05","2006-01-02","15:04:05","3:04PM",)"
              R"("Jan _2 15:04:05","Jan _2 15:04:05.000","Jan _2 15:04:05.000000","Jan _2 15:04:05.000000000"],)"
              R"("months":[1,2,3,4,5,6,7,8,9,10,11,12],"weekdays":[0,1,2,3,4,5,6]})");
}

TEST_F(LuaTime, DocsErrors) {
    auto parse = call("test.time:docs_errors_parse", Value::array(), bounded());
    ASSERT_FALSE(parse.ok());
    EXPECT_EQ(parse.error->kind, MODRT_ERR_INVALID);
    EXPECT_EQ(parse.error->message,
              R"(parsing time "invalid" as "2006-01-02T15:04:05Z07:00": cannot parse "invalid" as "2006")");
    auto location = call("test.time:docs_errors_location", Value::array(), bounded());
    ASSERT_FALSE(location.ok());
    EXPECT_EQ(location.error->kind, MODRT_ERR_NOT_FOUND);
    EXPECT_EQ(location.error->message, "unknown time zone Unknown/Zone");
}

// -- sleeps a deadline or a cancellation ends --

TEST_F(LuaTime, SleepEndsAtTheCallersDeadline) {
    auto start = std::chrono::steady_clock::now();
    auto r = call("test.time:sleep", args({str("5s")}), timeout(milliseconds(150)));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT) << r.error->message;
    EXPECT_GE(since(start), milliseconds(140));
    EXPECT_LT(since(start), milliseconds(1500));
}

TEST_F(LuaTime, SleepEndsWhenTheCallIsCanceled) {
    CallOptions o;
    o.canceler = std::make_shared<modrt::kernel::CallCanceler>();
    auto start = std::chrono::steady_clock::now();
    auto canceler = std::thread([c = o.canceler] {
        std::this_thread::sleep_for(milliseconds(100));
        c->cancel();
    });
    auto r = modrt::test::run_within([&] { return call("test.time:sleep", args({str("5s")}), o); }, milliseconds(4000));
    canceler.join();
    ASSERT_TRUE(r.has_value()) << "the sleep was not interrupted";
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error->kind, MODRT_ERR_CANCELED) << r->error->message;
    EXPECT_LT(since(start), milliseconds(1500));
}

TEST_F(LuaTime, SleepOfACanceledFutureEndsAtOnce) {
    Value v = ok("test.time:cancel_sleeper");
    EXPECT_EQ(at(v, "was_running"), Value::boolean(true));
    EXPECT_EQ(at(v, "kind"), str("Canceled"));
    EXPECT_LT(num(at(v, "settled_ms")), 500 * kLuaTimeSlack);
}

TEST_F(LuaTime, PcallCannotSwallowAnInterruptedSleep) {
    auto start = std::chrono::steady_clock::now();
    auto r = call("test.time:sleep_pcall", args({str("5s")}), timeout(milliseconds(150)));
    ASSERT_FALSE(r.ok()) << json(r.value);
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT) << r.error->message;
    EXPECT_LT(since(start), milliseconds(1500));
}

TEST_F(LuaTime, ShortAndNonPositiveSleepsReturn) {
    EXPECT_EQ(ok("test.time:sleep", args({str("1ms")}), CallOptions{}), str("slept"));  // a call nothing can stop
    EXPECT_EQ(ok("test.time:sleep", args({integer(0)})), str("slept"));
    EXPECT_EQ(ok("test.time:sleep", args({str("-1s")})), str("slept"));
}

// -- select over a future and time.after --

TEST_F(LuaTime, SelectPicksTheTimeoutWhenTheFutureIsSlow) {
    auto start = std::chrono::steady_clock::now();
    Value v = ok("test.time:select_future", args({integer(5000), str("100ms")}));
    EXPECT_EQ(at(v, "winner"), str("timeout"));
    EXPECT_EQ(at(v, "tick_is_time"), Value::boolean(true));
    EXPECT_GE(num(at(v, "ms")), 95);
    EXPECT_LT(num(at(v, "ms")), 1000 * kLuaTimeSlack);
    EXPECT_LT(since(start), milliseconds(1500));  // and the slow callee ended with it
}

TEST_F(LuaTime, SelectPicksTheFutureWhenItIsFast) {
    Value v = ok("test.time:select_future", args({integer(10), str("2s")}));
    EXPECT_EQ(at(v, "winner"), str("future"));
    EXPECT_EQ(at(v, "value"), integer(10));
    EXPECT_LT(num(at(v, "ms")), 1000 * kLuaTimeSlack);
}

// -- tickers and timers --

TEST_F(LuaTime, TickersTickAtTheInterval) {
    Value v = ok("test.time:ticks", args({str("50ms"), integer(4)}));
    const Value& arrived = at(v, "arrived");
    const Value& carried = at(v, "carried");
    ASSERT_EQ(arrived.size(), 4u) << json(v);
    for (size_t i = 0; i < 4; ++i) {
        double due = 50.0 * static_cast<double>(i + 1);
        // Slack for a loaded CI machine and sanitizer builds (valgrind was 5 ms off).
        EXPECT_GE(num(arrived.items[i]), due - 1) << json(v);
        EXPECT_LT(num(arrived.items[i]), due + 40 * kLuaTimeSlack) << json(v);
        EXPECT_NEAR(num(carried.items[i]), due, 15 * kLuaTimeSlack) << json(v);  // the tick's Time: when it was due
    }
    EXPECT_EQ(at(v, "stopped"), Value::boolean(true));
    EXPECT_EQ(at(v, "stopped_again"), Value::boolean(false));
}

TEST_F(LuaTime, ASlowReceiverGetsTheEarliestMissedTickThenTheNextOneDue) {
    Value v = ok("test.time:slow_ticker");
    EXPECT_NEAR(num(at(v, "first")), 40, 15 * kLuaTimeSlack) << json(v);
    EXPECT_NEAR(num(at(v, "second")), 160, 15 * kLuaTimeSlack) << json(v);
    EXPECT_GE(num(at(v, "second_arrived")), 145) << json(v);
}

TEST_F(LuaTime, TimersStopResetAndDrain) {
    Value v = ok("test.time:timer_states");
    EXPECT_EQ(at(v, "stop_before"), Value::boolean(true));
    EXPECT_EQ(at(v, "stop_again"), Value::boolean(false));
    EXPECT_EQ(at(v, "stopped_default"), Value::boolean(true));
    EXPECT_EQ(at(v, "stopped_receive"), str("Invalid"));  // a stopped timer alone: nothing can arrive
    EXPECT_EQ(at(v, "reset_stopped"), Value::boolean(false));
    EXPECT_GE(num(at(v, "reset_fired_ms")), 15);
    EXPECT_LT(num(at(v, "reset_fired_ms")), 500 * kLuaTimeSlack);
    EXPECT_EQ(at(v, "reset_value_ok"), Value::boolean(true));
    EXPECT_EQ(at(v, "stop_after_fire"), Value::boolean(false));
    EXPECT_EQ(at(v, "stop_due_unreceived"), Value::boolean(true));
    EXPECT_EQ(at(v, "same_channel"), Value::boolean(true));
    EXPECT_EQ(at(v, "after_again"), str("Invalid"));
    EXPECT_NE(at(v, "after_again_message").str.find("nothing more can arrive"), std::string::npos) << json(v);
    EXPECT_EQ(at(v, "after_zero"), Value::boolean(true));
    EXPECT_EQ(json(at(v, "closed")), R"({"ok":false,"value_nil":true})");
    EXPECT_NE(at(v, "send").str.find("nothing can be sent"), std::string::npos) << json(v);
}

TEST_F(LuaTime, BadArgumentsAreInvalidOrNotFound) {
    Value v = ok("test.time:bad_arguments");
    auto expect = [&](const char* key, const char* kind, const char* message) {
        const Value& e = at(v, key);
        EXPECT_EQ(at(e, "kind"), str(kind)) << key << ": " << json(e);
        EXPECT_EQ(at(e, "message"), str(message)) << key;
    };
    expect("timer_zero", "Invalid", "time.timer: the duration must be greater than 0");
    expect("ticker_negative", "Invalid", "time.ticker: the duration must be greater than 0");
    expect("timer_bad", "Invalid", R"(time.timer: time: invalid duration "soon")");
    expect(
        "after_bad", "Invalid",
        R"(time.after: duration expected (a Duration, a string such as "1h30m" or a number of nanoseconds), got table)");
    expect("reset_zero", "Invalid", "timer:reset: the duration must be greater than 0");
    expect("duration_unit", "Invalid", R"(time: unknown unit "d" in duration "1d")");
    expect("duration_bad", "Invalid", R"(time: invalid duration "abc")");
    expect("duration_missing_unit", "Invalid", R"(time: missing unit in duration "1")");
    expect("duration_nan", "Invalid", "duration out of range");
    expect("location_empty", "Invalid", "time: empty location name");
    expect("location_dotdot", "Invalid", "time: invalid location name");
    expect("location_absolute", "Invalid", "time: invalid location name");
    expect("location_unknown", "NotFound", "unknown time zone Unknown/Zone");
    expect("sleep_bad", "Invalid", R"(time.sleep: time: invalid duration "forever")");
    // Layouts, values and duration strings are capped (input_limits.hpp).
    expect("parse_long", "Invalid", "time.parse: layout or value too long (at most 4096 bytes)");
    expect("duration_long", "Invalid", "duration string too long (at most 4096 bytes)");
    EXPECT_NE(at(v, "format_long").str.find("layout too long"), std::string::npos) << json(v);
}

TEST_F(LuaTime, GoLayoutsDurationsAndCalendarRules) {
    Value v = ok("test.time:go_rules");
    auto expect = [&](const char* key, const char* want) { EXPECT_EQ(at(v, key), str(want)) << key; };
    expect("rfc1123", "Tue, 10 Nov 2009 23:00:00 UTC");
    expect("rfc1123z", "Tue, 10 Nov 2009 23:00:00 +0000");
    expect("rfc822z", "10 Nov 09 23:00 +0000");
    expect("rfc850", "Tuesday, 10-Nov-09 23:00:00 UTC");
    expect("kitchen", "11:00PM");
    expect("stamp_milli", "Nov 10 23:00:00.000");
    expect("stamp", "Nov  5 23:00:00");
    expect("nano", "2009-11-10T23:00:00.123456789Z");
    expect("nano_trimmed", "2009-11-10T23:00:00.12Z");
    expect("frac_fixed", "00.120000");
    expect("tostring", "2009-11-10 23:00:00 +0000 UTC");
    expect("tostring_ny", "2024-07-04 08:00:00.000000005 -0400 EDT");
    expect("ist", "2024-01-15T12:00:00+05:30");
    expect("year_day_format", " 40 040  9 Friday February am 01");
    expect("ny_summer", "2024-07-04 08:00 EDT -0400");
    expect("ny_winter", "2024-01-04 07:00 EST -05:00");
    expect("ny_2100", "EDT -0400 EST -0500");
    expect("sydney_2100", "AEDT +1100 AEST +1000");
    expect("normalised", "2024-02-01 02:01:00");
    expect("add_date", "2024-03-02");
    EXPECT_EQ(at(v, "year_day"), integer(366));
    EXPECT_EQ(at(v, "weekday"), integer(0));
    expect("round_up", "11:00:00");
    expect("round_down", "10:00:00");
    expect("truncate", "10:30:00");
    expect("week_round", "2024-01-01");  // weeks since the zero time start on Mondays
    EXPECT_EQ(at(v, "zero"), Value::boolean(true));
    EXPECT_EQ(at(v, "unix_nano"), integer(1000000005));
    expect("unix_negative_nsec", "09.999999999");
    EXPECT_EQ(at(v, "equal_across_zones"), Value::boolean(true));
    EXPECT_EQ(at(v, "sub_across_zones"), integer(0));
    EXPECT_EQ(json(at(v, "durations")),
              R"(["1h30m45.5s","500ms","1.5µs","0s","-1h30m0s","2h0m0s","1µs","500ms","3m0.000000001s"])");
    expect("parse_offset", "2024-12-29T15:04:05+05:30 ");  // a fixed zone without a name, as Go's
    expect("parse_fraction", "2024-12-29T15:04:05.123Z UTC");
    expect("parse_est_ny", "2024-12-29T14:30:00-05:00 America/New_York");
    expect("parse_edt_ny", "2024-07-04T14:30:00-04:00 America/New_York");
    expect("parse_kitchen", "0000-01-01T15:04:00Z UTC");
    expect("parse_rfc1123", "2009-11-10T23:00:00Z UTC");
    expect("parse_month_name", "2024-03-05T00:00:00Z UTC");
    expect("parse_year_day", "2024-02-29T00:00:00Z UTC");
    expect("parse_invalid",
           R"(Invalid: parsing time "invalid" as "2006-01-02T15:04:05Z07:00": cannot parse "invalid" as "2006")");
    expect("parse_day_range", R"(Invalid: parsing time "2024-02-30": day out of range)");
    expect("parse_month_range", R"(Invalid: parsing time "2024-13-01": month out of range)");
    expect("parse_extra", R"(Invalid: parsing time "2024-12-29x": extra text: "x")");
    expect("parse_short", R"(Invalid: parsing time "2024-12" as "2006-01-02": cannot parse "" as "-")");
}

// -- what a call leaves behind --

TEST_F(LuaTime, TimersLeaveNoThreadBehind) {
    EXPECT_EQ(ok("test.time:many_timers", args({integer(50)})), integer(50));  // warm: pools started
    const size_t before = modrt::test::thread_count();
    for (int i = 0; i < 5; ++i) EXPECT_EQ(ok("test.time:many_timers", args({integer(50)})), integer(50));
    EXPECT_EQ(ok("test.time:select_future", args({integer(5000), str("20ms")})).find("winner")->str, "timeout");
    EXPECT_TRUE(eventually_true([&] { return modrt::test::thread_count() <= before; }))
        << modrt::test::thread_count() << " threads, " << before << " before";
}

// -- declaring modules --

TEST_F(LuaTime, DeclaredButUnusedModulesLoadAndRun) {
    // A registry of one entry that lists time and five other modules and requires none of them.
    auto rt = make_runtime();
    auto errors = rt->load(fixture("time/unused"));
    for (const auto& e : errors) ADD_FAILURE() << e.format();
    auto r = rt->call("test.time_unused:run", Value::array());
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, str("ran"));
    EXPECT_EQ(ok("test.time:unused"), str("ran"));  // and the same in the suite's registry
}

TEST_F(LuaTime, TimeIsAKnownModuleName) {
    auto rt = make_runtime();
    auto errors = rt->load(fixture("bad_modules"));
    ASSERT_FALSE(errors.empty());
    EXPECT_NE(errors.front().format().find("time"), std::string::npos) << errors.front().format();
}

}  // namespace
