// trigger.schedule: parsing and evaluating 5-field cron expressions (see cron_expression.hpp).
#include "cron_expression.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <span>
#include <vector>

namespace modrt::schedule {

namespace {

namespace chr = std::chrono;

constexpr std::array<std::string_view, 12> kMonthNames{"jan", "feb", "mar", "apr", "may", "jun",
                                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kDayNames{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

struct FieldSpec {
    std::string_view name;
    int lo;
    int hi;
    // Where `*` and `a/n` stop. Below `hi` only for day-of-week: 7 is just another spelling of
    // Sunday, so "mon/2" means Mon, Wed, Fri rather than also Sunday.
    int last;
    std::span<const std::string_view> names;  // names[i] spells value lo + i; empty when the field has none
};

constexpr std::array<FieldSpec, 5> kFields{{
    {"minute", 0, 59, 59, {}},
    {"hour", 0, 23, 23, {}},
    {"day-of-month", 1, 31, 31, {}},
    {"month", 1, 12, 12, kMonthNames},
    {"day-of-week", 0, 7, 6, kDayNames},
}};

constexpr std::string_view kFieldCountError = "expected 5 fields (minute hour day-of-month month day-of-week), got ";

struct Macro {
    std::string_view name;
    std::string_view expansion;
};

constexpr std::array<Macro, 7> kMacros{{
    {"@yearly", "0 0 1 1 *"},
    {"@annually", "0 0 1 1 *"},
    {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"},
    {"@daily", "0 0 * * *"},
    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
}};

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

[[noreturn]] void fail(const FieldSpec& f, const std::string& what) {
    throw CronError(std::string(f.name) + ": " + what);
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) { return lower(x) == lower(y); });
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// A number in lo..hi, or nullopt; digits-only text too long for an int is out of range too.
std::optional<int> to_int(std::string_view digits, int lo, int hi) {
    int v = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc{} || end != digits.data() + digits.size() || v < lo || v > hi) return std::nullopt;
    return v;
}

std::string range_text(int lo, int hi) { return std::to_string(lo) + "-" + std::to_string(hi); }

int parse_value(const FieldSpec& f, std::string_view token, std::string_view item) {
    if (token.empty()) fail(f, "missing value in " + quoted(item));
    if (all_digits(token)) {
        if (auto v = to_int(token, f.lo, f.hi)) return *v;
        fail(f, std::string(token) + " is out of range " + range_text(f.lo, f.hi));
    }
    for (std::size_t i = 0; i < f.names.size(); ++i) {
        if (iequals(token, f.names[i])) return f.lo + static_cast<int>(i);
    }
    if (!f.names.empty() && is_letter(token.front())) {
        fail(f, "unknown name " + quoted(token) + " (expected " + std::string(f.names.front()) + ".." +
                    std::string(f.names.back()) + ")");
    }
    fail(f, quoted(token) + " is not a number");
}

int parse_step(const FieldSpec& f, std::string_view token, std::string_view item) {
    if (token.empty()) fail(f, "missing step after \"/\" in " + quoted(item));
    if (!all_digits(token)) fail(f, "step " + quoted(token) + " is not a number");
    // A step past the field's span would select only the start value: almost certainly a
    // mistake ("*/90" for "every 90 minutes"), so it is refused rather than quietly obeyed.
    const int span = f.last - f.lo + 1;
    if (auto v = to_int(token, 1, span)) return *v;
    fail(f, "step " + std::string(token) + " is out of range " + range_text(1, span));
}

// One list item: `*`, `a`, `a-b`, each optionally followed by `/n`.
void parse_item(const FieldSpec& f, std::string_view item, std::bitset<64>& bits) {
    const auto slash = item.find('/');
    const bool stepped = slash != std::string_view::npos;
    const std::string_view range = item.substr(0, slash);

    int lo = f.lo, hi = f.last;
    if (range != "*") {
        const auto dash = range.find('-');
        lo = parse_value(f, range.substr(0, dash), item);
        if (dash != std::string_view::npos) {
            hi = parse_value(f, range.substr(dash + 1), item);
        } else {
            hi = stepped ? std::max(lo, f.last) : lo;  // `a/n` runs from a to the end of the field
        }
        if (lo > hi) fail(f, "range " + quoted(range) + " is reversed");
    }
    const int step = stepped ? parse_step(f, item.substr(slash + 1), item) : 1;
    for (int v = lo; v <= hi; v += step) bits.set(static_cast<std::size_t>(v));
}

std::bitset<64> parse_field(const FieldSpec& f, std::string_view text) {
    std::bitset<64> bits;
    for (std::size_t start = 0;;) {
        const auto comma = text.find(',', start);
        const std::string_view item = text.substr(start, comma - start);
        if (item.empty()) fail(f, "empty list item in " + quoted(text));
        parse_item(f, item, bits);
        if (comma == std::string_view::npos) return bits;
        start = comma + 1;
    }
}

std::vector<std::string_view> split_fields(std::string_view text) {
    std::vector<std::string_view> fields;
    constexpr std::string_view kBlanks = " \t";
    for (auto start = text.find_first_not_of(kBlanks); start != std::string_view::npos;
         start = text.find_first_not_of(kBlanks, start)) {
        const auto end = std::min(text.find_first_of(kBlanks, start), text.size());
        fields.push_back(text.substr(start, end - start));
        start = end;
    }
    return fields;
}

std::string_view expand_macro(std::string_view macro) {
    for (const auto& m : kMacros) {
        if (iequals(macro, m.name)) return m.expansion;
    }
    if (iequals(macro, "@reboot")) throw CronError("@reboot is not supported: it fires at startup, not on a schedule");
    throw CronError("unknown macro " + quoted(macro) +
                    " (expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)");
}

}  // namespace

CronExpression CronExpression::parse(std::string_view text) {
    std::vector<std::string_view> fields = split_fields(text);
    if (!fields.empty() && fields.front().starts_with('@')) {
        if (fields.size() != 1) throw CronError(std::string(fields.front()) + " must be the whole expression");
        fields = split_fields(expand_macro(fields.front()));
    }
    if (fields.size() != 5) throw CronError(std::string(kFieldCountError) + std::to_string(fields.size()));

    CronExpression e;
    e.text_ = text;
    e.minutes_ = parse_field(kFields[0], fields[0]);
    e.hours_ = parse_field(kFields[1], fields[1]);
    e.days_of_month_ = parse_field(kFields[2], fields[2]);
    e.months_ = parse_field(kFields[3], fields[3]);
    e.days_of_week_ = parse_field(kFields[4], fields[4]);
    if (e.days_of_week_.test(7)) {
        e.days_of_week_.reset(7);
        e.days_of_week_.set(0);
    }
    // Vixie cron decides by the first character, not by the bits: "*/2" in day-of-month still
    // counts as unrestricted, so "0 0 */2 * mon" means odd-numbered days that are Mondays.
    e.day_or_ = !fields[2].starts_with('*') && !fields[4].starts_with('*');
    return e;
}

std::optional<chr::sys_seconds> CronExpression::next_after(chr::sys_seconds after) const {
    // The next whole minute: seconds are dropped, and `after` itself never counts.
    const chr::sys_time<chr::minutes> start = chr::floor<chr::minutes>(after) + chr::minutes{1};
    chr::sys_days day = chr::floor<chr::days>(start);
    chr::minutes from = start - day;
    // The Gregorian calendar, weekdays included, repeats every 400 years (146097 days, a whole
    // number of weeks), so a day not found within that span never comes. A shorter horizon would
    // be wrong for real expressions: "0 0 29 2 *" skips 2100 (8 years), "0 0 29 2 */7" (a
    // Sunday 29 February) can be 28 or more years away.
    const chr::sys_days end = day + chr::days{146097};
    while (day < end) {
        const chr::year_month_day date{day};
        if (!months_.test(static_cast<unsigned>(date.month()))) {
            day = chr::sys_days{date.year() / date.month() / 1 + chr::months{1}};
        } else if (day_matches(date, chr::weekday{day})) {
            if (auto time = first_time_from(from)) return day + *time;
            ++day;
        } else {
            ++day;
        }
        from = chr::minutes{0};
    }
    return std::nullopt;
}

const std::string& CronExpression::text() const { return text_; }

bool CronExpression::day_matches(chr::year_month_day date, chr::weekday weekday) const {
    const bool dom = days_of_month_.test(static_cast<unsigned>(date.day()));
    const bool dow = days_of_week_.test(weekday.c_encoding());
    return day_or_ ? dom || dow : dom && dow;
}

std::optional<chr::minutes> CronExpression::first_time_from(chr::minutes from) const {
    const int first_hour = static_cast<int>(from.count() / 60);
    for (int h = first_hour; h < 24; ++h) {
        if (!hours_.test(h)) continue;
        for (int m = h == first_hour ? static_cast<int>(from.count() % 60) : 0; m < 60; ++m) {
            if (minutes_.test(m)) return chr::hours{h} + chr::minutes{m};
        }
    }
    return std::nullopt;
}

}  // namespace modrt::schedule
