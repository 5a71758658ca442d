// The `channel` global and the channels futures hand out (Wippy's channel.md).
//
// Only channels obtained from futures exist so far (future:response() /
// future:channel()). Such a channel delivers the call's result once, as a
// payload: `payload, true`; afterwards it stays open and empty, so a select
// over several futures' channels returns each result once. A call that fails
// or is canceled closes its channel: `nil, false` (future:result() /
// future:error() then give the error).
//
//   ch:receive()                           payload, ok; blocks
//   ch:case_receive()                      a case for channel.select
//   ch:close()                             later receives give nil, false
//   channel.select{c1, c2, ..., default=}  {channel=, value=, ok=} of the first ready case
//                                          ({default=true, ok=true} when none is and default is set)
//
// Blocking stops when the calling function is canceled or passes its
// deadline: receive and select then raise a CANCELED / TIMEOUT error, as the
// cancellation hook would. Waiting on channels that have all delivered (nothing
// can ever arrive) raises at once instead of blocking until the deadline.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// Push the channel of the future at `idx` (one per future, made on first use). Raises on memory errors.
void push_future_channel(lua_State* L, int idx);
/// Push a new `channel` table (not yet read-only; the sandbox wraps it).
void push_channel_module(lua_State* L);

}  // namespace modrt::lua
