// Durations written in a registry or in per-call options: a number of
// milliseconds (100, 2.5) or a number with a unit ("250us", "100ms", "2s",
// "1.5m", "1h"). One parser shared by every interceptor so that all of them
// read a duration the same way (header-only, C++ only).
#ifndef MODRT_DURATION_HPP
#define MODRT_DURATION_HPP

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace modrt {

/// Longest duration accepted (about 292 years would overflow int64 nanoseconds; a day is plenty).
inline constexpr std::chrono::nanoseconds kMaxDuration = std::chrono::hours(24 * 365);

/// A duration of `ms` milliseconds; nullopt when negative, not finite or too long.
inline std::optional<std::chrono::nanoseconds> duration_from_ms(double ms) {
    if (!std::isfinite(ms) || ms < 0 || ms * 1e6 > static_cast<double>(kMaxDuration.count())) return std::nullopt;
    return std::chrono::nanoseconds(static_cast<int64_t>(std::llround(ms * 1e6)));
}

/// The duration in `text` ("100ms", "2s", "1.5m", "250us", "10ns", "1h", or a bare number of
/// milliseconds); nullopt when it is not a duration, is negative or too long.
inline std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    size_t digits = 0;
    bool dot = false;
    for (; digits < text.size(); ++digits) {
        char c = text[digits];
        if (c == '.' && !dot) dot = true;
        else if (c < '0' || c > '9') break;
    }
    if (digits == 0 || (digits == 1 && dot)) return std::nullopt;
    // std::from_chars for double is missing from older standard libraries; stod is fine for a registry value.
    double amount = 0;
    try {
        amount = std::stod(std::string(text.substr(0, digits)));
    } catch (...) {  // out of range
        return std::nullopt;
    }
    std::string_view unit = text.substr(digits);
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    struct Unit {
        std::string_view name;
        double ms;
    };
    constexpr Unit kUnits[] = {{"", 1},      {"ms", 1},        {"ns", 1e-6},      {"us", 1e-3},
                               {"s", 1000},  {"m", 60 * 1000}, {"h", 3600 * 1000}};
    for (const Unit& u : kUnits)
        if (unit == u.name) return duration_from_ms(amount * u.ms);
    return std::nullopt;
}

/// How a duration reads back in messages: "1500ms" below a minute, else "90s".
inline std::string format_duration(std::chrono::nanoseconds d) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    if (ms < 60 * 1000) return std::to_string(ms) + "ms";
    return std::to_string(ms / 1000) + "s";
}

}  // namespace modrt

#endif
