// The `time` host module (Wippy's lua/core/time.md): time values, durations,
// zones, parsing and formatting with Go layouts, sleeps and timers. The entry
// lists `time` under `modules:`.
//
//   time.now()                                  Time (local zone, with a monotonic reading)
//   time.date(y, mon, d, h, min, s, ns, loc?)   Time (components normalised; loc defaults to local)
//   time.unix(sec, nsec)                        Time (local zone)
//   time.parse(layout, value, loc?)             Time, err (INVALID); loc defaults to local
//   time.parse_duration(v)                      Duration, err            (lua_duration.hpp)
//   time.load_location(name), time.fixed_zone   Location                 (lua_location.hpp)
//   time.sleep(d)                                                        (lua_sleep.hpp)
//   time.after(d), time.timer(d), time.ticker(d)                         (lua_timers.hpp)
//   time.utc, time.localtz; NANOSECOND..HOUR; RFC3339..STAMP_NANO; JANUARY..DECEMBER; SUNDAY..SATURDAY
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// lua_CFunction opener: pushes the module table (lua_require binds and seals it).
int open_time_module(lua_State* L);

}  // namespace modrt::lua
