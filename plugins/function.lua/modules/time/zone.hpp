// A time zone as Go's time.Location holds it: the kinds of local time it
// has (offset, abbreviation, DST flag), the instants it switches between them,
// and a POSIX TZ rule for instants after the last switch (posix_tz.hpp).
// Immutable once built and shared (std::shared_ptr<const Zone>); a null zone
// is UTC. Pure C++, no Lua.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace modrt::lua::gotime {

/// Bounds of "all time" for zone spans (Go's alpha and omega).
inline constexpr int64_t kAlpha = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kOmega = std::numeric_limits<int64_t>::max();

struct ZoneType {
    std::string abbrev;  ///< "EST"
    int32_t offset = 0;  ///< seconds east of UTC
    bool dst = false;
};

struct ZoneTransition {
    int64_t when = 0;  ///< Unix seconds from which `type` applies
    uint8_t type = 0;  ///< index into Zone::types
};

struct Zone {
    std::string name;                         ///< "America/New_York", "Local", a fixed zone's name
    std::vector<ZoneType> types;              ///< at least one
    std::vector<ZoneTransition> transitions;  ///< ascending
    std::string rule;                         ///< POSIX TZ rule after the last transition ("" none)
    size_t first_type = 0;                    ///< the type before the first transition
};

/// The local time in effect at an instant: abbreviation, offset, and the span
/// [start, end) of Unix seconds over which it holds.
struct ZoneSpan {
    std::string_view abbrev;  ///< points into the zone (or a literal for UTC)
    int32_t offset = 0;
    int64_t start = kAlpha;
    int64_t end = kOmega;
    bool dst = false;
};

/// A zone with one offset for all time (Go's FixedZone).
std::shared_ptr<const Zone> fixed_zone(std::string name, int32_t offset);
/// Pick Zone::first_type as Go does (lookupFirstZone); call once the zone is filled.
void choose_first_type(Zone& zone);

/// What holds at Unix second `unix` in `zone` (null: UTC).
ZoneSpan zone_lookup(const Zone* zone, int64_t unix) noexcept;
/// The name of `zone` ("UTC" for null).
std::string_view zone_name(const Zone* zone) noexcept;
/// The offset of abbreviation `abbrev` in `zone` around `unix` (Go's lookupName):
/// preferably one in effect then, else any type with that abbreviation.
std::optional<int32_t> zone_offset_of(const Zone* zone, std::string_view abbrev, int64_t unix) noexcept;

}  // namespace modrt::lua::gotime
