// Go's time.Time without Lua: an instant (Unix seconds and nanoseconds), an
// optional monotonic clock reading (for elapsed time between two now()s), and
// the zone it is shown in. Durations are int64 nanoseconds, as Go's.
#pragma once

#include "modules/time/civil.hpp"
#include "modules/time/zone.hpp"

#include <cstdint>
#include <memory>
#include <optional>

namespace modrt::lua::gotime {

inline constexpr int64_t kNanosPerSecond = 1'000'000'000;

struct Instant {
    int64_t sec = kZeroTimeUnix;       ///< Unix seconds (default: Go's zero Time)
    int32_t nsec = 0;                  ///< [0, 1e9)
    int64_t mono = 0;                  ///< host now_ns reading; 0: none
    std::shared_ptr<const Zone> zone;  ///< null: UTC
};

/// The instant `sec` + `nsec` Unix (nsec normalised into [0, 1e9), as Go's time.Unix).
Instant unix_instant(int64_t sec, int64_t nsec, std::shared_ptr<const Zone> zone);

/// The wall clock of an instant in its zone.
struct Broken {
    int64_t year;
    int month, day, yday, weekday, hour, minute, second;
    int32_t nsec;
    std::string_view abbrev;  ///< the zone's abbreviation then (points into the zone)
    int32_t offset;           ///< seconds east of UTC then
};
Broken broken_down(const Instant& t) noexcept;

/// Go's time.Date: components are normalised (month 13 is January of the next
/// year, ...); the wall clock is read in `zone`. nullopt when the result is out
/// of int64 Unix seconds.
std::optional<Instant> date_instant(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t minute,
                                    int64_t second, int64_t nsec, std::shared_ptr<const Zone> zone);

Instant add(const Instant& t, int64_t d) noexcept;
/// t - u, saturated to the int64 range (as Go's Sub).
int64_t sub(const Instant& t, const Instant& u) noexcept;
/// Go's AddDate; nullopt when out of range.
std::optional<Instant> add_date(const Instant& t, int64_t years, int64_t months, int64_t days);
bool before(const Instant& t, const Instant& u) noexcept;
bool after(const Instant& t, const Instant& u) noexcept;
bool equal(const Instant& t, const Instant& u) noexcept;
/// Rounded / truncated to a multiple of d since the zero time; t itself (without
/// its monotonic reading) when d <= 0.
Instant round(const Instant& t, int64_t d) noexcept;
Instant truncate(const Instant& t, int64_t d) noexcept;
bool is_zero(const Instant& t) noexcept;
/// Unix nanoseconds (wraps past year 2262, as Go's UnixNano).
int64_t unix_nano(const Instant& t) noexcept;

}  // namespace modrt::lua::gotime
