// Channels of futures and channel.select (lua_channel.hpp).
#include "modules/channel/lua_channel.hpp"

#include "modules/channel/lua_waiter.hpp"
#include "modules/funcs/lua_future.hpp"
#include "values/lua_errors.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

#include <vector>

namespace modrt::lua {
namespace {

char kChannelMetaKey;  // registry keys (their addresses)
char kCaseMetaKey;

// Trivially destructible: the future it reads is kept alive by the channel's
// environment table ([1] = the future userdata).
struct ChannelBox {
    FutureBox* future;   // null for a clock channel
    bool delivered;      // the result went out: nothing more will arrive
    bool closed;         // the call failed, or close() was called
    ClockChannel clock;  // a clock channel's schedule
};

// The channel's future, made once per future and cached in its environment.
constexpr const char* kChannelField = "channel";
// Most cases one select takes; a larger select is almost surely a bug.
constexpr int kMaxCases = 4096;

bool has_meta(lua_State* L, int idx, char* key) {
    if (!lua_getmetatable(L, idx)) return false;
    lua_pushlightuserdata(L, key);
    lua_rawget(L, LUA_REGISTRYINDEX);
    bool same = lua_rawequal(L, -1, -2) != 0;
    lua_pop(L, 2);
    return same;
}

ChannelBox* test_channel(lua_State* L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !has_meta(L, idx, &kChannelMetaKey)) return nullptr;
    return static_cast<ChannelBox*>(lua_touserdata(L, idx));
}

ChannelBox& check_channel(lua_State* L, int idx) {
    ChannelBox* ch = test_channel(L, idx);
    if (ch == nullptr) luaL_typerror(L, idx, "channel");
    return *ch;
}

// Whether a receive on `ch` would not block. Reads only kernel state, never Lua.
bool ready(const ChannelBox* ch) noexcept {
    if (ch->closed) return true;
    if (ch->future == nullptr) return ch->clock.due_ns <= host_api().now_ns();
    return !ch->delivered && host_api().future_done(ch->future->future) != 0;
}

// Whether anything may still arrive on `ch` (a closed channel is ready instead).
bool pending(const ChannelBox* ch) noexcept {
    if (ch->future == nullptr) return ch->clock.due_ns != ClockChannel::kNever;
    return !ch->delivered;
}

struct Choice {
    int index = -1;                              // the ready case; -1 with cause 0: none ever can be
    modrt_error_kind cause = MODRT_ERR_UNKNOWN;  // the waiter's cancellation, or INTERNAL when out of memory
};

// Wait until one of `chans` is ready (first in order wins) or `frame` is
// canceled. Plain C++: runs in a scope no Lua error crosses.
Choice wait_any(ChannelBox* const* chans, int n, modrt_frame* frame) noexcept {
    auto first_ready = [&]() -> int {
        for (int i = 0; i < n; ++i)
            if (ready(chans[i])) return i;
        return -1;
    };
    Choice c;
    if ((c.index = first_ready()) >= 0) return c;
    Waiter waiter;
    std::vector<FutureWatch*> added;
    try {
        added.reserve(static_cast<size_t>(n));
        for (int i = 0; i < n; ++i) {
            if (chans[i]->delivered || chans[i]->future == nullptr) continue;
            FutureWatch* w = chans[i]->future->watch.get();
            if (w->add(&waiter)) added.push_back(w);
        }
    } catch (...) {
        c.cause = MODRT_ERR_INTERNAL;
    }
    bool anything_pending = false;
    int64_t next_due = 0;  // the earliest clock channel's due time: the wait wakes up for it
    for (int i = 0; i < n; ++i) {
        anything_pending = anything_pending || pending(chans[i]);
        if (chans[i]->future == nullptr && !chans[i]->closed && chans[i]->clock.due_ns != ClockChannel::kNever &&
            (next_due == 0 || chans[i]->clock.due_ns < next_due))
            next_due = chans[i]->clock.due_ns;
    }
    if (c.cause == MODRT_ERR_UNKNOWN && anything_pending) {
        while ((c.index = first_ready()) < 0) {
            if ((c.cause = waiter.wait(frame, next_due)) != MODRT_ERR_UNKNOWN) break;
            // Canceling this call also ends its callees, which makes their channels
            // ready at once: the caller's own cancellation wins.
            if (frame != nullptr && (c.cause = host_api().frame_canceled(frame)) != MODRT_ERR_UNKNOWN) break;
        }
        if (c.cause != MODRT_ERR_UNKNOWN) c.index = -1;
    }
    for (FutureWatch* w : added) w->remove(&waiter);  // before the waiter goes
    return c;
}

// Push a clock channel's due value and true, and schedule its next one: a ticker's
// next tick after now (ticks a slow receiver missed are dropped, as Go's ticker
// drops them), or none.
void deliver_clock(lua_State* L, ClockChannel& clock) {
    const int64_t due = clock.due_ns;
    if (clock.interval_ns > 0) {
        const int64_t step = clock.interval_ns;
        const int64_t missed = (host_api().now_ns() - due) / step;
        clock.due_ns = missed + 1 > (ClockChannel::kNever - 1 - due) / step ? ClockChannel::kNever - 1
                                                                            : due + (missed + 1) * step;
    } else {
        clock.due_ns = ClockChannel::kNever;
    }
    clock.push_value(L, due);
    lua_pushboolean(L, 1);
}

// Push what receiving from the channel at `idx` gives now (it is ready): value, ok.
void deliver(lua_State* L, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    ChannelBox& ch = check_channel(L, idx);
    if (!ch.closed && ch.future == nullptr) {
        deliver_clock(L, ch.clock);
        return;
    }
    if (!ch.closed) {
        lua_getfenv(L, idx);
        lua_rawgeti(L, -1, 1);  // the future
        bool settled = push_outcome(L, -1);
        if (settled && !lua_isnil(L, -2)) {
            ch.delivered = true;
            lua_pop(L, 1);  // nil error
            lua_replace(L, -3);
            lua_pop(L, 1);
            lua_pushboolean(L, 1);
            return;
        }
        ch.closed = true;  // failed or canceled
        lua_pop(L, settled ? 4 : 2);
    }
    lua_pushnil(L);
    lua_pushboolean(L, 0);
}

// Choose among the channels in `chans` (a userdata array of n pointers at the
// top of the stack), raising on cancellation and when nothing can arrive.
int choose(lua_State* L, ChannelBox* const* chans, int n, const char* who) {
    Choice c = wait_any(chans, n, current_call(L).frame);
    if (c.index >= 0) return c.index;
    if (c.cause == MODRT_ERR_CANCELED || c.cause == MODRT_ERR_TIMEOUT) {
        lua_pushfstring(L, "%s: %s while waiting", who,
                        c.cause == MODRT_ERR_TIMEOUT ? "deadline exceeded" : "canceled");
        return raise_error(L, c.cause, lua_tostring(L, -1));
    }
    if (c.cause == MODRT_ERR_INTERNAL) return raise_error(L, MODRT_ERR_INTERNAL, "out of memory while waiting");
    lua_pushfstring(L, "%s: every channel has delivered its result (or its timer was stopped); nothing more can arrive",
                    who);
    return raise_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
}

int channel_receive(lua_State* L) {
    ChannelBox* ch = &check_channel(L, 1);
    choose(L, &ch, 1, "receive");
    deliver(L, 1);
    return 2;
}

int channel_case_receive(lua_State* L) {
    check_channel(L, 1);
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, 1);
    lua_setfield(L, -2, "channel");
    lua_pushlightuserdata(L, &kCaseMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_setmetatable(L, -2);
    return 1;
}

int channel_case_send(lua_State* L) {
    if (check_channel(L, 1).future == nullptr)
        return luaL_error(L, "case_send: a timer's channel only delivers its ticks; nothing can be sent to it");
    return luaL_error(L, "case_send: a future's response channel only delivers its result; nothing can be sent to it");
}

int channel_close(lua_State* L) {
    check_channel(L, 1).closed = true;
    return 0;
}

int channel_select(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "default");
    bool with_default = lua_toboolean(L, -1) != 0;
    lua_pop(L, 1);
    int n = static_cast<int>(lua_objlen(L, 1));
    if (n > kMaxCases) return luaL_error(L, "channel.select: more than %d cases", kMaxCases);
    if (n == 0 && !with_default) return luaL_error(L, "channel.select: no cases");
    // The cases' channels, in a userdata so that a raise below leaks nothing.
    auto* chans = static_cast<ChannelBox**>(
        lua_newuserdata(L, sizeof(ChannelBox*) * static_cast<size_t>(n > 0 ? n : 1)));
    for (int i = 1; i <= n; ++i) {
        lua_rawgeti(L, 1, i);
        if (!lua_istable(L, -1) || !has_meta(L, -1, &kCaseMetaKey))
            return luaL_error(L, "channel.select: case %d is not a case (use ch:case_receive())", i);
        lua_getfield(L, -1, "channel");
        chans[i - 1] = &check_channel(L, -1);
        lua_pop(L, 2);
    }
    int chosen = -1;
    if (with_default) {
        for (int i = 0; i < n && chosen < 0; ++i)
            if (ready(chans[i])) chosen = i;
        if (chosen < 0) {
            lua_createtable(L, 0, 2);
            lua_pushboolean(L, 1);
            lua_setfield(L, -2, "default");
            lua_pushboolean(L, 1);
            lua_setfield(L, -2, "ok");
            return 1;
        }
    } else {
        chosen = choose(L, chans, n, "channel.select");
    }
    lua_createtable(L, 0, 3);
    lua_rawgeti(L, 1, chosen + 1);
    lua_getfield(L, -1, "channel");
    lua_remove(L, -2);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, "channel");
    deliver(L, -1);  // channel, value, ok
    lua_setfield(L, -4, "ok");
    lua_setfield(L, -3, "value");
    lua_pop(L, 1);
    return 1;
}

