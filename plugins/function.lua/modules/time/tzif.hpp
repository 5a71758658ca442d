// Reading TZif data (RFC 8536: /usr/share/zoneinfo files, versions 1-4) into
// a Zone, as Go's LoadLocationFromTZData does. Pure C++, no Lua.
#pragma once

#include "modules/time/zone.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace modrt::lua::gotime {

/// The zone named `name` that `data` describes; nullptr with *why set when the data is malformed.
std::shared_ptr<const Zone> parse_tzif(std::string name, std::string_view data, std::string* why);

}  // namespace modrt::lua::gotime
