// trigger.schedule: the schedule trigger's clock. A 5-field cron expression (Vixie/POSIX
// syntax) is parsed once and then asked "when do you fire next?". Everything is UTC, so
// no time-zone database is needed.
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace modrt::schedule {

/// A malformed cron expression; what() names the field and the offending text.
class CronError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// A parsed 5-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC.
class CronExpression {
public:
    /// Parse; throws CronError naming the field and the offending text, e.g. "hour: 25 is out of range 0-23".
    static CronExpression parse(std::string_view text);
    /// The first whole minute strictly after `after` that matches; std::nullopt when none ever does (e.g. "0 0 30 2 *").
    std::optional<std::chrono::sys_seconds> next_after(std::chrono::sys_seconds after) const;
    /// The expression exactly as given to parse().
    const std::string& text() const;

private:
    // One bit per value. 64 bits hold every field, so one parser serves all five.
    using Bits = std::bitset<64>;

    CronExpression() = default;
    /// Whether the day, ignoring the time of day, matches the day-of-month/day-of-week pair.
    bool day_matches(std::chrono::year_month_day date, std::chrono::weekday weekday) const;
    /// The first matching time of day at or after `from` (minutes since midnight), if any.
    std::optional<std::chrono::minutes> first_time_from(std::chrono::minutes from) const;

    std::string text_;
    Bits minutes_, hours_, days_of_month_, months_;
    Bits days_of_week_;    // 0 = Sunday; a 7 in the text is stored as 0
    bool day_or_ = false;  // both day fields restricted: a day matches if either does (classic cron rule)
};

}  // namespace modrt::schedule
