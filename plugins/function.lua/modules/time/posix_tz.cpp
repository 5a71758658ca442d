// POSIX TZ rule evaluation (posix_tz.hpp), after Go's time.tzset.
#include "modules/time/posix_tz.hpp"

#include "modules/time/civil.hpp"

#include <utility>

namespace modrt::lua::gotime {
namespace {

constexpr int kSecondsPerHour = 3600;

enum class RuleKind { julian, day_of_year, month_week_day };

struct Rule {
    RuleKind kind = RuleKind::day_of_year;
    int day = 0;
    int week = 0;
    int month = 0;
    int time = 2 * kSecondsPerHour;  // local time of the switch; 02:00 unless given
};

// A number in [min, max] at the front of s.
bool take_num(std::string_view& s, int min, int max, int& out) {
    if (s.empty()) return false;
    int num = 0;
    size_t i = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
        num = num * 10 + (s[i] - '0');
        if (num > max) return false;
    }
    if (i == 0 || num < min) return false;
    s.remove_prefix(i);
    out = num;
    return true;
}

bool take_name(std::string_view& s, std::string_view& name) {
    if (s.empty()) return false;
    if (s[0] == '<') {
        size_t close = s.find('>');
        if (close == std::string_view::npos) return false;
        name = s.substr(1, close - 1);
        s.remove_prefix(close + 1);
        return true;
    }
    size_t i = 0;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if ((c >= '0' && c <= '9') || c == ',' || c == '-' || c == '+') break;
    }
    if (i < 3) return false;
    name = s.substr(0, i);
    s.remove_prefix(i);
    return true;
}

// [+-]hh[:mm[:ss]], in seconds (POSIX sign: positive is west of UTC).
bool take_offset(std::string_view& s, int& out) {
    if (s.empty()) return false;
    bool neg = false;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        s.remove_prefix(1);
    }
    int hours = 0;
    if (!take_num(s, 0, 24 * 7, hours)) return false;
    int off = hours * kSecondsPerHour;
    for (int part = 0; part < 2 && !s.empty() && s[0] == ':'; ++part) {
        s.remove_prefix(1);
        int n = 0;
        if (!take_num(s, 0, 59, n)) return false;
        off += part == 0 ? n * 60 : n;
    }
    out = neg ? -off : off;
    return true;
}

bool take_rule(std::string_view& s, Rule& r) {
    if (s.empty()) return false;
    if (s[0] == 'J') {
        s.remove_prefix(1);
        r.kind = RuleKind::julian;
        if (!take_num(s, 1, 365, r.day)) return false;
    } else if (s[0] == 'M') {
        s.remove_prefix(1);
        r.kind = RuleKind::month_week_day;
        if (!take_num(s, 1, 12, r.month) || s.empty() || s[0] != '.') return false;
        s.remove_prefix(1);
        if (!take_num(s, 1, 5, r.week) || s.empty() || s[0] != '.') return false;
        s.remove_prefix(1);
        if (!take_num(s, 0, 6, r.day)) return false;
    } else {
        r.kind = RuleKind::day_of_year;
        if (!take_num(s, 0, 365, r.day)) return false;
    }
    if (s.empty() || s[0] != '/') return true;
    s.remove_prefix(1);
    return take_offset(s, r.time);
}

// Seconds from the start of `year` (UTC) to the switch `r`, made while `offset` held.
int64_t rule_time(int64_t year, const Rule& r, int offset) {
    int64_t s = 0;
    switch (r.kind) {
        case RuleKind::julian:
            s = int64_t{r.day - 1} * kSecondsPerDay;
            if (is_leap(year) && r.day >= 60) s += kSecondsPerDay;
            break;
        case RuleKind::day_of_year: s = int64_t{r.day} * kSecondsPerDay; break;
        case RuleKind::month_week_day: {
            int64_t first = days_from_civil(year, r.month, 1);
            int d = r.day - weekday_from_days(first);  // the first such weekday of the month, 0-based
            if (d < 0) d += 7;
            for (int i = 1; i < r.week; ++i) {
                if (d + 7 >= days_in_month(year, r.month)) break;
                d += 7;
            }
            s = (first - days_from_civil(year, 1, 1) + d) * kSecondsPerDay;
            break;
        }
    }
    return s + r.time - offset;
}

}  // namespace

std::optional<ZoneSpan> posix_tz_lookup(std::string_view rule, int64_t last_transition, int64_t unix) noexcept {
    std::string_view s = rule;
    std::string_view std_name, dst_name;
    int std_offset = 0, dst_offset = 0;
    if (!take_name(s, std_name) || !take_offset(s, std_offset)) return std::nullopt;
    std_offset = -std_offset;  // POSIX counts west; Go and modrt count east
    if (s.empty() || s[0] == ',') return ZoneSpan{std_name, std_offset, last_transition, kOmega, false};
    if (!take_name(s, dst_name)) return std::nullopt;
    if (s.empty() || s[0] == ',') {
        dst_offset = std_offset + kSecondsPerHour;
    } else {
        if (!take_offset(s, dst_offset)) return std::nullopt;
        dst_offset = -dst_offset;
    }
    if (s.empty()) s = ",M3.2.0,M11.1.0";  // tzcode's default rules
    if (s[0] != ',' && s[0] != ';') return std::nullopt;
    s.remove_prefix(1);
    Rule start_rule, end_rule;
    if (!take_rule(s, start_rule) || s.empty() || s[0] != ',') return std::nullopt;
    s.remove_prefix(1);
    if (!take_rule(s, end_rule) || !s.empty()) return std::nullopt;

    const int64_t days = floor_div(unix, kSecondsPerDay);
    const int64_t year = civil_from_days(days).year;
    const int64_t year_start = days_from_civil(year, 1, 1) * kSecondsPerDay;
    const int64_t ysec = unix - year_start;
    int64_t start = rule_time(year, start_rule, std_offset);
    int64_t end = rule_time(year, end_rule, dst_offset);
    bool dst_is_dst = true, std_is_dst = false;
    if (end < start) {  // southern hemisphere: summer time spans the new year
        std::swap(start, end);
        std::swap(std_name, dst_name);
        std::swap(std_offset, dst_offset);
        std::swap(std_is_dst, dst_is_dst);
    }
    if (ysec < start) return ZoneSpan{std_name, std_offset, year_start, start + year_start, std_is_dst};
    if (ysec >= end)
        return ZoneSpan{std_name, std_offset, end + year_start, year_start + 365 * kSecondsPerDay, std_is_dst};
    return ZoneSpan{dst_name, dst_offset, start + year_start, end + year_start, dst_is_dst};
}

}  // namespace modrt::lua::gotime
