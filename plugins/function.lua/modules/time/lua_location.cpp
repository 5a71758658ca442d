// The Location value (lua_location.hpp).
#include "modules/time/lua_location.hpp"

#include "modules/security/lua_udata.hpp"
#include "modules/time/zone_source.hpp"
#include "values/lua_owned.hpp"

#include <cmath>
#include <new>
#include <string>

namespace modrt::lua {
namespace {

char kLocationMetaKey;  // registry keys (their addresses)
char kUtcLocationKey;
char kLocalLocationKey;
char kLoadedZonesKey;  // name -> Location, the zones load_location read on this state

struct LocationBox {
    std::shared_ptr<const gotime::Zone> zone;
};

int location_gc(lua_State* L) {
    static_cast<LocationBox*>(lua_touserdata(L, 1))->~LocationBox();
    return 0;
}

const std::shared_ptr<const gotime::Zone>& check_location(lua_State* L, int idx);

int location_string(lua_State* L) {
    std::string_view name = gotime::zone_name(check_location(L, 1).get());
    lua_pushlstring(L, name.data(), name.size());
    return 1;
}

constexpr luaL_Reg kLocationMethods[] = {{"string", location_string}, {nullptr, nullptr}};

constexpr UdataType kLocationType{&kLocationMetaKey, "Location", kLocationMethods, location_gc, location_string, nullptr};

const std::shared_ptr<const gotime::Zone>& check_location(lua_State* L, int idx) {
    auto* box = static_cast<LocationBox*>(test_udata(L, idx, kLocationType));
    if (box == nullptr) luaL_typerror(L, idx, "Location");
    return box->zone;
}

// Push the registry value under `key`, made by `make` on first use.
template <class Make>
void push_cached(lua_State* L, char* key, Make make) {
    lua_pushlightuserdata(L, key);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    make();
    lua_pushlightuserdata(L, key);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

}  // namespace

void push_location(lua_State* L, std::shared_ptr<const gotime::Zone> zone) {
    auto* box = new (lua_newuserdata(L, sizeof(LocationBox))) LocationBox();
    push_udata_metatable(L, kLocationType);  // may raise: the box holds nothing yet
    lua_setmetatable(L, -2);
    box->zone = std::move(zone);
}

const std::shared_ptr<const gotime::Zone>* test_location(lua_State* L, int idx) {
    auto* box = static_cast<LocationBox*>(test_udata(L, idx, kLocationType));
    return box == nullptr ? nullptr : &box->zone;
}

void push_utc_location(lua_State* L) {
    push_cached(L, &kUtcLocationKey, [L] { push_location(L, nullptr); });
}

void push_local_location(lua_State* L) {
    push_cached(L, &kLocalLocationKey, [L] { push_location(L, gotime::load_local_zone()); });
}

std::shared_ptr<const gotime::Zone> local_zone(lua_State* L) {
    push_local_location(L);
    std::shared_ptr<const gotime::Zone> zone = *test_location(L, -1);
    lua_pop(L, 1);
    return zone;
}

int time_load_location(lua_State* L) {
    size_t len = 0;
    const char* name = luaL_checklstring(L, 1, &len);
    push_cached(L, &kLoadedZonesKey, [L] { lua_newtable(L); });
    lua_pushlstring(L, name, len);
    lua_rawget(L, -2);
    if (!lua_isnil(L, -1)) return 1;
    lua_pop(L, 1);
    modrt_error_kind kind = MODRT_ERR_UNKNOWN;
    {
        gotime::ZoneLoad load = gotime::load_zone(std::string_view(name, len));
        if (load.status == gotime::ZoneLoad::Status::ok) {
            push_location(L, std::move(load.zone));
        } else {
            kind = load.status == gotime::ZoneLoad::Status::not_found ? MODRT_ERR_NOT_FOUND : MODRT_ERR_INVALID;
            lua_pushlstring(L, load.message.data(), load.message.size());
        }
    }
    if (kind != MODRT_ERR_UNKNOWN) return return_error(L, kind, lua_tostring(L, -1));
    lua_pushlstring(L, name, len);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
    return 1;
}

int time_fixed_zone(lua_State* L) {
    size_t len = 0;
    const char* name = luaL_checklstring(L, 1, &len);
    lua_Number offset = luaL_checknumber(L, 2);
    // Go takes any int; offsets beyond a week are no zone anyone uses.
    if (!std::isfinite(offset) || std::fabs(offset) > 7 * 24 * 3600)
        return luaL_argerror(L, 2, "offset out of range (seconds east of UTC, at most a week)");
    push_location(L, gotime::fixed_zone(std::string(name, len), static_cast<int32_t>(offset)));
    return 1;
}

}  // namespace modrt::lua
