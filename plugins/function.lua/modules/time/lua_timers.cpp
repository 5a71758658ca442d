// Timers, tickers and time.after on clock channels (lua_timers.hpp).
#include "modules/time/lua_timers.hpp"

#include "modules/channel/lua_channel.hpp"
#include "modules/security/lua_udata.hpp"
#include "modules/time/lua_duration.hpp"
#include "modules/time/lua_time_value.hpp"
#include "modules/time/wall_clock.hpp"
#include "values/lua_owned.hpp"

#include <modrt/sdk.hpp>

#include <string>

namespace modrt::lua {
namespace {

char kTimerMetaKey;  // registry keys (their addresses)
char kTickerMetaKey;

// The userdata of a Timer or Ticker; its environment table holds its channel at [1],
// which keeps `clock` alive.
struct TimerBox {
    ClockChannel* clock;
};

// now_ns + d, saturated below "never".
int64_t due_after(int64_t d) {
    const int64_t now = host_api().now_ns();
    if (d <= 0) return now;
    return d >= ClockChannel::kNever - 1 - now ? ClockChannel::kNever - 1 : now + d;
}

// A tick's value: the Time it was due, in the local zone (as Go's timers send time.Now()).
void push_tick_time(lua_State* L, int64_t due_ns) { push_time(L, local_time_at(L, due_ns)); }

// Read the duration at `idx`; on failure push `nil, err` (INVALID) and return false.
bool duration_arg(lua_State* L, int idx, bool positive, const char* who, int64_t* d) {
    bool ok = false;
    {
        std::string why;
        ok = read_duration(L, idx, d, &why);
        if (!ok) lua_pushfstring(L, "%s: %s", who, why.c_str());
    }
    if (ok && positive && *d <= 0) {
        lua_pushfstring(L, "%s: the duration must be greater than 0", who);
        ok = false;
    }
    if (!ok) return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    return ok;
}

TimerBox& check_box(lua_State* L, const UdataType& type, const char* name) {
    auto* box = static_cast<TimerBox*>(test_udata(L, 1, type));
    if (box == nullptr) luaL_typerror(L, 1, name);
    return *box;
}

int push_channel_of(lua_State* L) {
    lua_getfenv(L, 1);
    lua_rawgeti(L, -1, 1);
    return 1;
}

// Stop the channel's schedule: true when a value was still to come.
int stop_clock(lua_State* L, ClockChannel* clock) {
    lua_pushboolean(L, clock->due_ns != ClockChannel::kNever);
    clock->due_ns = ClockChannel::kNever;
    return 1;
}

// The methods, declared for the type tables below, which they check their object against.
int timer_channel(lua_State* L);
int timer_stop(lua_State* L);
int timer_reset(lua_State* L);
int ticker_channel(lua_State* L);
int ticker_stop(lua_State* L);

constexpr luaL_Reg kTimerMethods[] = {{"response", timer_channel},
                                      {"channel", timer_channel},
                                      {"stop", timer_stop},
                                      {"reset", timer_reset},
                                      {nullptr, nullptr}};
constexpr luaL_Reg kTickerMethods[] = {{"response", ticker_channel},
                                       {"channel", ticker_channel},
                                       {"stop", ticker_stop},
                                       {nullptr, nullptr}};

constexpr UdataType kTimerType{&kTimerMetaKey, "Timer", kTimerMethods, nullptr, nullptr, nullptr};
constexpr UdataType kTickerType{&kTickerMetaKey, "Ticker", kTickerMethods, nullptr, nullptr, nullptr};

int timer_channel(lua_State* L) {
    check_box(L, kTimerType, "Timer");
    return push_channel_of(L);
}

int timer_stop(lua_State* L) { return stop_clock(L, check_box(L, kTimerType, "Timer").clock); }

int timer_reset(lua_State* L) {
    ClockChannel* clock = check_box(L, kTimerType, "Timer").clock;
    int64_t d = 0;
    if (!duration_arg(L, 2, true, "timer:reset", &d)) return 2;
    lua_pushboolean(L, clock->due_ns != ClockChannel::kNever);
    clock->due_ns = due_after(d);
    return 1;
}

int ticker_channel(lua_State* L) {
    check_box(L, kTickerType, "Ticker");
    return push_channel_of(L);
}

int ticker_stop(lua_State* L) { return stop_clock(L, check_box(L, kTickerType, "Ticker").clock); }

// Push a Timer or Ticker whose channel is first due after `d`, then every `interval` (0: once).
void push_timer(lua_State* L, const UdataType& type, int64_t d, int64_t interval) {
    auto* box = static_cast<TimerBox*>(lua_newuserdata(L, sizeof(TimerBox)));
    box->clock = nullptr;
    push_udata_metatable(L, type);
    lua_setmetatable(L, -2);
    lua_createtable(L, 1, 0);
    box->clock = push_clock_channel(L, ClockChannel{due_after(d), interval, push_tick_time});
    lua_rawseti(L, -2, 1);
    lua_setfenv(L, -2);
}

}  // namespace

int time_after(lua_State* L) {
    int64_t d = 0;
    if (!duration_arg(L, 1, false, "time.after", &d)) return 2;
    push_clock_channel(L, ClockChannel{due_after(d), 0, push_tick_time});
    return 1;
}

int time_timer(lua_State* L) {
    int64_t d = 0;
    if (!duration_arg(L, 1, true, "time.timer", &d)) return 2;
    push_timer(L, kTimerType, d, 0);
    return 1;
}

int time_ticker(lua_State* L) {
    int64_t d = 0;
    if (!duration_arg(L, 1, true, "time.ticker", &d)) return 2;
    push_timer(L, kTickerType, d, d);
    return 1;
}

}  // namespace modrt::lua
