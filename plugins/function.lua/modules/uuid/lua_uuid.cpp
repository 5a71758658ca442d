// The uuid module (lua_uuid.hpp).
#include "modules/uuid/lua_uuid.hpp"

#include "modules/crypto/libcrypto.hpp"

#include "modules/hash/digests.hpp"
#include "modules/uuid/uuid_generate.hpp"
#include "modules/uuid/uuid_text.hpp"
#include "values/lua_owned.hpp"

#include <string_view>

namespace modrt::lua {
namespace {

int push_uuid(lua_State* L, const UuidBytes& id) {
    char text[36];
    format_uuid(id, text);
    lua_pushlstring(L, text, sizeof text);
    return 1;
}

int generation_failed(lua_State* L, const char* fn) {
    lua_pushfstring(L, "%s: the random generator failed", fn);
    return return_error(L, MODRT_ERR_INTERNAL, lua_tostring(L, -1));
}

// The clock of this module instance (upvalue 1).
UuidClock& clock_of(lua_State* L) { return *static_cast<UuidClock*>(lua_touserdata(L, lua_upvalueindex(1))); }

int uuid_v1(lua_State* L) {
    UuidBytes id{};
    if (!make_uuid_v1(clock_of(L), id)) return generation_failed(L, "uuid.v1");
    return push_uuid(L, id);
}

int uuid_v4(lua_State* L) {
    UuidBytes id{};
    if (!make_uuid_v4(id)) return generation_failed(L, "uuid.v4");
    return push_uuid(L, id);
}

int uuid_v7(lua_State* L) {
    UuidBytes id{};
    if (!make_uuid_v7(clock_of(L), id)) return generation_failed(L, "uuid.v7");
    return push_uuid(L, id);
}

// The UUID argument at `idx`; on a bad one pushes nil, err (INVALID) and returns nullopt.
std::optional<UuidBytes> uuid_arg(lua_State* L, int idx, const char* fn, const char* what) {
    if (lua_type(L, idx) != LUA_TSTRING) {
        lua_pushfstring(L, "%s: %s must be a string, got %s", fn, what, luaL_typename(L, idx));
        return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
        return std::nullopt;
    }
    size_t len = 0;
    const char* text = lua_tolstring(L, idx, &len);
    auto id = parse_uuid({text, len});
    if (!id) {
        lua_pushfstring(L, "%s: invalid UUID format (%s)", fn, what);
        return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    }
    return id;
}

// v3 and v5. Upvalues: the version, the function's name.
int uuid_named(lua_State* L) {
    int version = static_cast<int>(lua_tointeger(L, lua_upvalueindex(1)));
    const char* fn = lua_tostring(L, lua_upvalueindex(2));
    auto name_space = uuid_arg(L, 1, fn, "namespace");
    if (!name_space) return 2;
    if (lua_type(L, 2) != LUA_TSTRING) {
        lua_pushfstring(L, "%s: name must be a string, got %s", fn, luaL_typename(L, 2));
        return return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    }
    size_t len = 0;
    const char* name = lua_tolstring(L, 2, &len);
    UuidBytes id{};
    if (!make_uuid_named(version, *name_space, {name, len}, id)) {
        lua_pushfstring(L, "%s: the digest failed", fn);
        return return_error(L, MODRT_ERR_INTERNAL, lua_tostring(L, -1));
    }
    return push_uuid(L, id);
}

int uuid_validate(lua_State* L) {
    size_t len = 0;
    const char* text = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &len) : nullptr;
    lua_pushboolean(L, text != nullptr && parse_uuid({text, len}).has_value());
    return 1;
}

int uuid_version_fn(lua_State* L) {
    auto id = uuid_arg(L, 1, "uuid.version", "uuid");
    if (!id) return 2;
    lua_pushinteger(L, uuid_version(*id));
    return 1;
}

int uuid_variant_fn(lua_State* L) {
    auto id = uuid_arg(L, 1, "uuid.variant", "uuid");
    if (!id) return 2;
    lua_pushstring(L, uuid_variant(*id));
    return 1;
}

int uuid_parse(lua_State* L) {
    auto id = uuid_arg(L, 1, "uuid.parse", "uuid");
    if (!id) return 2;
    int version = uuid_version(*id);
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, version);
    lua_setfield(L, -2, "version");
    lua_pushstring(L, uuid_variant(*id));
    lua_setfield(L, -2, "variant");
    if (version == 1 || version == 7) {
        int64_t seconds = version == 1 ? uuid_v1_unix_seconds(*id) : uuid_v7_unix_seconds(*id);
        lua_pushnumber(L, static_cast<lua_Number>(seconds));  // exact: |seconds| < 2^53
        lua_setfield(L, -2, "timestamp");
    }
    if (version == 1) {
        char node[12];
        to_hex(id->data() + 10, 6, node);
        lua_pushlstring(L, node, sizeof node);
        lua_setfield(L, -2, "node");
    }
    return 1;
}

int uuid_format(lua_State* L) {
    auto id = uuid_arg(L, 1, "uuid.format", "uuid");
    if (!id) return 2;
    std::string_view format = "standard";
    if (!lua_isnoneornil(L, 2)) format = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "";
    char text[45] = "urn:uuid:";
    if (format == "standard") {
        format_uuid(*id, text);
        lua_pushlstring(L, text, 36);
    } else if (format == "simple") {
        format_uuid_simple(*id, text);
        lua_pushlstring(L, text, 32);
    } else if (format == "urn") {
        format_uuid(*id, text + 9);
        lua_pushlstring(L, text, sizeof text);
    } else {
        lua_pushfstring(L, "uuid.format: unsupported format '%s' (standard, simple or urn)",
                        lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : luaL_typename(L, 2));
        return return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    }
    return 1;
}

}  // namespace

int open_uuid_module(lua_State* L) {
    require_libcrypto(L, "uuid");  // its functions use crypto() freely from here on
    lua_createtable(L, 0, 10);
    // One clock per module instance, shared by v1 and v7 (uuid_generate.hpp).
    auto* clock = static_cast<UuidClock*>(lua_newuserdata(L, sizeof(UuidClock)));
    *clock = UuidClock{};
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, uuid_v1, 1);
    lua_setfield(L, -3, "v1");
    lua_pushcclosure(L, uuid_v7, 1);
    lua_setfield(L, -2, "v7");
    lua_pushinteger(L, 3);
    lua_pushliteral(L, "uuid.v3");
    lua_pushcclosure(L, uuid_named, 2);
    lua_setfield(L, -2, "v3");
    lua_pushinteger(L, 5);
    lua_pushliteral(L, "uuid.v5");
    lua_pushcclosure(L, uuid_named, 2);
    lua_setfield(L, -2, "v5");
    static const luaL_Reg fns[] = {{"v4", uuid_v4},
                                   {"validate", uuid_validate},
                                   {"version", uuid_version_fn},
                                   {"variant", uuid_variant_fn},
                                   {"parse", uuid_parse},
                                   {"format", uuid_format},
                                   {nullptr, nullptr}};
    luaL_register(L, nullptr, fns);
    // lua_require binds and seals it per requiring module (module_binding.hpp).
    return 1;
}

}  // namespace modrt::lua
