// Layout elements (go_layout.hpp), after Go's nextStdChunk.
#include "modules/time/go_layout.hpp"

namespace modrt::lua::gotime {
namespace {

bool starts_lower(std::string_view s) { return !s.empty() && s[0] >= 'a' && s[0] <= 'z'; }

}  // namespace

bool is_offset_elem(LayoutElem e) noexcept {
    switch (e) {
        case LayoutElem::iso8601_tz:
        case LayoutElem::iso8601_seconds_tz:
        case LayoutElem::iso8601_short_tz:
        case LayoutElem::iso8601_colon_tz:
        case LayoutElem::iso8601_colon_seconds_tz:
        case LayoutElem::num_tz:
        case LayoutElem::num_seconds_tz:
        case LayoutElem::num_short_tz:
        case LayoutElem::num_colon_tz:
        case LayoutElem::num_colon_seconds_tz: return true;
        default: return false;
    }
}

LayoutChunk next_layout_chunk(std::string_view layout) noexcept {
    auto chunk = [&](size_t at, size_t len, LayoutElem e) {
        return LayoutChunk{layout.substr(0, at), e, layout.substr(at, len), layout.substr(at + len)};
    };
    auto at = [&](size_t i, std::string_view word) { return layout.substr(i, word.size()) == word; };
    for (size_t i = 0; i < layout.size(); ++i) {
        switch (layout[i]) {
            case 'J':
                if (at(i, "Jan")) {
                    if (at(i, "January")) return chunk(i, 7, LayoutElem::long_month);
                    if (!starts_lower(layout.substr(i + 3))) return chunk(i, 3, LayoutElem::month);
                }
                break;
            case 'M':
                if (at(i, "Mon")) {
                    if (at(i, "Monday")) return chunk(i, 6, LayoutElem::long_weekday);
                    if (!starts_lower(layout.substr(i + 3))) return chunk(i, 3, LayoutElem::weekday);
                }
                if (at(i, "MST")) return chunk(i, 3, LayoutElem::tz_abbrev);
                break;
            case '0':
                if (i + 1 < layout.size() && layout[i + 1] >= '1' && layout[i + 1] <= '6') {
                    constexpr LayoutElem kZeroElems[] = {LayoutElem::zero_month,  LayoutElem::zero_day,
                                                         LayoutElem::zero_hour12, LayoutElem::zero_minute,
                                                         LayoutElem::zero_second, LayoutElem::year};
                    return chunk(i, 2, kZeroElems[layout[i + 1] - '1']);
                }
                if (at(i, "002")) return chunk(i, 3, LayoutElem::zero_year_day);
                break;
            case '1':
                if (at(i, "15")) return chunk(i, 2, LayoutElem::hour);
                return chunk(i, 1, LayoutElem::num_month);
            case '2':
                if (at(i, "2006")) return chunk(i, 4, LayoutElem::long_year);
                return chunk(i, 1, LayoutElem::day);
            case '_':
                if (at(i, "_2")) {
                    // "_2006" is a literal '_' and then the year.
                    if (at(i + 1, "2006")) return chunk(i + 1, 4, LayoutElem::long_year);
                    return chunk(i, 2, LayoutElem::under_day);
                }
                if (at(i, "__2")) return chunk(i, 3, LayoutElem::under_year_day);
                break;
            case '3': return chunk(i, 1, LayoutElem::hour12);
            case '4': return chunk(i, 1, LayoutElem::minute);
            case '5': return chunk(i, 1, LayoutElem::second);
            case 'P':
                if (at(i, "PM")) return chunk(i, 2, LayoutElem::pm_upper);
                break;
            case 'p':
                if (at(i, "pm")) return chunk(i, 2, LayoutElem::pm_lower);
                break;
            case '-':
                if (at(i, "-070000")) return chunk(i, 7, LayoutElem::num_seconds_tz);
                if (at(i, "-07:00:00")) return chunk(i, 9, LayoutElem::num_colon_seconds_tz);
                if (at(i, "-0700")) return chunk(i, 5, LayoutElem::num_tz);
                if (at(i, "-07:00")) return chunk(i, 6, LayoutElem::num_colon_tz);
                if (at(i, "-07")) return chunk(i, 3, LayoutElem::num_short_tz);
                break;
            case 'Z':
                if (at(i, "Z070000")) return chunk(i, 7, LayoutElem::iso8601_seconds_tz);
                if (at(i, "Z07:00:00")) return chunk(i, 9, LayoutElem::iso8601_colon_seconds_tz);
                if (at(i, "Z0700")) return chunk(i, 5, LayoutElem::iso8601_tz);
                if (at(i, "Z07:00")) return chunk(i, 6, LayoutElem::iso8601_colon_tz);
                if (at(i, "Z07")) return chunk(i, 3, LayoutElem::iso8601_short_tz);
                break;
            case '.':
            case ',':
                // ".000" / ".999" (or with ','): fractional seconds, if no digit follows the run.
                if (i + 1 < layout.size() && (layout[i + 1] == '0' || layout[i + 1] == '9')) {
                    const char ch = layout[i + 1];
                    size_t j = i + 1;
                    while (j < layout.size() && layout[j] == ch) ++j;
                    if (!digit_at(layout, j)) {
                        LayoutChunk c = chunk(i, j - i,
                                              ch == '0' ? LayoutElem::frac_second0 : LayoutElem::frac_second9);
                        c.frac_digits = static_cast<int>(j - (i + 1));
                        c.frac_separator = layout[i];
                        return c;
                    }
                }
                break;
            default: break;
        }
    }
    return LayoutChunk{layout, LayoutElem::none, {}, {}};
}

}  // namespace modrt::lua::gotime
