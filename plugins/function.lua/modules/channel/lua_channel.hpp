// The `channel` global and the channels futures hand out (Wippy's channel.md).
//
// Besides clock channels (below), only channels obtained from futures exist
// so far (future:response() / future:channel()). Such a channel delivers the
// call's result once, as a payload: `payload, true`; afterwards it stays open
// and empty, so a select over several futures' channels returns each result
// once. A call that fails or is canceled closes its channel: `nil, false`
// (future:result() / future:error() then give the error).
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
//
// Clock channels (time.after, timers and tickers of the time module) are
// channels too: one is ready once its next value is due on the host's now_ns
// clock, and a blocked receive or select waits for it with a deadline on the
// calling thread (no thread per timer). A ticker's next value is then due at
// its next tick; a one-shot channel has nothing more to deliver.
#pragma once

#include <lua.hpp>

#include <cstdint>
#include <limits>

namespace modrt::lua {

/// What a clock channel delivers and when (trivially destructible; lives in the channel userdata).
struct ClockChannel {
    static constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
    int64_t due_ns = kNever;  ///< host now_ns when the next value is due; kNever: nothing more will come
    int64_t interval_ns = 0;  ///< > 0: a ticker, due again every interval after a value goes out
    /// Pushes the value a receive gives for the value due at `due_ns` (now_ns clock). May raise.
    void (*push_value)(lua_State* L, int64_t due_ns) = nullptr;
};

/// Push the channel of the future at `idx` (one per future, made on first use). Raises on memory errors.
void push_future_channel(lua_State* L, int idx);
/// Push a new clock channel with `schedule`; returns its schedule, which the
/// owner (a timer) may change while it keeps the channel referenced. Raises on memory errors.
ClockChannel* push_clock_channel(lua_State* L, const ClockChannel& schedule);
/// Push a new `channel` table (not yet read-only; the sandbox wraps it).
void push_channel_module(lua_State* L);

}  // namespace modrt::lua
