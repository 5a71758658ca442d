// time.after, time.timer and time.ticker (time.md "Scheduling"): channels
// that deliver a Time when due, usable with receive and channel.select
// (lua_channel.hpp's clock channels). Nothing runs in the background: a
// receive or select waits with a deadline on the calling thread, and a timer
// that nobody receives from costs nothing but its userdata.
//
//   time.after(d)     Channel, err: delivers one Time after d (d <= 0: at once)
//   time.timer(d)     Timer, err: a one-shot channel that can be stopped or reset
//     timer:response() / timer:channel()   its channel (the same one every time)
//     timer:stop()      true when it had not delivered yet; it then never does
//     timer:reset(d)    re-arms it to deliver after d (a value not yet received is
//                       dropped); true when it had not delivered yet
//   time.ticker(d)    Ticker, err: delivers a Time every d; a receiver slower than d
//                     gets the earliest tick it missed, then the next one due
//     ticker:response() / ticker:channel(), ticker:stop() (true when it was running)
//
// d is a number of nanoseconds, a string ("5s") or a Duration; a bad d, and
// d <= 0 for timer, reset and ticker, give INVALID. A channel of a stopped
// timer or ticker receives nothing more: waiting on it alone raises INVALID at
// once (as for futures' channels that have delivered) instead of blocking.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

int time_after(lua_State* L);
int time_timer(lua_State* L);
int time_ticker(lua_State* L);

}  // namespace modrt::lua