int channel_new(lua_State* L) {
    return luaL_error(L, "channel.new: only channels from futures (future:channel()) are available in modrt so far");
}

void push_channel_metatable(lua_State* L) {
    lua_pushlightuserdata(L, &kChannelMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    static const luaL_Reg methods[] = {{"receive", channel_receive},
                                       {"case_receive", channel_case_receive},
                                       {"case_send", channel_case_send},
                                       {"close", channel_close},
                                       {nullptr, nullptr}};
    lua_createtable(L, 0, 3);
    lua_createtable(L, 0, 4);
    luaL_register(L, nullptr, methods);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "channel");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushlightuserdata(L, &kChannelMetaKey);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

}  // namespace

void push_future_channel(lua_State* L, int idx) {
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    FutureBox* future = test_future(L, idx);
    if (future == nullptr) luaL_typerror(L, idx, "future");
    lua_getfenv(L, idx);
    lua_getfield(L, -1, kChannelField);
    if (!lua_isnil(L, -1)) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    auto* ch = static_cast<ChannelBox*>(lua_newuserdata(L, sizeof(ChannelBox)));
    *ch = ChannelBox{future, false, false, ClockChannel{}};
    push_channel_metatable(L);
    lua_setmetatable(L, -2);
    lua_createtable(L, 1, 0);
    lua_pushvalue(L, idx);
    lua_rawseti(L, -2, 1);
    lua_setfenv(L, -2);
    // The future's environment refers back to its channel: a cycle the GC handles.
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, kChannelField);
    lua_remove(L, -2);
}

ClockChannel* push_clock_channel(lua_State* L, const ClockChannel& schedule) {
    auto* ch = static_cast<ChannelBox*>(lua_newuserdata(L, sizeof(ChannelBox)));
    *ch = ChannelBox{nullptr, false, false, schedule};
    push_channel_metatable(L);
    lua_setmetatable(L, -2);
    return &ch->clock;
}

void push_channel_module(lua_State* L) {
    lua_pushlightuserdata(L, &kCaseMetaKey);
    lua_createtable(L, 0, 1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_rawset(L, LUA_REGISTRYINDEX);
    static const luaL_Reg fns[] = {{"select", channel_select}, {"new", channel_new}, {nullptr, nullptr}};
    lua_createtable(L, 0, 2);
    luaL_register(L, nullptr, fns);
}

}  // namespace modrt::lua
