// Go's time layouts ("2006-01-02T15:04:05Z07:00"): the reference time's
// elements a layout is made of, found as Go's nextStdChunk finds them. Shared
// by formatting (go_format.hpp) and parsing (go_parse.hpp). Pure C++.
#pragma once

#include <string_view>

namespace modrt::lua::gotime {

/// s[i] is an ASCII digit (false past the end).
inline bool digit_at(std::string_view s, size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; }

enum class LayoutElem {
    none,
    long_month,                // January
    month,                     // Jan
    num_month,                 // 1
    zero_month,                // 01
    long_weekday,              // Monday
    weekday,                   // Mon
    day,                       // 2
    under_day,                 // _2
    zero_day,                  // 02
    under_year_day,            // __2
    zero_year_day,             // 002
    hour,                      // 15
    hour12,                    // 3
    zero_hour12,               // 03
    minute,                    // 4
    zero_minute,               // 04
    second,                    // 5
    zero_second,               // 05
    long_year,                 // 2006
    year,                      // 06
    pm_upper,                  // PM
    pm_lower,                  // pm
    tz_abbrev,                 // MST
    iso8601_tz,                // Z0700
    iso8601_seconds_tz,        // Z070000
    iso8601_short_tz,          // Z07
    iso8601_colon_tz,          // Z07:00
    iso8601_colon_seconds_tz,  // Z07:00:00
    num_tz,                    // -0700
    num_seconds_tz,            // -070000
    num_short_tz,              // -07
    num_colon_tz,              // -07:00
    num_colon_seconds_tz,      // -07:00:00
    frac_second0,              // .0, .00, ... (exactly that many digits)
    frac_second9,              // .9, .99, ... (trailing zeros dropped)
};

struct LayoutChunk {
    std::string_view prefix;  ///< literal text before the element
    LayoutElem elem = LayoutElem::none;
    std::string_view token;   ///< the element as written in the layout
    std::string_view suffix;  ///< the rest of the layout
    int frac_digits = 0;      ///< frac_second*: how many digits
    char frac_separator = '.';
};

/// The first element of `layout` (elem none: no element; prefix is all of it).
LayoutChunk next_layout_chunk(std::string_view layout) noexcept;

/// Whether `e` is one of the numeric or ISO 8601 offset elements.
bool is_offset_elem(LayoutElem e) noexcept;

}  // namespace modrt::lua::gotime
