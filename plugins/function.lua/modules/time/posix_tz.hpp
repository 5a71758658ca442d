// POSIX TZ rules ("EST5EDT,M3.2.0,M11.1.0"), as the footer of a TZif file
// gives them for instants after its last transition. Evaluated as Go's
// time.tzset does. Pure C++, no Lua.
#pragma once

#include "modules/time/zone.hpp"

#include <optional>
#include <string_view>

namespace modrt::lua::gotime {

/// What `rule` gives for Unix second `unix`; `last_transition` starts the span
/// of a rule without DST. The abbreviations point into `rule`. nullopt when the
/// rule is malformed.
std::optional<ZoneSpan> posix_tz_lookup(std::string_view rule, int64_t last_transition, int64_t unix) noexcept;

}  // namespace modrt::lua::gotime
