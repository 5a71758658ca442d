// Finding zones by IANA name in the system's zoneinfo directories, and the
// process's local zone, as Go's LoadLocation and time.Local do (without Go's
// embedded tzdata). Pure C++, no Lua.
#pragma once

#include "modules/time/zone.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace modrt::lua::gotime {

struct ZoneLoad {
    enum class Status { ok, invalid_name, not_found };
    Status status = Status::ok;
    std::shared_ptr<const Zone> zone;  ///< null with ok: UTC
    std::string message;               ///< Go's message when not ok
};

/// The zone `name` ("America/New_York"; "UTC" is UTC; "Local" the local zone):
/// read from $ZONEINFO (a directory) or the system's zoneinfo directories.
/// An empty name, a name with "..", or one starting with '/' or '\' is invalid_name.
ZoneLoad load_zone(std::string_view name);

/// The local zone, named "Local": $TZ ("" or "UTC" is UTC, ":name" and "/path" as
/// tzset reads them), else /etc/localtime; UTC (null) when none can be read.
std::shared_ptr<const Zone> load_local_zone();

}  // namespace modrt::lua::gotime
