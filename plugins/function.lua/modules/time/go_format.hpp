// Formatting an instant with a Go layout (Go's Time.Format) and Go's
// Time.String() form. Pure C++.
#pragma once

#include "modules/time/instant.hpp"

#include <string>
#include <string_view>

namespace modrt::lua::gotime {

/// `t` written by `layout` ("2006-01-02T15:04:05Z07:00" gives "2024-12-29T15:04:05Z").
std::string format_instant(const Instant& t, std::string_view layout);

/// Go's Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST" (without Go's " m=+..." suffix).
std::string instant_string(const Instant& t);

inline constexpr const char* kLongMonthNames[] = {"January",   "February", "March",    "April",
                                                  "May",       "June",     "July",     "August",
                                                  "September", "October",  "November", "December"};
inline constexpr const char* kLongDayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                "Thursday", "Friday", "Saturday"};

}  // namespace modrt::lua::gotime
