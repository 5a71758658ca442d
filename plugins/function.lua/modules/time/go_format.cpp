// Go layouts, formatting (go_format.hpp), after Go's Time.appendFormat.
#include "modules/time/go_format.hpp"

#include "modules/time/go_layout.hpp"

#include <cstdlib>

namespace modrt::lua::gotime {
namespace {

// x in decimal, at least `width` digits (zero-padded), '-' first when negative.
void append_int(std::string& out, int64_t x, int width) {
    uint64_t u = static_cast<uint64_t>(x);
    if (x < 0) {
        out += '-';
        u = 0 - u;
    }
    std::string digits = std::to_string(u);
    for (int i = static_cast<int>(digits.size()); i < width; ++i) out += '0';
    out += digits;
}

void append_nanos(std::string& out, int32_t nsec, const LayoutChunk& c) {
    const bool trim = c.elem == LayoutElem::frac_second9;
    const int n = c.frac_digits > 9 ? 9 : c.frac_digits;
    if (trim && (n == 0 || nsec == 0)) return;
    std::string digits;
    append_int(digits, nsec, 9);
    digits.resize(static_cast<size_t>(n));
    if (trim) {
        while (!digits.empty() && digits.back() == '0') digits.pop_back();
        if (digits.empty()) return;
    }
    out += c.frac_separator;
    out += digits;
}

void append_offset(std::string& out, int32_t offset, LayoutElem e) {
    const bool iso = e == LayoutElem::iso8601_tz || e == LayoutElem::iso8601_colon_tz ||
                     e == LayoutElem::iso8601_seconds_tz || e == LayoutElem::iso8601_short_tz ||
                     e == LayoutElem::iso8601_colon_seconds_tz;
    if (offset == 0 && iso) {
        out += 'Z';
        return;
    }
    int zone = offset / 60;  // minutes
    int abs_offset = offset;
    if (zone < 0) {
        out += '-';
        zone = -zone;
        abs_offset = -abs_offset;
    } else {
        out += '+';
    }
    append_int(out, zone / 60, 2);
    const bool colon = e == LayoutElem::iso8601_colon_tz || e == LayoutElem::num_colon_tz ||
                       e == LayoutElem::iso8601_colon_seconds_tz || e == LayoutElem::num_colon_seconds_tz;
    if (colon) out += ':';
    if (e != LayoutElem::num_short_tz && e != LayoutElem::iso8601_short_tz) append_int(out, zone % 60, 2);
    const bool seconds = e == LayoutElem::iso8601_seconds_tz || e == LayoutElem::num_seconds_tz ||
                         e == LayoutElem::num_colon_seconds_tz || e == LayoutElem::iso8601_colon_seconds_tz;
    if (seconds) {
        if (e == LayoutElem::num_colon_seconds_tz || e == LayoutElem::iso8601_colon_seconds_tz) out += ':';
        append_int(out, abs_offset % 60, 2);
    }
}

}  // namespace

std::string format_instant(const Instant& t, std::string_view layout) {
    const Broken b = broken_down(t);
    std::string out;
    out.reserve(layout.size() + 10);
    while (!layout.empty()) {
        LayoutChunk c = next_layout_chunk(layout);
        out += c.prefix;
        if (c.elem == LayoutElem::none) break;
        layout = c.suffix;
        switch (c.elem) {
            case LayoutElem::none: break;
            case LayoutElem::year: append_int(out, std::llabs(b.year) % 100, 2); break;
            case LayoutElem::long_year: append_int(out, b.year, 4); break;
            case LayoutElem::month: out.append(kLongMonthNames[b.month - 1], 3); break;
            case LayoutElem::long_month: out += kLongMonthNames[b.month - 1]; break;
            case LayoutElem::num_month: append_int(out, b.month, 0); break;
            case LayoutElem::zero_month: append_int(out, b.month, 2); break;
            case LayoutElem::weekday: out.append(kLongDayNames[b.weekday], 3); break;
            case LayoutElem::long_weekday: out += kLongDayNames[b.weekday]; break;
            case LayoutElem::day: append_int(out, b.day, 0); break;
            case LayoutElem::under_day:
                if (b.day < 10) out += ' ';
                append_int(out, b.day, 0);
                break;
            case LayoutElem::zero_day: append_int(out, b.day, 2); break;
            case LayoutElem::under_year_day:
                if (b.yday < 100) out += b.yday < 10 ? "  " : " ";
                append_int(out, b.yday, 0);
                break;
            case LayoutElem::zero_year_day: append_int(out, b.yday, 3); break;
            case LayoutElem::hour: append_int(out, b.hour, 2); break;
            case LayoutElem::hour12: append_int(out, b.hour % 12 == 0 ? 12 : b.hour % 12, 0); break;
            case LayoutElem::zero_hour12: append_int(out, b.hour % 12 == 0 ? 12 : b.hour % 12, 2); break;
            case LayoutElem::minute: append_int(out, b.minute, 0); break;
            case LayoutElem::zero_minute: append_int(out, b.minute, 2); break;
            case LayoutElem::second: append_int(out, b.second, 0); break;
            case LayoutElem::zero_second: append_int(out, b.second, 2); break;
            case LayoutElem::pm_upper: out += b.hour >= 12 ? "PM" : "AM"; break;
            case LayoutElem::pm_lower: out += b.hour >= 12 ? "pm" : "am"; break;
            case LayoutElem::tz_abbrev:
                if (!b.abbrev.empty()) {
                    out += b.abbrev;
                } else {  // no abbreviation known: Go writes -0700
                    int zone = b.offset / 60;
                    out += zone < 0 ? '-' : '+';
                    if (zone < 0) zone = -zone;
                    append_int(out, zone / 60, 2);
                    append_int(out, zone % 60, 2);
                }
                break;
            case LayoutElem::frac_second0:
            case LayoutElem::frac_second9: append_nanos(out, b.nsec, c); break;
            default: append_offset(out, b.offset, c.elem); break;
        }
    }
    return out;
}

std::string instant_string(const Instant& t) { return format_instant(t, "2006-01-02 15:04:05.999999999 -0700 MST"); }

}  // namespace modrt::lua::gotime
