// Durations written in a registry, in per-call options, on the command line or
// in Lua call options: a number of milliseconds (100, 2.5, 1e3) or a number
// with a unit ("250us", "100ms", "2s", "1.5m", "1h"). The one parser of the
// project (interceptors, the Lua plugin, the CLI), so that every place reads a
// duration the same way (header-only, C++ only).
#ifndef MODRT_DURATION_HPP
#define MODRT_DURATION_HPP

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace modrt {

/// Longest duration accepted by default: a year. Interceptors add their settings to
/// clock readings, so they keep well away from int64 nanoseconds' ~292 years.
inline constexpr std::chrono::nanoseconds kMaxDuration = std::chrono::hours(24 * 365);
/// Longest a call's timeout may be (pass it as `max`): what int64 nanoseconds hold, with a
/// margin; a timeout is added to the clock once, by the kernel.
inline constexpr std::chrono::nanoseconds kMaxTimeout = std::chrono::nanoseconds(9'200'000'000'000'000'000);

/// A duration of `ms` milliseconds; nullopt when negative, not finite or longer than `max`.
inline std::optional<std::chrono::nanoseconds> duration_from_ms(double ms,
                                                                std::chrono::nanoseconds max = kMaxDuration) {
    if (!std::isfinite(ms) || ms < 0 || ms * 1e6 > static_cast<double>(max.count())) return std::nullopt;
    return std::chrono::nanoseconds(static_cast<int64_t>(std::llround(ms * 1e6)));
}

/// The duration in `text`: a number (decimal, exponent or hexadecimal as strtod reads it:
/// "100", "2.5", ".5", "1e3", "+5") that is milliseconds by itself or has one of the units
/// ns, us, ms, s, m, h after it ("100ms", "1.5m", " 3 s "; white space around the number
/// and before the unit is allowed). nullopt when it is not a duration, is negative or is
/// longer than `max` ("-0" is zero).
inline std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text,
                                                              std::chrono::nanoseconds max = kMaxDuration) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    if (text.empty()) return std::nullopt;
    // std::from_chars for double is missing from older standard libraries, and strtod needs a terminator.
    std::string buf(text);
    char* end = nullptr;
    double amount = std::strtod(buf.c_str(), &end);  // "inf" and "nan" are refused below, as not finite
    if (end == buf.c_str()) return std::nullopt;
    std::string_view unit(end);
    while (!unit.empty() && space(unit.front())) unit.remove_prefix(1);
    struct Unit {
        std::string_view name;
        double ms;
    };
    constexpr Unit kUnits[] = {{"", 1},     {"ms", 1},        {"ns", 1e-6},      {"us", 1e-3},
                               {"s", 1000}, {"m", 60 * 1000}, {"h", 3600 * 1000}};
    for (const Unit& u : kUnits)
        if (unit == u.name) return duration_from_ms(amount * u.ms, max);
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
