// Wippy's Location value (time.md "Time Zones").
//
//   time.load_location(name)      Location, err: an IANA name from the system's
//                                 zoneinfo ("UTC", "Local" too). INVALID for an
//                                 empty or bad name, NOT_FOUND for an unknown one
//   time.fixed_zone(name, secs)   Location with a fixed offset east of UTC
//   time.utc, time.localtz        UTC and the local zone ($TZ, /etc/localtime)
//   loc:string(), tostring(loc)   the name ("UTC", "Local", "America/New_York")
//
// A Location holds its zone (shared with the Times shown in it). Zones loaded by
// name are kept per lua_State, so a name's file is read once per worker.
#pragma once

#include "modules/time/zone.hpp"

#include <lua.hpp>

#include <memory>

namespace modrt::lua {

/// Push a Location of `zone` (null: UTC). Raises on memory errors.
void push_location(lua_State* L, std::shared_ptr<const gotime::Zone> zone);
/// The zone of the Location at `idx` (null: UTC), or nullptr when it is not a Location.
const std::shared_ptr<const gotime::Zone>* test_location(lua_State* L, int idx);

/// The local zone of this state (loaded on first use, then kept). May raise (memory).
std::shared_ptr<const gotime::Zone> local_zone(lua_State* L);
/// Push this state's Location for UTC / the local zone.
void push_utc_location(lua_State* L);
void push_local_location(lua_State* L);

/// time.load_location and time.fixed_zone.
int time_load_location(lua_State* L);
int time_fixed_zone(lua_State* L);

}  // namespace modrt::lua
