// The time module (lua_time.hpp).
#include "modules/time/lua_time.hpp"

#include "modules/channel/lua_channel.hpp"
#include "modules/time/go_parse.hpp"
#include "modules/time/input_limits.hpp"
#include "modules/time/lua_duration.hpp"
#include "modules/time/lua_location.hpp"
#include "modules/time/lua_sleep.hpp"
#include "modules/time/lua_time_value.hpp"
#include "modules/time/lua_timers.hpp"
#include "modules/time/wall_clock.hpp"
#include "values/lua_owned.hpp"

#include <cmath>
#include <optional>
#include <string>

namespace modrt::lua {
namespace {

struct NumberConstant {
    const char* name;
    double value;
};

struct StringConstant {
    const char* name;
    const char* value;
};

constexpr NumberConstant kDurations[] = {{"NANOSECOND", 1}, {"MICROSECOND", 1e3}, {"MILLISECOND", 1e6},
                                         {"SECOND", 1e9},   {"MINUTE", 60e9},     {"HOUR", 3600e9}};

constexpr StringConstant kLayouts[] = {
    {"RFC3339", "2006-01-02T15:04:05Z07:00"},
    {"RFC3339NANO", "2006-01-02T15:04:05.999999999Z07:00"},
    {"RFC822", "02 Jan 06 15:04 MST"},
    {"RFC822Z", "02 Jan 06 15:04 -0700"},
    {"RFC850", "Monday, 02-Jan-06 15:04:05 MST"},
    {"RFC1123", "Mon, 02 Jan 2006 15:04:05 MST"},
    {"RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"},
    {"DATE_TIME", "2006-01-02 15:04:05"},
    {"DATE_ONLY", "2006-01-02"},
    {"TIME_ONLY", "15:04:05"},
    {"KITCHEN", "3:04PM"},
    {"STAMP", "Jan _2 15:04:05"},
    {"STAMP_MILLI", "Jan _2 15:04:05.000"},
    {"STAMP_MICRO", "Jan _2 15:04:05.000000"},
    {"STAMP_NANO", "Jan _2 15:04:05.000000000"},
};

constexpr const char* kMonths[] = {"JANUARY", "FEBRUARY", "MARCH",     "APRIL",   "MAY",      "JUNE",
                                   "JULY",    "AUGUST",   "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"};
constexpr const char* kWeekdays[] = {"SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"};

// An integral number argument, within ±2^53 (what a Lua number holds exactly).
int64_t check_int(lua_State* L, int idx) {
    lua_Number n = luaL_checknumber(L, idx);
    if (!std::isfinite(n) || std::fabs(n) > 9007199254740992.0) luaL_argerror(L, idx, "number out of range");
    return static_cast<int64_t>(n);
}

// The optional Location argument at `idx`: its zone, or the local zone when absent.
std::shared_ptr<const gotime::Zone> zone_arg(lua_State* L, int idx) {
    if (lua_isnoneornil(L, idx)) return local_zone(L);
    const std::shared_ptr<const gotime::Zone>* zone = test_location(L, idx);
    if (zone == nullptr) luaL_typerror(L, idx, "Location");
    return *zone;
}

int time_now(lua_State* L) {
    push_time(L, local_now(L));
    return 1;
}

int time_date(lua_State* L) {
    int64_t parts[7];
    for (int i = 0; i < 7; ++i) parts[i] = check_int(L, i + 1);
    std::optional<gotime::Instant> t = gotime::date_instant(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5],
                                                            parts[6], zone_arg(L, 8));
    if (!t) return luaL_error(L, "time.date: time out of range");
    push_time(L, std::move(*t));
    return 1;
}

int time_unix(lua_State* L) {
    int64_t sec = check_int(L, 1);
    int64_t nsec = lua_isnoneornil(L, 2) ? 0 : check_int(L, 2);
    push_time(L, gotime::unix_instant(sec, nsec, local_zone(L)));
    return 1;
}

int time_parse(lua_State* L) {
    size_t layout_len = 0, value_len = 0;
    const char* layout = luaL_checklstring(L, 1, &layout_len);
    const char* value = luaL_checklstring(L, 2, &value_len);
    if (layout_len > kMaxTimeText || value_len > kMaxTimeText)
        return return_error(L, MODRT_ERR_INVALID, "time.parse: layout or value too long (at most 4096 bytes)");
    const std::shared_ptr<const gotime::Zone> zone = zone_arg(L, 3);
    std::optional<gotime::Instant> t;
    {
        std::string why;
        t = gotime::parse_instant(std::string_view(layout, layout_len), std::string_view(value, value_len), zone, &why);
        if (!t) lua_pushlstring(L, why.data(), why.size());
    }
    if (!t) return return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    push_time(L, std::move(*t));
    return 1;
}

}  // namespace

int open_time_module(lua_State* L) {
    static const luaL_Reg fns[] = {{"now", time_now},
                                   {"date", time_date},
                                   {"unix", time_unix},
                                   {"parse", time_parse},
                                   {"parse_duration", time_parse_duration},
                                   {"load_location", time_load_location},
                                   {"fixed_zone", time_fixed_zone},
                                   {"after", time_after},
                                   {"timer", time_timer},
                                   {"ticker", time_ticker},
                                   {nullptr, nullptr}};
    lua_createtable(L, 0, 80);
    luaL_register(L, nullptr, fns);
    push_scheduled_sleep(L, time_sleep, time_sleep_deadline);
    lua_setfield(L, -2, "sleep");
    for (const auto& c : kDurations) {
        lua_pushnumber(L, c.value);
        lua_setfield(L, -2, c.name);
    }
    for (const auto& c : kLayouts) {
        lua_pushstring(L, c.value);
        lua_setfield(L, -2, c.name);
    }
    for (int i = 0; i < 12; ++i) {
        lua_pushnumber(L, i + 1);
        lua_setfield(L, -2, kMonths[i]);
    }
    for (int i = 0; i < 7; ++i) {
        lua_pushnumber(L, i);
        lua_setfield(L, -2, kWeekdays[i]);
    }
    push_utc_location(L);
    lua_setfield(L, -2, "utc");
    push_local_location(L);
    lua_setfield(L, -2, "localtz");
    // lua_require binds and seals it per requiring module (module_binding.hpp).
    return 1;
}

}  // namespace modrt::lua
