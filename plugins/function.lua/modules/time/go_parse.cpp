// Go layouts, parsing (go_parse.hpp), after Go's time.parse.
#include "modules/time/go_parse.hpp"

#include "modules/time/go_duration.hpp"
#include "modules/time/go_format.hpp"
#include "modules/time/go_layout.hpp"

#include <cstdint>

namespace modrt::lua::gotime {
namespace {

bool comma_or_period(char c) { return c == '.' || c == ','; }

// One or two digits (exactly two when fixed).
bool get_num(std::string_view& s, bool fixed, int& out) {
    if (!digit_at(s, 0)) return false;
    if (!digit_at(s, 1)) {
        if (fixed) return false;
        out = s[0] - '0';
        s.remove_prefix(1);
        return true;
    }
    out = (s[0] - '0') * 10 + (s[1] - '0');
    s.remove_prefix(2);
    return true;
}

// One to three digits (exactly three when fixed).
bool get_num3(std::string_view& s, bool fixed, int& out) {
    int n = 0;
    size_t i = 0;
    for (; i < 3 && digit_at(s, i); ++i) n = n * 10 + (s[i] - '0');
    if (i == 0 || (fixed && i != 3)) return false;
    out = n;
    s.remove_prefix(i);
    return true;
}

// Leading decimal digits; false on overflow.
bool leading_int(std::string_view& s, int64_t& out) {
    int64_t x = 0;
    size_t i = 0;
    for (; digit_at(s, i); ++i) {
        if (x > (INT64_MAX - 9) / 10) return false;
        x = x * 10 + (s[i] - '0');
    }
    out = x;
    s.remove_prefix(i);
    return true;
}

// A whole string as a signed decimal (Go's atoi).
bool atoi_all(std::string_view s, int64_t& out) {
    bool neg = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        s.remove_prefix(1);
    }
    int64_t x = 0;
    if (s.empty() || !leading_int(s, x) || !s.empty()) return false;
    out = neg ? -x : x;
    return true;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// The index of the name in `names` that `s` starts with (ASCII case ignored), cut to `len` bytes (0: whole).
template <size_t N>
bool lookup_name(const char* const (&names)[N], size_t len, std::string_view& s, int& out) {
    for (size_t i = 0; i < N; ++i) {
        std::string_view name(names[i]);
        if (len != 0) name = name.substr(0, len);
        if (s.size() < name.size()) continue;
        bool same = true;
        for (size_t k = 0; k < name.size() && same; ++k) same = lower(s[k]) == lower(name[k]);
        if (same) {
            s.remove_prefix(name.size());
            out = static_cast<int>(i);
            return true;
        }
    }
    return false;
}

std::string_view cut_space(std::string_view s) {
    while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
    return s;
}

// Match the layout's literal `prefix` at the front of value (runs of spaces match runs of spaces).
bool skip(std::string_view& value, std::string_view prefix) {
    while (!prefix.empty()) {
        if (prefix[0] == ' ') {
            if (!value.empty() && value[0] != ' ') return false;
            prefix = cut_space(prefix);
            value = cut_space(value);
            continue;
        }
        if (value.empty() || value[0] != prefix[0]) return false;
        prefix.remove_prefix(1);
        value.remove_prefix(1);
    }
    return true;
}

// "+hh" / "-hh" (at most 12) after GMT or alone: how many bytes, 0 when not one.
size_t signed_offset_len(std::string_view value) {
    if (value.empty() || (value[0] != '-' && value[0] != '+')) return 0;
    std::string_view rest = value.substr(1);
    int64_t x = 0;
    if (!leading_int(rest, x) || rest.size() == value.size() - 1 || x > 12) return 0;
    return value.size() - rest.size();
}

// The length of a zone abbreviation at the front of value (Go's parseTimeZone); 0 when none.
size_t time_zone_len(std::string_view value) {
    if (value.size() < 3) return 0;
    if (value.substr(0, 4) == "ChST" || value.substr(0, 4) == "MeST") return 4;
    if (value.substr(0, 3) == "GMT") return 3 + signed_offset_len(value.substr(3));
    if (value[0] == '+' || value[0] == '-') return signed_offset_len(value);
    size_t upper = 0;
    while (upper < 6 && upper < value.size() && value[upper] >= 'A' && value[upper] <= 'Z') ++upper;
    switch (upper) {
        case 3: return 3;
        case 4: return value[3] == 'T' || value.substr(0, 4) == "WITA" ? 4 : 0;
        case 5: return value[4] == 'T' ? 5 : 0;
        default: return 0;
    }
}

// The fraction at the front of value (its separator included, `len` bytes) in nanoseconds.
bool parse_nanos(std::string_view value, size_t len, int& out, const char*& range_error) {
    if (!comma_or_period(value[0])) return false;
    if (len > 10) len = 10;
    int64_t ns = 0;
    if (!atoi_all(value.substr(1, len - 1), ns)) return false;
    if (ns < 0) {
        range_error = "fractional second";
        return false;
    }
    for (size_t i = 0; i < 10 - len; ++i) ns *= 10;
    out = static_cast<int>(ns);
    return true;
}

constexpr const char* kShortDayNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

}  // namespace

std::optional<Instant> parse_instant(std::string_view layout, std::string_view value,
                                     const std::shared_ptr<const Zone>& zone, std::string* why) {
    const std::string_view orig_layout = layout, orig_value = value;
    auto fail = [&](std::string_view layout_elem, std::string_view value_elem, std::string_view message) {
        if (message.empty()) {
            *why = "parsing time " + go_quote(orig_value) + " as " + go_quote(orig_layout) + ": cannot parse " +
                   go_quote(value_elem) + " as " + go_quote(layout_elem);
        } else {
            *why = "parsing time " + go_quote(orig_value) + std::string(message);
        }
        return std::nullopt;
    };
    int64_t year = 0;
    int month = -1, day = -1, yday = -1, hour = 0, minute = 0, second = 0, nsec = 0;
    bool am_set = false, pm_set = false, utc_set = false;
    int64_t zone_offset = -1;
    bool has_offset = false;
    std::string_view zone_abbrev;

    for (;;) {
        LayoutChunk c = next_layout_chunk(layout);
        if (!skip(value, c.prefix)) return fail(c.prefix, value, "");
        if (c.elem == LayoutElem::none) {
            if (!value.empty()) return fail("", value, ": extra text: " + go_quote(value));
            break;
        }
        layout = c.suffix;
        const std::string_view hold = value;
        const char* range_error = nullptr;
        bool ok = true;
        switch (c.elem) {
            case LayoutElem::year: {
                int64_t y = 0;
                if (value.size() < 2 || !atoi_all(value.substr(0, 2), y)) {
                    ok = false;
                    break;
                }
                value.remove_prefix(2);
                year = y >= 69 ? y + 1900 : y + 2000;  // Unix time starts Dec 31 1969 in some zones
                break;
            }
            case LayoutElem::long_year:
                if (value.size() < 4 || !digit_at(value, 0) || !atoi_all(value.substr(0, 4), year)) {
                    ok = false;
                    break;
                }
                value.remove_prefix(4);
                break;
            case LayoutElem::month:
                ok = lookup_name(kLongMonthNames, 3, value, month);
                ++month;
                break;
            case LayoutElem::long_month:
                ok = lookup_name(kLongMonthNames, 0, value, month);
                ++month;
                break;
            case LayoutElem::num_month:
            case LayoutElem::zero_month:
                ok = get_num(value, c.elem == LayoutElem::zero_month, month);
                if (ok && (month <= 0 || month > 12)) range_error = "month";
                break;
            case LayoutElem::weekday: {  // checked, then ignored
                int unused = 0;
                ok = lookup_name(kShortDayNames, 0, value, unused);
                break;
            }
            case LayoutElem::long_weekday: {
                int unused = 0;
                ok = lookup_name(kLongDayNames, 0, value, unused);
                break;
            }
            case LayoutElem::day:
            case LayoutElem::under_day:
            case LayoutElem::zero_day:
                if (c.elem == LayoutElem::under_day && !value.empty() && value[0] == ' ') value.remove_prefix(1);
                ok = get_num(value, c.elem == LayoutElem::zero_day, day);
                break;  // any one- or two-digit day; checked against the month below
            case LayoutElem::under_year_day:
            case LayoutElem::zero_year_day:
                for (int i = 0; i < 2; ++i)
                    if (c.elem == LayoutElem::under_year_day && !value.empty() && value[0] == ' ')
                        value.remove_prefix(1);
                ok = get_num3(value, c.elem == LayoutElem::zero_year_day, yday);
                break;
            case LayoutElem::hour:
                ok = get_num(value, false, hour);
                if (hour < 0 || hour >= 24) range_error = "hour";
                break;
            case LayoutElem::hour12:
            case LayoutElem::zero_hour12:
                ok = get_num(value, c.elem == LayoutElem::zero_hour12, hour);
                if (hour < 0 || hour > 12) range_error = "hour";
                break;
            case LayoutElem::minute:
            case LayoutElem::zero_minute:
                ok = get_num(value, c.elem == LayoutElem::zero_minute, minute);
                if (minute < 0 || minute >= 60) range_error = "minute";
                break;
            case LayoutElem::second:
            case LayoutElem::zero_second: {
                ok = get_num(value, c.elem == LayoutElem::zero_second, second);
                if (!ok) break;
                if (second < 0 || second >= 60) {
                    range_error = "second";
                    break;
                }
                // A fraction in the value that the layout does not have: take it here.
                if (value.size() >= 2 && comma_or_period(value[0]) && digit_at(value, 1)) {
                    LayoutElem next = next_layout_chunk(layout).elem;
                    if (next == LayoutElem::frac_second0 || next == LayoutElem::frac_second9) break;
                    size_t n = 2;
                    while (digit_at(value, n)) ++n;
                    ok = parse_nanos(value, n, nsec, range_error);
                    value.remove_prefix(n);
                }
                break;
            }
            case LayoutElem::pm_upper:
            case LayoutElem::pm_lower: {
                if (value.size() < 2) {
                    ok = false;
                    break;
                }
                std::string_view p = value.substr(0, 2);
                value.remove_prefix(2);
                const bool upper = c.elem == LayoutElem::pm_upper;
                if (p == (upper ? "PM" : "pm")) {
                    pm_set = true;
                } else if (p == (upper ? "AM" : "am")) {
                    am_set = true;
                } else {
                    ok = false;
                }
                break;
            }
            case LayoutElem::tz_abbrev: {
                if (value.substr(0, 3) == "UTC") {
                    utc_set = true;
                    value.remove_prefix(3);
                    break;
                }
                size_t n = time_zone_len(value);
                if (n == 0) {
                    ok = false;
                    break;
                }
                zone_abbrev = value.substr(0, n);
                value.remove_prefix(n);
                break;
            }
            case LayoutElem::frac_second0: {
                size_t n = 1 + static_cast<size_t>(c.frac_digits);
                if (value.size() < n) {
                    ok = false;
                    break;
                }
                ok = parse_nanos(value, n, nsec, range_error);
                value.remove_prefix(n);
                break;
            }
            case LayoutElem::frac_second9: {
                if (value.size() < 2 || !comma_or_period(value[0]) || !digit_at(value, 1)) break;  // omitted
                size_t i = 0;
                while (digit_at(value, i + 1)) ++i;
                ok = parse_nanos(value, 1 + i, nsec, range_error);
                value.remove_prefix(1 + i);
                break;
            }
            default: {  // numeric and ISO 8601 offsets
                const LayoutElem e = c.elem;
                const bool iso = e == LayoutElem::iso8601_tz || e == LayoutElem::iso8601_short_tz ||
                                 e == LayoutElem::iso8601_colon_tz || e == LayoutElem::iso8601_seconds_tz ||
                                 e == LayoutElem::iso8601_colon_seconds_tz;
                if (iso && !value.empty() && value[0] == 'Z') {
                    value.remove_prefix(1);
                    utc_set = true;
                    break;
                }
                std::string_view sign, hh, mm = "00", ss = "00";
                if (e == LayoutElem::iso8601_colon_tz || e == LayoutElem::num_colon_tz) {
                    if (value.size() < 6 || value[3] != ':') {
                        ok = false;
                        break;
                    }
                    sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(4, 2);
                    value.remove_prefix(6);
                } else if (e == LayoutElem::num_short_tz || e == LayoutElem::iso8601_short_tz) {
                    if (value.size() < 3) {
                        ok = false;
                        break;
                    }
                    sign = value.substr(0, 1), hh = value.substr(1, 2);
                    value.remove_prefix(3);
                } else if (e == LayoutElem::iso8601_colon_seconds_tz || e == LayoutElem::num_colon_seconds_tz) {
                    if (value.size() < 9 || value[3] != ':' || value[6] != ':') {
                        ok = false;
                        break;
                    }
                    sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(4, 2),
                    ss = value.substr(7, 2);
                    value.remove_prefix(9);
                } else if (e == LayoutElem::iso8601_seconds_tz || e == LayoutElem::num_seconds_tz) {
                    if (value.size() < 7) {
                        ok = false;
                        break;
                    }
                    sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(3, 2),
                    ss = value.substr(5, 2);
                    value.remove_prefix(7);
                } else {
                    if (value.size() < 5) {
                        ok = false;
                        break;
                    }
                    sign = value.substr(0, 1), hh = value.substr(1, 2), mm = value.substr(3, 2);
                    value.remove_prefix(5);
                }
                int h = 0, m = 0, s = 0;
                ok = get_num(hh, true, h) && get_num(mm, true, m) && get_num(ss, true, s);
                // '>' rather than '>=': some write offsets of 24 hours or 60 minutes.
                if (h > 24) range_error = "time zone offset hour";
                if (m > 60) range_error = "time zone offset minute";
                if (s > 60) range_error = "time zone offset second";
                zone_offset = (int64_t{h} * 60 + m) * 60 + s;
                has_offset = true;
                if (sign == "-") {
                    zone_offset = -zone_offset;
                } else if (sign != "+") {
                    ok = false;
                }
                break;
            }
        }
        if (range_error != nullptr) return fail(c.token, value, std::string(": ") + range_error + " out of range");
        if (!ok) return fail(c.token, hold, "");
    }
    if (pm_set && hour < 12) {
        hour += 12;
    } else if (am_set && hour == 12) {
        hour = 0;
    }

    if (yday >= 0) {
        // Day of the year into month and day; a month or day also given must agree.
        int m = 0, d = 0;
        if (is_leap(year)) {
            if (yday == 31 + 29) {
                m = 2;
                d = 29;
            } else if (yday > 31 + 29) {
                --yday;
            }
        }
        if (yday < 1 || yday > 365) return fail("", value, ": day-of-year out of range");
        if (m == 0) {
            constexpr int kDaysBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};
            m = (yday - 1) / 31 + 1;
            if (kDaysBefore[m] < yday) ++m;
            d = yday - kDaysBefore[m - 1];
        }
        if (month >= 0 && month != m) return fail("", value, ": day-of-year does not match month");
        month = m;
        if (day >= 0 && day != d) return fail("", value, ": day-of-year does not match day");
        day = d;
    } else {
        if (month < 0) month = 1;
        if (day < 0) day = 1;
    }
    if (day < 1 || day > days_in_month(year, month)) return fail("", value, ": day out of range");

