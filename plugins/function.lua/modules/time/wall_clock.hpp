// The current time as the time module gives it: the wall clock, in the local
// zone, with a reading of the host's monotonic clock (now_ns) as Go's
// time.Now() carries one.
#pragma once

#include "modules/time/instant.hpp"

#include <lua.hpp>

namespace modrt::lua {

/// Now. May raise (memory, loading the local zone on first use).
gotime::Instant local_now(lua_State* L);
/// The time at now_ns reading `mono_ns` (now or earlier: a timer's due time).
gotime::Instant local_time_at(lua_State* L, int64_t mono_ns);

}  // namespace modrt::lua
