// Wippy's Time value (time.md "Time Methods"): Go's time.Time as a userdata
// holding a gotime::Instant.
//
//   t:add(d) t:sub(u) t:add_date(y, m, d)          arithmetic (d: number of ns, string or Duration)
//   t:before(u) t:after(u) t:equal(u)              comparison
//   t:format(layout) t:format_rfc3339()            Go layouts (go_format.hpp)
//   t:unix() t:unix_nano()                         Unix seconds / nanoseconds
//   t:date() t:clock() t:year() ... t:year_day()   wall clock in the Time's zone
//   t:is_zero()                                    Go's zero Time (January 1, year 1, UTC)
//   t:utc() t:in_local() t:in_location(loc) t:location()
//   t:round(d) t:truncate(d)                       d must be a Duration
//   tostring(t)                                    "2006-01-02 15:04:05.999999999 -0700 MST"
//
// A Time from time.now() carries a monotonic clock reading, as Go's does:
// t:sub(u) and the comparisons between two such Times use it, so elapsed time
// is right across wall-clock jumps.
#pragma once

#include "modules/time/instant.hpp"

#include <lua.hpp>

namespace modrt::lua {

/// Push a Time holding `t`. Raises on memory errors.
void push_time(lua_State* L, gotime::Instant t);
/// The instant of the Time at `idx`, or nullptr when it is not a Time.
const gotime::Instant* test_time(lua_State* L, int idx);
/// The instant of the Time at `idx`; raises a bad-argument error when it is not one.
const gotime::Instant& check_time(lua_State* L, int idx);

}  // namespace modrt::lua
