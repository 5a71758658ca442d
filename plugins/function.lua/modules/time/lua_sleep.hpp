// time.sleep(d) (time.md "Scheduling"): blocks the calling function for d
// (a number of nanoseconds, a string such as "500ms", or a Duration) on its own
// thread, and returns early when the call is canceled or passes its deadline,
// raising CANCELED / TIMEOUT as the cancellation hook does (pcall cannot
// swallow it). d <= 0 returns at once; a bad d raises INVALID. Outside a call
// (a module's top level at registry load) it raises INTERNAL.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

int time_sleep(lua_State* L);
/// sleep_deadline(d): the now_ns time a sleep of d ends, or nil when d <= 0;
/// raises INVALID for a bad d as time.sleep does (for the channel chunk).
int time_sleep_deadline(lua_State* L);

}  // namespace modrt::lua
