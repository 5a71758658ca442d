// sdk/include/modrt/duration.hpp: the one duration parser every interceptor uses.
#include <modrt/duration.hpp>

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
    for (const char* bad : {"", "ms", "-1s", "1.2.3s", "5 days", "1e3", ".", "99999999999999999999h"})
        EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
    EXPECT_FALSE(modrt::duration_from_ms(-1).has_value());
}

TEST(Duration, Formats) {
    EXPECT_EQ(modrt::format_duration(1500ms), "1500ms");
    EXPECT_EQ(modrt::format_duration(90s), "90s");
}
