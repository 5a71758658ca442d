// The text of a logger line (log_line.hpp).
#include "modules/logger/log_line.hpp"

#include <cstdio>
#include <map>

namespace modrt::lua {
namespace {

using Fields = std::map<std::string, std::string>;  // sorted: a line reads the same every time

// Add the pairs of the table at `table` to `fields` (replacing same keys).
// Keys are stored as their JSON text, so the line can print them as they are.
void collect(lua_State* L, int table, size_t limit, Fields& fields) {
    lua_pushnil(L);
    while (lua_next(L, table) != 0) {
        int key_type = lua_type(L, -2);
        std::string key;
        if (key_type == LUA_TSTRING) {
            JsonEncodeError ignored;
            encode_json(L, lua_gettop(L) - 1, key, limit, ignored);  // a string always encodes
        } else if (key_type == LUA_TNUMBER) {
            char text[40];
            // lua_tolstring would turn the key into a string in place and break lua_next.
            std::snprintf(text, sizeof text, "\"%.14g\"", lua_tonumber(L, -2));
            key = text;
        } else {
            lua_pop(L, 1);
            continue;
        }
        std::string value;
        JsonEncodeError failure;
        if (!encode_json(L, lua_gettop(L), value, limit, failure)) {
            value = "\"<";
            value += luaL_typename(L, -1);
            value += ">\"";
        }
        fields.insert_or_assign(std::move(key), std::move(value));
        lua_pop(L, 1);
    }
}

}  // namespace

bool format_log_line(lua_State* L, const LogLineParts& parts, std::string& out) noexcept {
    int top = lua_gettop(L);
    try {
        Fields fields;
        if (parts.logger_fields != 0) collect(L, parts.logger_fields, parts.value_limit, fields);
        if (parts.call_fields != 0) collect(L, parts.call_fields, parts.value_limit, fields);
        out.clear();
        if (!parts.name.empty()) {
            out += parts.name;
            out += ": ";
        }
        out += parts.message;
        if (!fields.empty()) {
            out += " {";
            bool first = true;
            for (const auto& [key, value] : fields) {
                if (!first) out += ',';
                first = false;
                out += key;
                out += ':';
                out += value;
            }
            out += '}';
        }
        return true;
    } catch (...) {  // std::bad_alloc: the line is dropped
        lua_settop(L, top);
        return false;
    }
}

}  // namespace modrt::lua
