// Go duration strings (go_duration.hpp).
#include "modules/time/go_duration.hpp"

#include <modrt/duration.hpp>

#include <cstdint>

namespace modrt::lua::gotime {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// One part's unit as modrt's parser spells it; empty when Go knows no such unit.
std::string_view modrt_unit(std::string_view unit) {
    if (unit == "ns" || unit == "us" || unit == "ms" || unit == "s" || unit == "m" || unit == "h") return unit;
    if (unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return "us";  // U+00B5 micro sign, U+03BC mu
    return {};
}

// The fraction of v / 10^prec (".25"), trailing zeros and a bare point dropped; v becomes the integer part.
void append_fraction(std::string& out, uint64_t& v, int prec) {
    char digits[16];
    int n = 0;
    bool print = false;
    for (int i = 0; i < prec; ++i) {
        char digit = static_cast<char>('0' + v % 10);
        print = print || digit != '0';
        if (print) digits[n++] = digit;
        v /= 10;
    }
    if (!print) return;
    out += '.';
    while (n > 0) out += digits[--n];
}

}  // namespace

std::string go_quote(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "\"";
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c >= 0x80) {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
            continue;
        }
        if (c == '"' || c == '\\') out += '\\';
        out += ch;
    }
    out += '"';
    return out;
}

std::optional<int64_t> parse_go_duration(std::string_view text, std::string* why) {
    const std::string_view orig = text;
    auto invalid = [&] {
        *why = "time: invalid duration " + go_quote(orig);
        return std::nullopt;
    };
    bool neg = false;
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
        neg = text[0] == '-';
        text.remove_prefix(1);
    }
    if (text == "0") return 0;
    if (text.empty()) return invalid();
    constexpr uint64_t kLimit = uint64_t{1} << 63;  // |d| of a negative duration may reach 2^63
    uint64_t total = 0;
    while (!text.empty()) {
        // [0-9]*(\.[0-9]*)? with at least one digit, then the unit: everything up to the next digit or '.'.
        size_t i = 0;
        while (i < text.size() && is_digit(text[i])) ++i;
        bool digits = i > 0;
        if (i < text.size() && text[i] == '.') {
            ++i;
            size_t frac = i;
            while (i < text.size() && is_digit(text[i])) ++i;
            digits = digits || i > frac;
        }
        if (!digits) return invalid();
        const std::string_view number = text.substr(0, i);
        size_t u = i;
        while (u < text.size() && !is_digit(text[u]) && text[u] != '.') ++u;
        const std::string_view unit = text.substr(i, u - i);
        if (unit.empty()) {
            *why = "time: missing unit in duration " + go_quote(orig);
            return std::nullopt;
        }
        const std::string_view known = modrt_unit(unit);
        if (known.empty()) {
            *why = "time: unknown unit " + go_quote(unit) + " in duration " + go_quote(orig);
            return std::nullopt;
        }
        auto part = modrt::parse_duration(std::string(number) + std::string(known), modrt::kMaxTimeout);
        if (!part) return invalid();  // longer than int64 nanoseconds hold
        total += static_cast<uint64_t>(part->count());
        if (total > kLimit) return invalid();
        text.remove_prefix(u);
    }
    if (neg) return static_cast<int64_t>(0 - total);  // two's complement: 2^63 becomes INT64_MIN
    if (total > kLimit - 1) return invalid();
    return static_cast<int64_t>(total);
}

std::string format_go_duration(int64_t ns) {
    const bool neg = ns < 0;
    uint64_t u = neg ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
    std::string out;  // built backwards, reversed at the end
    auto append_int = [&](uint64_t v) {
        std::string digits = std::to_string(v);
        out.append(digits.rbegin(), digits.rend());
    };
    auto append_frac = [&](int prec) {
        std::string frac;
        append_fraction(frac, u, prec);
        out.append(frac.rbegin(), frac.rend());
    };
    if (u < static_cast<uint64_t>(kNanosPerSecond)) {
        if (u == 0) return "0s";
        out += 's';
        int prec = 0;
        if (u < 1000) {
            out += 'n';
        } else if (u < 1000000) {
            prec = 3;
            out += "\xB5\xC2";  // "µ", reversed
        } else {
            prec = 6;
            out += 'm';
        }
        append_frac(prec);
        append_int(u);
    } else {
        out += 's';
        append_frac(9);
        append_int(u % 60);
        u /= 60;
        if (u > 0) {
            out += 'm';
            append_int(u % 60);
            u /= 60;
            if (u > 0) {
                out += 'h';
                append_int(u);
            }
        }
    }
    if (neg) out += '-';
    return std::string(out.rbegin(), out.rend());
}

}  // namespace modrt::lua::gotime
