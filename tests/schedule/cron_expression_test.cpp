// trigger.schedule: CronExpression parsing (accepted syntax, error texts naming the field) and
// next_after (known next times, cross-checked against a minute-by-minute brute force).
#include "cron_expression.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>

using modrt::schedule::CronError;
using modrt::schedule::CronExpression;
namespace chr = std::chrono;

namespace {

// "2024-05-03 17:00" or "2024-05-03 17:00:30", UTC.
chr::sys_seconds at(const std::string& text) {
    int y = 0, h = 0, mi = 0, s = 0;
    unsigned mo = 0, d = 0;
    const int n = std::sscanf(text.c_str(), "%d-%u-%u %d:%d:%d", &y, &mo, &d, &h, &mi, &s);
    EXPECT_GE(n, 5) << text;
    const chr::year_month_day date{chr::year{y}, chr::month{mo}, chr::day{d}};
    EXPECT_TRUE(date.ok()) << text;
    return chr::sys_days{date} + chr::hours{h} + chr::minutes{mi} + chr::seconds{s};
}

// Seconds are always shown, so a result with seconds != 0 cannot pass for a whole minute.
std::string show(std::optional<chr::sys_seconds> t) {
    if (!t) return "none";
    const auto day = chr::floor<chr::days>(*t);
    const chr::year_month_day date{day};
    const chr::hh_mm_ss time{*t - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return buf;
}

std::string next(const std::string& expr, const std::string& after) {
    return show(CronExpression::parse(expr).next_after(at(after)));
}

}  // namespace

// ---- next_after: known next times ----

TEST(CronNext, EveryMinute) {
    EXPECT_EQ(next("* * * * *", "2024-05-03 17:00:30"), "2024-05-03 17:01:00");
    EXPECT_EQ(next("* * * * *", "2024-05-03 17:59"), "2024-05-03 18:00:00");
}

TEST(CronNext, StrictlyAfterAMatch) {
    EXPECT_EQ(next("* * * * *", "2024-05-03 17:00"), "2024-05-03 17:01:00");
    EXPECT_EQ(next("*/15 * * * *", "2024-05-03 10:15"), "2024-05-03 10:30:00");
    EXPECT_EQ(next("0 9 * * *", "2024-05-03 09:00"), "2024-05-04 09:00:00");
}

TEST(CronNext, SecondsAreDropped) {
    EXPECT_EQ(next("* * * * *", "2024-05-03 10:00:59"), "2024-05-03 10:01:00");
    EXPECT_EQ(next("*/15 * * * *", "2024-05-03 10:14:59"), "2024-05-03 10:15:00");
    // A match minute with seconds past it is already over.
    EXPECT_EQ(next("*/15 * * * *", "2024-05-03 10:15:01"), "2024-05-03 10:30:00");
}

TEST(CronNext, EveryQuarterHour) {
    EXPECT_EQ(next("*/15 * * * *", "2024-05-03 10:07"), "2024-05-03 10:15:00");
    EXPECT_EQ(next("*/15 * * * *", "2024-05-03 10:50"), "2024-05-03 11:00:00");
    EXPECT_EQ(next("*/15 * * * *", "2024-05-03 23:45"), "2024-05-04 00:00:00");
}

TEST(CronNext, WeekdaysCrossTheWeekend) {
    // 2024-05-03 is a Friday.
    EXPECT_EQ(next("0 9 * * mon-fri", "2024-05-03 08:59"), "2024-05-03 09:00:00");
    EXPECT_EQ(next("0 9 * * mon-fri", "2024-05-03 17:00"), "2024-05-06 09:00:00");
    EXPECT_EQ(next("0 9 * * 1-5", "2024-05-04 12:00"), "2024-05-06 09:00:00");
}

TEST(CronNext, FirstOfTheMonthCrossesMonthEnds) {
    EXPECT_EQ(next("30 2 1 * *", "2024-01-31 12:00"), "2024-02-01 02:30:00");
    EXPECT_EQ(next("30 2 1 * *", "2024-02-01 02:30"), "2024-03-01 02:30:00");
    EXPECT_EQ(next("30 2 1 * *", "2024-04-30 23:59"), "2024-05-01 02:30:00");
    EXPECT_EQ(next("30 2 1 * *", "2023-12-15 00:00"), "2024-01-01 02:30:00");
}

TEST(CronNext, LeapDayFindsTheNextLeapYear) {
    EXPECT_EQ(next("0 0 29 2 *", "2023-06-01 00:00"), "2024-02-29 00:00:00");
    EXPECT_EQ(next("0 0 29 2 *", "2024-02-29 00:00"), "2028-02-29 00:00:00");
    // 2100 is not a leap year: eight years to wait.
    EXPECT_EQ(next("0 0 29 2 *", "2096-03-01 00:00"), "2104-02-29 00:00:00");
}

TEST(CronNext, DayOfMonthOrDayOfWeekWhenBothRestricted) {
    // "13th or any Friday". 2024-05-13 is a Monday, 2024-05-17 a Friday.
    EXPECT_EQ(next("0 0 13 * fri", "2024-05-11 00:00"), "2024-05-13 00:00:00");
    EXPECT_EQ(next("0 0 13 * fri", "2024-05-13 00:00"), "2024-05-17 00:00:00");
    EXPECT_EQ(next("0 0 13 * 5", "2024-05-13 00:00"), "2024-05-17 00:00:00");
}

TEST(CronNext, DayOfMonthAndDayOfWeekWhenOneStartsWithStar) {
    // Only Fridays: day-of-month is "*".
    EXPECT_EQ(next("0 0 * * fri", "2024-05-11 00:00"), "2024-05-17 00:00:00");
    // Only the 13th: day-of-week is "*".
    EXPECT_EQ(next("0 0 13 * *", "2024-05-14 00:00"), "2024-06-13 00:00:00");
    // "*/10" still counts as unrestricted (Vixie looks at the '*'): Fridays that are the
    // 1st, 11th, 21st or 31st. 2024-10-11 and 2024-11-01 are Fridays.
    EXPECT_EQ(next("0 0 */10 * fri", "2024-09-01 00:00"), "2024-10-11 00:00:00");
    EXPECT_EQ(next("0 0 */10 * fri", "2024-10-11 00:00"), "2024-11-01 00:00:00");
    // Likewise "*/7" in day-of-week (Sundays only) ANDs with the 29th of February: 2032.
    EXPECT_EQ(next("0 0 29 2 */7", "2024-03-01 00:00"), "2032-02-29 00:00:00");
}

TEST(CronNext, SevenIsSunday) {
    // 2024-07-03 is a Wednesday, 2024-07-07 a Sunday.
    for (const char* expr : {"0 12 * * 7", "0 12 * * 0", "0 12 * * sun", "0 12 * * SUN", "0 12 * * 6-7"}) {
        SCOPED_TRACE(expr);
        EXPECT_EQ(next(expr, "2024-07-03 00:00"),
                  expr == std::string("0 12 * * 6-7") ? "2024-07-06 12:00:00" : "2024-07-07 12:00:00");
    }
    EXPECT_EQ(next("0 12 * * 0,7", "2024-07-07 12:00"), "2024-07-14 12:00:00");
}

TEST(CronNext, NamesAreCaseInsensitive) {
    EXPECT_EQ(next("0 0 1 jan,JUL *", "2024-02-01 00:00"), "2024-07-01 00:00:00");
    EXPECT_EQ(next("0 0 1 Mar-May *", "2024-05-01 00:00"), "2025-03-01 00:00:00");
    EXPECT_EQ(next("0 0 * * Mon-Fri", "2024-05-03 00:00"), "2024-05-06 00:00:00");
    EXPECT_EQ(next("0 0 * dec sAt", "2024-05-03 00:00"), "2024-12-07 00:00:00");
}

TEST(CronNext, Macros) {
    const std::string after = "2024-07-03 10:30";  // a Wednesday
    EXPECT_EQ(next("@yearly", after), "2025-01-01 00:00:00");
    EXPECT_EQ(next("@annually", after), "2025-01-01 00:00:00");
    EXPECT_EQ(next("@monthly", after), "2024-08-01 00:00:00");
    EXPECT_EQ(next("@weekly", after), "2024-07-07 00:00:00");
    EXPECT_EQ(next("@daily", after), "2024-07-04 00:00:00");
    EXPECT_EQ(next("@midnight", after), "2024-07-04 00:00:00");
    EXPECT_EQ(next("@hourly", after), "2024-07-03 11:00:00");
    EXPECT_EQ(next("  @HOURLY\t", after), "2024-07-03 11:00:00");
}

TEST(CronNext, YearRollover) {
    EXPECT_EQ(next("* * * * *", "2024-12-31 23:59"), "2025-01-01 00:00:00");
    EXPECT_EQ(next("* * * * *", "2024-12-31 23:59:59"), "2025-01-01 00:00:00");
    EXPECT_EQ(next("0 0 1 1 *", "2024-12-31 23:59"), "2025-01-01 00:00:00");
    EXPECT_EQ(next("59 23 31 12 *", "2024-12-31 23:59"), "2025-12-31 23:59:00");
    EXPECT_EQ(next("59 23 31 12 *", "2024-12-31 23:58"), "2024-12-31 23:59:00");
}

TEST(CronNext, StepsRangesAndLists) {
    EXPECT_EQ(next("5-20/5 * * * *", "2024-05-03 10:20"), "2024-05-03 11:05:00");
    EXPECT_EQ(next("10/20 * * * *", "2024-05-03 10:31"), "2024-05-03 10:50:00");  // 10, 30, 50
    EXPECT_EQ(next("10/20 * * * *", "2024-05-03 10:50"), "2024-05-03 11:10:00");
    EXPECT_EQ(next("0,30 8-10 * * *", "2024-05-03 10:30"), "2024-05-04 08:00:00");
    EXPECT_EQ(next("0 0 1-3,15 * *", "2024-05-03 00:00"), "2024-05-15 00:00:00");
    EXPECT_EQ(next("0 0 1 */4 *", "2024-05-03 00:00"), "2024-09-01 00:00:00");    // jan, may, sep
    EXPECT_EQ(next("0 0 * * 1-7/2", "2024-05-03 00:00"), "2024-05-05 00:00:00");  // mon wed fri sun
}

TEST(CronNext, DayOfWeekStepStopsAtSaturday) {
    // "a/n" runs to the end of the field; for day-of-week that is Saturday, not the alias 7,
    // so mon/2 is Mon, Wed, Fri and never Sunday. 2024-05-03 is a Friday.
    EXPECT_EQ(next("0 0 * * mon/2", "2024-05-03 00:00"), "2024-05-06 00:00:00");
    EXPECT_EQ(next("0 0 * * 0/3", "2024-05-03 00:00"), "2024-05-04 00:00:00");  // sun wed sat
}

TEST(CronNext, BlanksBetweenFieldsAreFine) {
    EXPECT_EQ(next("  0\t9   * *\t\tmon-fri  ", "2024-05-03 17:00"), "2024-05-06 09:00:00");
}

TEST(CronNext, ImpossibleDatesGiveNullopt) {
    for (const char* expr : {"0 0 31 2 *", "0 0 30 2 *", "0 0 30,31 feb *", "0 0 31 4,6,9,11 *"}) {
        SCOPED_TRACE(expr);
        EXPECT_EQ(next(expr, "2024-01-01 00:00"), "none");
    }
    // Not impossible: with a day-of-week too, the OR rule makes any Monday in February match.
    EXPECT_EQ(next("0 0 30 2 mon", "2024-01-01 00:00"), "2024-02-05 00:00:00");
}

TEST(CronNext, ResultsAreWholeMinutes) {
    const auto e = CronExpression::parse("*/7 */5 * * *");
    auto t = at("2024-05-03 10:00:17");
    for (int i = 0; i < 500; ++i) {
        const auto n = e.next_after(t);
        ASSERT_TRUE(n.has_value());
        ASSERT_GT(*n, t);
        ASSERT_EQ(n->time_since_epoch().count() % 60, 0) << show(n);
        t = *n + chr::seconds{i % 60};
    }
}

// ---- next_after against a brute force ----

namespace {

struct Reference {
    const char* expr;
    // The expression written out by hand as a predicate on (date, weekday 0=Sunday, hour, minute).
    std::function<bool(chr::year_month_day, unsigned, int, int)> matches;
};

// Walk minute by minute from the minute after `after` until a match.
std::optional<chr::sys_seconds> brute_next(const Reference& ref, chr::sys_seconds after) {
    auto t = chr::floor<chr::minutes>(after) + chr::minutes{1};
    for (int i = 0; i < 60 * 24 * 400; ++i, t += chr::minutes{1}) {
        const auto day = chr::floor<chr::days>(t);
        const auto minute_of_day = static_cast<int>((t - day).count());
        if (ref.matches(chr::year_month_day{day}, chr::weekday{day}.c_encoding(), minute_of_day / 60,
                        minute_of_day % 60)) {
            return t;
        }
    }
    return std::nullopt;
}

}  // namespace

TEST(CronNext, AgreesWithBruteForce) {
    using Ymd = chr::year_month_day;
    const Reference refs[] = {
        {"*/15 * * * *", [](Ymd, unsigned, int, int m) { return m % 15 == 0; }},
        {"0 9 * * mon-fri", [](Ymd, unsigned wd, int h, int m) { return h == 9 && m == 0 && wd >= 1 && wd <= 5; }},
        {"30 2 1 * *", [](Ymd d, unsigned, int h, int m) { return h == 2 && m == 30 && d.day() == chr::day{1}; }},
        {"0 0 13 * fri",
         [](Ymd d, unsigned wd, int h, int m) { return h == 0 && m == 0 && (d.day() == chr::day{13} || wd == 5); }},
        {"0 0 */10 * fri",
         [](Ymd d, unsigned wd, int h, int m) {
             return h == 0 && m == 0 && wd == 5 && (static_cast<unsigned>(d.day()) - 1) % 10 == 0;
         }},
        {"5,35 */6 28-31 * *",
         [](Ymd d, unsigned, int h, int m) {
             return (m == 5 || m == 35) && h % 6 == 0 && static_cast<unsigned>(d.day()) >= 28;
         }},
        {"59 23 * feb,dec 0,6",
         [](Ymd d, unsigned wd, int h, int m) {
             return h == 23 && m == 59 && (wd == 0 || wd == 6) &&
                    (d.month() == chr::February || d.month() == chr::December);
         }},
    };
    // Deterministic pseudo-random starts over 2023-2025, at any second.
    std::uint64_t seed = 12345;
    const auto base = at("2023-01-01 00:00");
    for (const auto& ref : refs) {
        SCOPED_TRACE(ref.expr);
        const auto e = CronExpression::parse(ref.expr);
        for (int i = 0; i < 60; ++i) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            const auto after = base + chr::seconds{(seed >> 33) % (3 * 365 * 86400ULL)};
            ASSERT_EQ(show(e.next_after(after)), show(brute_next(ref, after))) << "after " << show(after);
        }
    }
}

