// The `channel` global, coroutine.spawn, and the channels futures and clocks
// hand out (Wippy's channel.md).
//
// Three kinds of channel share one type and one set of methods:
//   channel.new(n)   Go's channel, buffered (n > 0) or not (n = 0 or none),
//                    between the coroutines of one call (kChannelChunk runs it)
//   future channels  future:response() / future:channel(): the call's result
//                    once, as a payload (or its error when it failed, as
//                    Wippy's), then open and empty (a select over several
//                    futures' channels returns each result once); a call
//                    stopped by future:cancel() closes it (nil, false)
//   clock channels   time.after, timers and tickers: ready once the next value
//                    is due on the host's now_ns clock (no thread per timer)
//
//   ch:send(v)                              true; blocks until a receiver or buffer room; raises when closed
//   ch:receive()                            value, ok (nil, false once closed and drained); blocks
//   ch:case_receive() / ch:case_send(v)     cases for channel.select
//   ch:close()                              receivers get nil, false; parked senders raise
//   channel.select{c1, c2, ..., default=}   {channel=, value=, ok=} of the first ready case
//                                           ({default=true, ok=true} when none is and default is set)
//   coroutine.spawn(fn, ...)                runs fn(...) as a coroutine of the calling function
//
// A call's coroutines run on its own thread, only while its main body is
// blocked in a channel operation or time.sleep; they end with the call. An
// error in one fails the call. Blocking stops when the calling function is
// canceled or passes its deadline (CANCELED / TIMEOUT, as the cancellation hook
// raises); when nothing can ever wake the blocked party (every coroutine is
// blocked on this call's channels and no future or clock is pending), the
// operation raises INVALID (deadlock) at once instead of waiting for the deadline.
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
/// Push a new `channel` table (not yet read-only; the sandbox wraps it); loads
/// kChannelChunk into the state and adds coroutine.spawn to its coroutine library.
void push_channel_module(lua_State* L);
/// Push time.sleep: `sleep(d)` itself, or parking in the call's scheduler once
/// the call has spawned coroutines, until `deadline(d)` (now_ns time, nil: now).
void push_scheduled_sleep(lua_State* L, lua_CFunction sleep, lua_CFunction deadline);
/// At the end of a call: mark its scheduler (registry ref `ref`, or LUA_NOREF) closed and release it.
void release_scheduler(lua_State* L, int ref) noexcept;

}  // namespace modrt::lua