    auto out_of_range = [&] { return fail("", value, ": out of range"); };
    if (utc_set) {
        auto t = date_instant(year, month, day, hour, minute, second, nsec, nullptr);
        return t ? t : out_of_range();
    }
    if (has_offset) {
        auto t = date_instant(year, month, day, hour, minute, second, nsec, nullptr);
        if (!t) return out_of_range();
        t->sec -= zone_offset;
        // The zone's own offset at that instant, when it matches, keeps the zone.
        ZoneSpan span = zone_lookup(zone.get(), t->sec);
        if (span.offset == zone_offset && (zone_abbrev.empty() || span.abbrev == zone_abbrev)) {
            t->zone = zone;
            return t;
        }
        t->zone = fixed_zone(std::string(zone_abbrev), static_cast<int32_t>(zone_offset));
        return t;
    }
    if (!zone_abbrev.empty()) {
        auto t = date_instant(year, month, day, hour, minute, second, nsec, nullptr);
        if (!t) return out_of_range();
        if (auto offset = zone_offset_of(zone.get(), zone_abbrev, t->sec)) {
            t->sec -= *offset;
            t->zone = zone;
            return t;
        }
        // An abbreviation the zone does not know: offset 0 (GMT+h gives h hours).
        int64_t offset = 0;
        if (zone_abbrev.size() > 3 && zone_abbrev.substr(0, 3) == "GMT") {
            atoi_all(zone_abbrev.substr(3), offset);
            offset *= 3600;
        }
        t->zone = fixed_zone(std::string(zone_abbrev), static_cast<int32_t>(offset));
        return t;
    }
    auto t = date_instant(year, month, day, hour, minute, second, nsec, zone);
    return t ? t : out_of_range();
}

}  // namespace modrt::lua::gotime