// ---- parse ----

TEST(CronParse, KeepsTheTextAsGiven) {
    EXPECT_EQ(CronExpression::parse(" 0 9 * * mon-fri ").text(), " 0 9 * * mon-fri ");
    EXPECT_EQ(CronExpression::parse("@daily").text(), "@daily");
}

TEST(CronParse, ErrorIsAnInvalidArgument) {
    static_assert(std::is_base_of_v<std::invalid_argument, CronError>);
    EXPECT_THROW(CronExpression::parse("* * *"), std::invalid_argument);
}

TEST(CronParse, AcceptsTheWholeSyntax) {
    for (const char* expr :
         {"0-59 0-23 1-31 1-12 0-7", "*/1 */1 */1 */1 */1", "59 23 31 12 7", "0 0 1 JAN-DEC SUN-SAT",
          "1,2,3-5,10-50/10,*/30 * * * *", "0 0 * * 7/1", "00 09 01 01 00", "*/60 */24 */31 */12 */7"}) {
        SCOPED_TRACE(expr);
        EXPECT_NO_THROW(CronExpression::parse(expr));
    }
}

namespace {

struct BadExpression {
    const char* text;
    const char* error;  // what() must contain this
};

void PrintTo(const BadExpression& b, std::ostream* os) { *os << '"' << b.text << '"'; }

class CronParseError : public testing::TestWithParam<BadExpression> {};

TEST_P(CronParseError, NamesTheFieldAndTheText) {
    const auto& [text, error] = GetParam();
    try {
        CronExpression::parse(text);
        ADD_FAILURE() << "parsed without error: \"" << text << "\"";
    } catch (const CronError& e) {
        EXPECT_NE(std::string(e.what()).find(error), std::string::npos)
            << "what(): " << e.what() << "\nexpected to contain: " << error;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, CronParseError,
    testing::Values(
        // field count
        BadExpression{"", "expected 5 fields (minute hour day-of-month month day-of-week), got 0"},
        BadExpression{" \t ", "expected 5 fields (minute hour day-of-month month day-of-week), got 0"},
        BadExpression{"* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 4"},
        BadExpression{"0 * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 6"},
        BadExpression{"0 0 * * * 2024", "got 6"},
        // out of range
        BadExpression{"60 * * * *", "minute: 60 is out of range 0-59"},
        BadExpression{"* 25 * * *", "hour: 25 is out of range 0-23"},
        BadExpression{"* 0-24 * * *", "hour: 24 is out of range 0-23"},
        BadExpression{"* * 0 * *", "day-of-month: 0 is out of range 1-31"},
        BadExpression{"* * 32 * *", "day-of-month: 32 is out of range 1-31"},
        BadExpression{"* * * 0 *", "month: 0 is out of range 1-12"},
        BadExpression{"* * * 13 *", "month: 13 is out of range 1-12"},
        BadExpression{"* * * * 8", "day-of-week: 8 is out of range 0-7"},
        BadExpression{"99999999999 * * * *", "minute: 99999999999 is out of range 0-59"},
        // steps
        BadExpression{"*/0 * * * *", "minute: step 0 is out of range 1-60"},
        BadExpression{"* 1-5/0 * * *", "hour: step 0 is out of range 1-24"},
        BadExpression{"* * * */13 *", "month: step 13 is out of range 1-12"},
        BadExpression{"* * * * mon/8", "day-of-week: step 8 is out of range 1-7"},
        BadExpression{"*/ * * * *", "minute: missing step after \"/\" in \"*/\""},
        BadExpression{"* */x * * *", "hour: step \"x\" is not a number"},
        BadExpression{"* * * * */mon", "day-of-week: step \"mon\" is not a number"},
        BadExpression{"1/2/3 * * * *", "minute: step \"2/3\" is not a number"},
        // reversed ranges
        BadExpression{"5-1 * * * *", "minute: range \"5-1\" is reversed"},
        BadExpression{"* * * dec-jan *", "month: range \"dec-jan\" is reversed"},
        BadExpression{"* * * * fri-mon", "day-of-week: range \"fri-mon\" is reversed"},
        // empty items and missing values
        BadExpression{"1,,2 * * * *", "minute: empty list item in \"1,,2\""},
        BadExpression{"* 1, * * *", "hour: empty list item in \"1,\""},
        BadExpression{"* * ,1 * *", "day-of-month: empty list item in \",1\""},
        BadExpression{"-5 * * * *", "minute: missing value in \"-5\""},
        BadExpression{"* 5- * * *", "hour: missing value in \"5-\""},
        // garbage and names
        BadExpression{"5x * * * *", "minute: \"5x\" is not a number"},
        BadExpression{"* 1-2-3 * * *", "hour: \"2-3\" is not a number"},
        BadExpression{"jan * * * *", "minute: \"jan\" is not a number"},
        BadExpression{"* * L * *", "day-of-month: \"L\" is not a number"},
        BadExpression{"* * ? * *", "day-of-month: \"?\" is not a number"},
        BadExpression{"* * * foo *", "month: unknown name \"foo\""},
        BadExpression{"* * * january *", "month: unknown name \"january\""},
        BadExpression{"* * * * funday", "day-of-week: unknown name \"funday\""},
        BadExpression{"* * * * mon#2", "day-of-week: unknown name \"mon#2\""},
        BadExpression{"* * * * 5L", "day-of-week: \"5L\" is not a number"},
        BadExpression{"* * * * **", "day-of-week: \"**\" is not a number"},
        BadExpression{"* * * * -", "day-of-week: missing value in \"-\""},
        // macros
        BadExpression{"@reboot", "@reboot is not supported"},
        BadExpression{"@fortnightly", "unknown macro \"@fortnightly\""}, BadExpression{"@", "unknown macro \"@\""},
        BadExpression{"@daily *", "@daily must be the whole expression"},
        BadExpression{"0 @daily", "expected 5 fields"}));

}  // namespace
