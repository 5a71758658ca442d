// Parsing a time string with a Go layout (Go's time.ParseInLocation). Pure C++.
#pragma once

#include "modules/time/instant.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace modrt::lua::gotime {

/// `value` read by `layout`. A value without a zone is in `zone`; an offset or
/// abbreviation in the value is matched against `zone` (else the result gets a
/// fixed zone with that offset, or with offset 0 for an unknown abbreviation,
/// as Go does). nullopt with *why set to Go's message
/// (`parsing time "x" as "2006-01-02": cannot parse "x" as "2006"`).
std::optional<Instant> parse_instant(std::string_view layout, std::string_view value,
                                     const std::shared_ptr<const Zone>& zone, std::string* why);

}  // namespace modrt::lua::gotime
