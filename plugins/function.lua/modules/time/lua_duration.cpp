// The Duration value (lua_duration.hpp).
#include "modules/time/lua_duration.hpp"

#include "modules/security/lua_udata.hpp"
#include "modules/time/go_duration.hpp"
#include "modules/time/input_limits.hpp"
#include "values/lua_owned.hpp"

#include <cmath>

namespace modrt::lua {
namespace {

char kDurationMetaKey;  // registry key (its address)

int64_t& check_duration(lua_State* L, int idx);

int duration_nanoseconds(lua_State* L) {
    lua_pushnumber(L, static_cast<lua_Number>(check_duration(L, 1)));
    return 1;
}

int duration_microseconds(lua_State* L) {
    lua_pushnumber(L, static_cast<lua_Number>(check_duration(L, 1) / 1000));
    return 1;
}

int duration_milliseconds(lua_State* L) {
    lua_pushnumber(L, static_cast<lua_Number>(check_duration(L, 1) / 1000000));
    return 1;
}

// Whole units plus the fraction, as Go does, so that large durations keep their precision.
lua_Number in_units(int64_t ns, int64_t unit) {
    return static_cast<lua_Number>(ns / unit) + static_cast<lua_Number>(ns % unit) / static_cast<lua_Number>(unit);
}

int duration_seconds(lua_State* L) {
    lua_pushnumber(L, in_units(check_duration(L, 1), 1'000'000'000));
    return 1;
}

int duration_minutes(lua_State* L) {
    lua_pushnumber(L, in_units(check_duration(L, 1), 60'000'000'000));
    return 1;
}

int duration_hours(lua_State* L) {
    lua_pushnumber(L, in_units(check_duration(L, 1), 3'600'000'000'000));
    return 1;
}

int duration_tostring(lua_State* L) {
    int64_t ns = check_duration(L, 1);
    std::string text = gotime::format_go_duration(ns);
    lua_pushlstring(L, text.data(), text.size());
    return 1;
}

constexpr luaL_Reg kDurationMethods[] = {{"nanoseconds", duration_nanoseconds},
                                 {"microseconds", duration_microseconds},
                                 {"milliseconds", duration_milliseconds},
                                 {"seconds", duration_seconds},
                                 {"minutes", duration_minutes},
                                 {"hours", duration_hours},
                                 {nullptr, nullptr}};

constexpr UdataType kDurationType{&kDurationMetaKey, "Duration", kDurationMethods, nullptr, duration_tostring, nullptr};

int64_t& check_duration(lua_State* L, int idx) {
    auto* d = static_cast<int64_t*>(test_udata(L, idx, kDurationType));
    if (d == nullptr) luaL_typerror(L, idx, "Duration");
    return *d;
}

}  // namespace

void push_duration(lua_State* L, int64_t ns) {
    auto* d = static_cast<int64_t*>(lua_newuserdata(L, sizeof(int64_t)));
    *d = ns;
    push_udata_metatable(L, kDurationType);
    lua_setmetatable(L, -2);
}

const int64_t* test_duration(lua_State* L, int idx) {
    return static_cast<const int64_t*>(test_udata(L, idx, kDurationType));
}

bool read_duration(lua_State* L, int idx, int64_t* out, std::string* why) {
    switch (lua_type(L, idx)) {
        case LUA_TNUMBER: {
            lua_Number n = lua_tonumber(L, idx);
            // 2^63 itself does not fit; every double below it does.
            if (!std::isfinite(n) || n >= 9223372036854775808.0 || n < -9223372036854775808.0) {
                *why = "duration out of range";
                return false;
            }
            *out = static_cast<int64_t>(n);
            return true;
        }
        case LUA_TSTRING: {
            size_t len = 0;
            const char* s = lua_tolstring(L, idx, &len);
            if (len > kMaxTimeText) {
                *why = "duration string too long (at most 4096 bytes)";
                return false;
            }
            auto ns = gotime::parse_go_duration(std::string_view(s, len), why);
            if (!ns) return false;
            *out = *ns;
            return true;
        }
        default:
            if (const int64_t* d = test_duration(L, idx)) {
                *out = *d;
                return true;
            }
            *why = std::string("duration expected (a Duration, a string such as \"1h30m\" or a number of "
                               "nanoseconds), got ") +
                   luaL_typename(L, idx);
            return false;
    }
}

int time_parse_duration(lua_State* L) {
    int64_t ns = 0;
    bool ok = false;
    {
        std::string why;
        ok = read_duration(L, 1, &ns, &why);
        if (!ok) lua_pushlstring(L, why.data(), why.size());
    }
    if (!ok) return return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    push_duration(L, ns);
    return 1;
}

}  // namespace modrt::lua
