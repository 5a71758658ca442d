// Channels of futures and channel.select (lua_channel.hpp).
#include "modules/channel/lua_channel.hpp"

#include "chunks/channel_bytecode.hpp"
#include "modules/channel/lua_waiter.hpp"
#include "modules/funcs/lua_future.hpp"
#include "values/lua_errors.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

#include <vector>

namespace modrt::lua {
namespace {

char kChannelMetaKey;  // registry keys (their addresses)
char kChunkKey;        // what kChannelChunk returned

// Trivially destructible: the future it reads is kept alive by the channel's
// environment table ([1] = the future userdata).
struct ChannelBox {
    FutureBox* future;   // null for a clock channel and a local one
    bool delivered;      // the result went out: nothing more will arrive
    bool closed;         // the call failed, or close() was called
    ClockChannel clock;  // a clock channel's schedule
    bool local;          // channel.new's: its state is a Lua table (the environment), run by kChannelChunk
};

// The channel's future, made once per future and cached in its environment.
constexpr const char* kChannelField = "channel";

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

// Whether a receive on `ch` (not a local channel) would not block. Reads only kernel state, never Lua.
bool ready(const ChannelBox* ch) noexcept {
    if (ch->local) return false;
    if (ch->closed) return true;
    if (ch->future == nullptr) return ch->clock.due_ns <= host_api().now_ns();
    return !ch->delivered && host_api().future_done(ch->future->future) != 0;
}

// Whether anything may still arrive on `ch` (a closed channel is ready instead).
bool pending(const ChannelBox* ch) noexcept {
    if (ch->local) return false;
    if (ch->future == nullptr) return ch->clock.due_ns != ClockChannel::kNever;
    return !ch->delivered;
}

struct Choice {
    int index = -1;                              // the ready case; -1 with cause 0: none ever can be
    modrt_error_kind cause = MODRT_ERR_UNKNOWN;  // the waiter's cancellation, or INTERNAL when out of memory
    bool until_reached = false;                  // the wait's own end came first (index -1, cause 0)
};

// Wait until one of `chans` is ready (first in order wins), until `until_ns`
// (host now_ns clock; 0: no such end) or until `frame` is canceled. Plain C++:
// runs in a scope no Lua error crosses.
Choice wait_any(ChannelBox* const* chans, int n, modrt_frame* frame, int64_t until_ns = 0) noexcept {
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
    bool anything_pending = until_ns > 0;
    int64_t next_due = until_ns;  // the earliest clock channel's due time (or the end): the wait wakes up for it
    for (int i = 0; i < n; ++i) {
        anything_pending = anything_pending || pending(chans[i]);
        if (chans[i]->future == nullptr && !chans[i]->closed && chans[i]->clock.due_ns != ClockChannel::kNever &&
            (next_due == 0 || chans[i]->clock.due_ns < next_due))
            next_due = chans[i]->clock.due_ns;
    }
    if (c.cause == MODRT_ERR_UNKNOWN && anything_pending) {
        while ((c.index = first_ready()) < 0) {
            if (until_ns > 0 && host_api().now_ns() >= until_ns) {
                c.until_reached = true;
                break;
            }
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
        // As Wippy's, a failed call's channel carries its error (value, true); only a
        // future canceled through :cancel() closes it.
        if (settled && (!lua_isnil(L, -2) || !ch.future->canceled)) {
            ch.delivered = true;
            if (lua_isnil(L, -2)) lua_replace(L, -2);  // the error takes the payload's place
            else lua_pop(L, 1);                        // nil error
            lua_replace(L, -3);
            lua_pop(L, 1);
            lua_pushboolean(L, 1);
            return;
        }
        ch.closed = true;  // canceled
        lua_pop(L, settled ? 4 : 2);
    }
    lua_pushnil(L);
    lua_pushboolean(L, 0);
}

// Raise what ended a wait that found no channel ready: the caller's cancellation
// or deadline, or no memory. Returns normally when the wait found nothing can arrive.
void raise_wait_failure(lua_State* L, const Choice& c, const char* who) {
    if (c.cause == MODRT_ERR_CANCELED || c.cause == MODRT_ERR_TIMEOUT) {
        lua_pushfstring(L, "%s: %s while waiting", who,
                        c.cause == MODRT_ERR_TIMEOUT ? "deadline exceeded" : "canceled");
        raise_error(L, c.cause, lua_tostring(L, -1));
    }
    if (c.cause == MODRT_ERR_INTERNAL) raise_error(L, MODRT_ERR_INTERNAL, "out of memory while waiting");
}

// The channels of the array at `idx` (futures' and clocks' ones), in a userdata left on
// the stack so that a raise leaks nothing; n receives their count.
ChannelBox** collect_channels(lua_State* L, int idx, int* n) {
    luaL_checktype(L, idx, LUA_TTABLE);
    *n = static_cast<int>(lua_objlen(L, idx));
    auto* chans = static_cast<ChannelBox**>(
        lua_newuserdata(L, sizeof(ChannelBox*) * static_cast<size_t>(*n > 0 ? *n : 1)));
    for (int i = 1; i <= *n; ++i) {
        lua_rawgeti(L, idx, i);
        chans[i - 1] = &check_channel(L, -1);
        lua_pop(L, 1);
    }
    return chans;
}

// Made by push_channel_module, with the chunk's methods.
void push_channel_metatable(lua_State* L) {
    lua_pushlightuserdata(L, &kChannelMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
}

// -- the primitives kChannelChunk builds on (its upvalue table P) --

// state(ch, who): a local channel's state table; false for a future's or a clock's channel.
int prim_state(lua_State* L) {
    ChannelBox* ch = test_channel(L, 1);
    if (ch == nullptr)
        return luaL_error(L, "bad argument #1 to '%s' (channel expected, got %s)", luaL_optstring(L, 2, "?"),
                          luaL_typename(L, 1));
    if (!ch->local) {
        lua_pushboolean(L, 0);
        return 1;
    }
    lua_getfenv(L, 1);
    return 1;
}

// new_box(state): a local channel run by the chunk on `state`.
int prim_new_box(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    auto* ch = static_cast<ChannelBox*>(lua_newuserdata(L, sizeof(ChannelBox)));
    *ch = ChannelBox{nullptr, false, false, ClockChannel{}, true};
    push_channel_metatable(L);
    lua_setmetatable(L, -2);
    lua_pushvalue(L, 1);
    lua_setfenv(L, -2);
    return 1;
}

// cannot_send(ch): raises why nothing can be sent to a future's or a clock's channel.
int prim_cannot_send(lua_State* L) {
    if (check_channel(L, 1).future == nullptr)
        return luaL_error(L, "case_send: a timer's channel only delivers its ticks; nothing can be sent to it");
    return luaL_error(L, "case_send: a future's response channel only delivers its result; nothing can be sent to it");
}

int prim_ext_ready(lua_State* L) {
    lua_pushboolean(L, ready(&check_channel(L, 1)));
    return 1;
}

// ext_deliver(ch): value, ok of a ready future's or clock's channel.
int prim_ext_deliver(lua_State* L) {
    deliver(L, 1);
    return 2;
}

int prim_ext_close(lua_State* L) {
    check_channel(L, 1).closed = true;
    return 0;
}

// ext_choose(chans, who): 1-based index of the first of `chans` ready, blocking; raises on
// cancellation and when nothing can arrive.
int prim_ext_choose(lua_State* L) {
    const char* who = luaL_checkstring(L, 2);
    int n = 0;
    ChannelBox** chans = collect_channels(L, 1, &n);
    Choice c = wait_any(chans, n, current_call(L).frame);
    if (c.index >= 0) {
        lua_pushinteger(L, c.index + 1);
        return 1;
    }
    raise_wait_failure(L, c, who);
    lua_pushfstring(L, "%s: every channel has delivered its result (or its timer was stopped); nothing more can arrive",
                    who);
    return raise_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
}

// ext_wait(chans, until_ns, who): blocks until one of `chans` is ready or until_ns (0:
// none) comes: true; false at once when nothing can arrive. Raises on cancellation.
int prim_ext_wait(lua_State* L) {
    const auto until_ns = static_cast<int64_t>(luaL_checknumber(L, 2));
    const char* who = luaL_checkstring(L, 3);
    int n = 0;
    ChannelBox** chans = collect_channels(L, 1, &n);
    Choice c = wait_any(chans, n, current_call(L).frame, until_ns);
    raise_wait_failure(L, c, who);
    lua_pushboolean(L, c.index >= 0 || c.until_reached);
    return 1;
}

// get_sched(): the running call's scheduler table, or nil before its first use.
int prim_get_sched(lua_State* L) {
    int* ref = current_scheduler_ref(L);
    if (ref == nullptr) return raise_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
    if (*ref == LUA_NOREF) lua_pushnil(L);
    else lua_rawgeti(L, LUA_REGISTRYINDEX, *ref);
    return 1;
}

// set_sched(S): make S the running call's scheduler (released when the call ends).
int prim_set_sched(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    int* ref = current_scheduler_ref(L);
    if (ref == nullptr) return raise_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
    lua_settop(L, 1);
    *ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

// raise(kind, message)
int prim_raise(lua_State* L) {
    return raise_error(L, static_cast<modrt_error_kind>(luaL_checkinteger(L, 1)), luaL_checkstring(L, 2));
}

int prim_now(lua_State* L) {
    lua_pushnumber(L, static_cast<lua_Number>(host_api().now_ns()));
    return 1;
}

// Push field `name` of what kChannelChunk returned.
void push_chunk_field(lua_State* L, const char* name) {
    lua_pushlightuserdata(L, &kChunkKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
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
    *ch = ChannelBox{future, false, false, ClockChannel{}, false};
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
    *ch = ChannelBox{nullptr, false, false, schedule, false};
    push_channel_metatable(L);
    lua_setmetatable(L, -2);
    return &ch->clock;
}

void push_channel_module(lua_State* L) {
    static const luaL_Reg prims[] = {{"state", prim_state},
                                     {"new_box", prim_new_box},
                                     {"cannot_send", prim_cannot_send},
                                     {"ext_ready", prim_ext_ready},
                                     {"ext_deliver", prim_ext_deliver},
                                     {"ext_close", prim_ext_close},
                                     {"ext_choose", prim_ext_choose},
                                     {"ext_wait", prim_ext_wait},
                                     {"get_sched", prim_get_sched},
                                     {"set_sched", prim_set_sched},
                                     {"raise", prim_raise},
                                     {"now", prim_now},
                                     {nullptr, nullptr}};
    if (luaL_loadbuffer(L, reinterpret_cast<const char*>(chunks::kChannelBytecode), sizeof chunks::kChannelBytecode, "=modrt.channel") != 0) lua_error(L);
    lua_createtable(L, 0, 16);
    luaL_register(L, nullptr, prims);
    lua_pushinteger(L, MODRT_ERR_INVALID);
    lua_setfield(L, -2, "INVALID");
    lua_call(L, 1, 1);
    int chunk = lua_gettop(L);
    lua_pushlightuserdata(L, &kChunkKey);
    lua_pushvalue(L, chunk);
    lua_rawset(L, LUA_REGISTRYINDEX);

    lua_pushlightuserdata(L, &kChannelMetaKey);
    lua_createtable(L, 0, 3);
    lua_getfield(L, chunk, "methods");
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "channel");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_rawset(L, LUA_REGISTRYINDEX);

    // coroutine.spawn joins the state's coroutine library (the sandbox's proxy reads through).
    lua_getglobal(L, "coroutine");
    lua_getfield(L, chunk, "spawn");
    lua_setfield(L, -2, "spawn");
    lua_pop(L, 1);

    lua_createtable(L, 0, 2);
    lua_getfield(L, chunk, "select");
    lua_setfield(L, -2, "select");
    lua_getfield(L, chunk, "new");
    lua_setfield(L, -2, "new");
    lua_remove(L, chunk);
}

void push_scheduled_sleep(lua_State* L, lua_CFunction sleep, lua_CFunction deadline) {
    push_chunk_field(L, "make_sleep");
    lua_pushcfunction(L, sleep);
    lua_pushcfunction(L, deadline);
    lua_call(L, 2, 1);
}

void release_scheduler(lua_State* L, int ref) noexcept {
    if (ref == LUA_NOREF) return;
    // No allocation: "closed" is already a key of the table, so its string is interned.
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    lua_pushliteral(L, "closed");
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    luaL_unref(L, LUA_REGISTRYINDEX, ref);
}

}  // namespace modrt::lua
