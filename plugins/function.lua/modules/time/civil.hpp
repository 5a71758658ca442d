// Proleptic Gregorian calendar arithmetic for the time module: days since
// 1970-01-01 <-> year/month/day (Howard Hinnant's algorithms), as Go's time
// package counts them. Pure C++, no Lua.
#pragma once

#include <cstdint>

namespace modrt::lua::gotime {

inline constexpr int64_t kSecondsPerDay = 86400;
/// Go's zero Time (January 1, year 1, 00:00:00 UTC) in Unix seconds.
inline constexpr int64_t kZeroTimeUnix = -62135596800;

struct CivilDate {
    int64_t year;
    int month;  ///< 1-12
    int day;    ///< 1-31
};

/// Days since 1970-01-01 of the given date (month 1-12, day 1-31; no normalising).
int64_t days_from_civil(int64_t year, int month, int day) noexcept;
/// The date `days` days after 1970-01-01.
CivilDate civil_from_days(int64_t days) noexcept;
/// 0 = Sunday .. 6 = Saturday.
int weekday_from_days(int64_t days) noexcept;
bool is_leap(int64_t year) noexcept;
/// Days in `month` (1-12) of `year`.
int days_in_month(int64_t year, int month) noexcept;
/// Floor division and its non-negative remainder.
int64_t floor_div(int64_t a, int64_t b) noexcept;
int64_t floor_mod(int64_t a, int64_t b) noexcept;

}  // namespace modrt::lua::gotime
