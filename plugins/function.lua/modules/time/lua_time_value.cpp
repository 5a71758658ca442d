// The Time value (lua_time_value.hpp).
#include "modules/time/lua_time_value.hpp"

#include "modules/security/lua_udata.hpp"
#include "modules/time/go_format.hpp"
#include "modules/time/input_limits.hpp"
#include "modules/time/lua_duration.hpp"
#include "modules/time/lua_location.hpp"

#include <cmath>
#include <new>
#include <optional>
#include <string>

namespace modrt::lua {
namespace {

char kTimeMetaKey;  // registry key (its address)

struct TimeBox {
    gotime::Instant t;
};

int time_gc(lua_State* L) {
    static_cast<TimeBox*>(lua_touserdata(L, 1))->~TimeBox();
    return 0;
}

void push_string(lua_State* L, const std::string& s) { lua_pushlstring(L, s.data(), s.size()); }

// An integral number argument (calendar units), within ±2^53.
int64_t check_int(lua_State* L, int idx) {
    lua_Number n = luaL_checknumber(L, idx);
    if (!std::isfinite(n) || std::fabs(n) > 9007199254740992.0) luaL_argerror(L, idx, "number out of range");
    return static_cast<int64_t>(n);
}

// Push t, or raise when an operation left the range of int64 Unix seconds.
int push_or_raise(lua_State* L, const std::optional<gotime::Instant>& t, const char* who) {
    if (!t) return luaL_error(L, "%s: time out of range", who);
    push_time(L, *t);
    return 1;
}

int t_add(lua_State* L) {
    const gotime::Instant& t = check_time(L, 1);
    int64_t d = 0;
    bool ok = false;
    {
        std::string why;
        ok = read_duration(L, 2, &d, &why);
        if (!ok) lua_pushlstring(L, why.data(), why.size());
    }
    if (!ok) return luaL_argerror(L, 2, lua_tostring(L, -1));
    push_time(L, gotime::add(t, d));
    return 1;
}

int t_sub(lua_State* L) {
    push_duration(L, gotime::sub(check_time(L, 1), check_time(L, 2)));
    return 1;
}

int t_add_date(lua_State* L) {
    const gotime::Instant& t = check_time(L, 1);
    return push_or_raise(L, gotime::add_date(t, check_int(L, 2), check_int(L, 3), check_int(L, 4)), "add_date");
}

int t_before(lua_State* L) {
    lua_pushboolean(L, gotime::before(check_time(L, 1), check_time(L, 2)));
    return 1;
}

int t_after(lua_State* L) {
    lua_pushboolean(L, gotime::after(check_time(L, 1), check_time(L, 2)));
    return 1;
}

int t_equal(lua_State* L) {
    lua_pushboolean(L, gotime::equal(check_time(L, 1), check_time(L, 2)));
    return 1;
}

int t_format(lua_State* L) {
    const gotime::Instant& t = check_time(L, 1);
    size_t len = 0;
    const char* layout = luaL_checklstring(L, 2, &len);
    if (len > kMaxTimeText) return luaL_argerror(L, 2, "layout too long (at most 4096 bytes)");
    push_string(L, gotime::format_instant(t, std::string_view(layout, len)));
    return 1;
}

int t_format_rfc3339(lua_State* L) {
    push_string(L, gotime::format_instant(check_time(L, 1), "2006-01-02T15:04:05Z07:00"));
    return 1;
}

int t_unix(lua_State* L) {
    lua_pushnumber(L, static_cast<lua_Number>(check_time(L, 1).sec));
    return 1;
}

int t_unix_nano(lua_State* L) {
    lua_pushnumber(L, static_cast<lua_Number>(gotime::unix_nano(check_time(L, 1))));
    return 1;
}

int t_date(lua_State* L) {
    gotime::Broken b = gotime::broken_down(check_time(L, 1));
    lua_pushnumber(L, static_cast<lua_Number>(b.year));
    lua_pushnumber(L, b.month);
    lua_pushnumber(L, b.day);
    return 3;
}

int t_clock(lua_State* L) {
    gotime::Broken b = gotime::broken_down(check_time(L, 1));
    lua_pushnumber(L, b.hour);
    lua_pushnumber(L, b.minute);
    lua_pushnumber(L, b.second);
    return 3;
}

// One field of the wall clock.
template <auto Field>
int t_field(lua_State* L) {
    gotime::Broken b = gotime::broken_down(check_time(L, 1));
    lua_pushnumber(L, static_cast<lua_Number>(b.*Field));
    return 1;
}

int t_is_zero(lua_State* L) {
    lua_pushboolean(L, gotime::is_zero(check_time(L, 1)));
    return 1;
}

// A copy of t shown in `zone`.
int push_in_zone(lua_State* L, const gotime::Instant& t, std::shared_ptr<const gotime::Zone> zone) {
    gotime::Instant r = t;
    r.zone = std::move(zone);
    push_time(L, std::move(r));
    return 1;
}

int t_utc(lua_State* L) { return push_in_zone(L, check_time(L, 1), nullptr); }

int t_in_local(lua_State* L) {
    const gotime::Instant& t = check_time(L, 1);
    return push_in_zone(L, t, local_zone(L));
}

int t_in_location(lua_State* L) {
    const gotime::Instant& t = check_time(L, 1);
    const std::shared_ptr<const gotime::Zone>* zone = test_location(L, 2);
    if (zone == nullptr) return luaL_typerror(L, 2, "Location");
    return push_in_zone(L, t, *zone);
}

int t_location(lua_State* L) {
    const gotime::Instant& t = check_time(L, 1);
    if (t.zone == nullptr) {
        push_utc_location(L);
    } else {
        push_location(L, t.zone);
    }
    return 1;
}

// Round and truncate take a Duration only (time.md: "Requires Duration userdata").
int64_t check_duration_arg(lua_State* L, int idx) {
    const int64_t* d = test_duration(L, idx);
    if (d == nullptr) luaL_typerror(L, idx, "Duration");
    return *d;
}

int t_round(lua_State* L) {
    const gotime::Instant& t = check_time(L, 1);
    push_time(L, gotime::round(t, check_duration_arg(L, 2)));
    return 1;
}

int t_truncate(lua_State* L) {
    const gotime::Instant& t = check_time(L, 1);
    push_time(L, gotime::truncate(t, check_duration_arg(L, 2)));
    return 1;
}

int t_tostring(lua_State* L) {
    push_string(L, gotime::instant_string(check_time(L, 1)));
    return 1;
}

constexpr luaL_Reg kTimeMethods[] = {
    {"add", t_add},
    {"sub", t_sub},
    {"add_date", t_add_date},
    {"before", t_before},
    {"after", t_after},
    {"equal", t_equal},
    {"format", t_format},
    {"format_rfc3339", t_format_rfc3339},
    {"unix", t_unix},
    {"unix_nano", t_unix_nano},
    {"date", t_date},
    {"clock", t_clock},
    {"year", t_field<&gotime::Broken::year>},
    {"month", t_field<&gotime::Broken::month>},
    {"day", t_field<&gotime::Broken::day>},
    {"hour", t_field<&gotime::Broken::hour>},
    {"minute", t_field<&gotime::Broken::minute>},
    {"second", t_field<&gotime::Broken::second>},
    {"nanosecond", t_field<&gotime::Broken::nsec>},
    {"weekday", t_field<&gotime::Broken::weekday>},
    {"year_day", t_field<&gotime::Broken::yday>},
    {"is_zero", t_is_zero},
    {"utc", t_utc},
    {"in_local", t_in_local},
    {"in_location", t_in_location},
    {"location", t_location},
    {"round", t_round},
    {"truncate", t_truncate},
    {nullptr, nullptr},
};

constexpr UdataType kTimeType{&kTimeMetaKey, "Time", kTimeMethods, time_gc, t_tostring, nullptr};

}  // namespace

void push_time(lua_State* L, gotime::Instant t) {
    auto* box = new (lua_newuserdata(L, sizeof(TimeBox))) TimeBox();
    push_udata_metatable(L, kTimeType);  // may raise: the box holds nothing yet
    lua_setmetatable(L, -2);
    box->t = std::move(t);
}

const gotime::Instant* test_time(lua_State* L, int idx) {
    auto* box = static_cast<TimeBox*>(test_udata(L, idx, kTimeType));
    return box == nullptr ? nullptr : &box->t;
}

const gotime::Instant& check_time(lua_State* L, int idx) {
    const gotime::Instant* t = test_time(L, idx);
    if (t == nullptr) luaL_typerror(L, idx, "Time");
    return *t;
}

}  // namespace modrt::lua
