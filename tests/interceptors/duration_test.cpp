// sdk/include/modrt/duration.hpp: the one duration parser (interceptors, function.lua's call
// options, the CLI's --timeout). It accepts everything the three parsers it replaced accepted.
#include <modrt/duration.hpp>

#include <string>

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using modrt::parse_duration;

TEST(Duration, NumbersAreMilliseconds) {
    EXPECT_EQ(parse_duration("100"), 100ms);
    EXPECT_EQ(parse_duration("2.5"), 2500us);
    EXPECT_EQ(modrt::duration_from_ms(1.5), 1500us);
}

TEST(Duration, Units) {
    EXPECT_EQ(parse_duration("100ms"), 100ms);
    EXPECT_EQ(parse_duration("2s"), 2s);
    EXPECT_EQ(parse_duration("1.5s"), 1500ms);
    EXPECT_EQ(parse_duration("250us"), 250us);
    EXPECT_EQ(parse_duration("10ns"), 10ns);
    EXPECT_EQ(parse_duration("2m"), 120s);
    EXPECT_EQ(parse_duration("1h"), 3600s);
    EXPECT_EQ(parse_duration(" 3 s "), 3s);
}

TEST(Duration, Rejects) {
    for (const char* bad : {"", "ms", "-1s", "1.2.3s", "5 days", ".", "99999999999999999999h", "inf", "nan", "infms",
                            "1h30m", "5S", "5 s s", "0x", "-0.5ms"})
        EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
    EXPECT_FALSE(modrt::duration_from_ms(-1).has_value());
}

TEST(Duration, Formats) {
    EXPECT_EQ(modrt::format_duration(1500ms), "1500ms");
    EXPECT_EQ(modrt::format_duration(90s), "90s");
}

// What function.lua's own parser (strtod, then the unit right after the number) accepted.
TEST(Duration, AcceptsWhatLuaCallOptionsAccepted) {
    EXPECT_EQ(parse_duration("1e3"), 1000ms);
    EXPECT_EQ(parse_duration("1.5e3ms"), 1500ms);
    EXPECT_EQ(parse_duration("+5"), 5ms);
    EXPECT_EQ(parse_duration(".5s"), 500ms);
    EXPECT_EQ(parse_duration("5.s"), 5s);
    EXPECT_EQ(parse_duration("0x10ms"), 16ms);
    EXPECT_EQ(parse_duration("-0"), 0ns);
    EXPECT_EQ(parse_duration("\t\n5s"), 5s);
    EXPECT_EQ(parse_duration("50ms"), 50ms);  // the forms Wippy documents: "50ms", "5s", and numbers of ms
    EXPECT_EQ(parse_duration("5s"), 5s);
    EXPECT_EQ(parse_duration(std::string(80, '0') + "7ms"), 7ms);  // it had a 64-byte limit; no longer
}

// What the CLI's --timeout parser (std::from_chars) accepted; "0" is the CLI's own rule to refuse.
TEST(Duration, AcceptsWhatTheCliAccepted) {
    EXPECT_EQ(parse_duration("2.5e-1s"), 250ms);
    EXPECT_EQ(parse_duration("0"), 0ns);
    EXPECT_EQ(parse_duration("1E2us"), 100us);
}

// A call's timeout (Lua call options, the CLI) may be far longer than an interceptor's setting.
TEST(Duration, MaxIsTheCallersChoice) {
    EXPECT_FALSE(parse_duration("10000h").has_value());  // over kMaxDuration, a year
    EXPECT_EQ(parse_duration("10000h", modrt::kMaxTimeout), std::chrono::hours(10000));
    EXPECT_EQ(parse_duration("2000000h", modrt::kMaxTimeout), std::chrono::hours(2000000));  // ~228 years
    EXPECT_FALSE(parse_duration("2562048h", modrt::kMaxTimeout).has_value());                // past int64 nanoseconds
    EXPECT_EQ(modrt::duration_from_ms(9.2e12, modrt::kMaxTimeout), modrt::kMaxTimeout);
    EXPECT_FALSE(modrt::duration_from_ms(9.3e12, modrt::kMaxTimeout).has_value());
    EXPECT_FALSE(modrt::duration_from_ms(9.2e12).has_value());
}
