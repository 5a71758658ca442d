// The logger module and its Logger objects (lua_logger.hpp).
#include "modules/logger/lua_logger.hpp"

#include "modules/logger/log_line.hpp"
#include "modules/module_binding.hpp"
#include "values/lua_errors.hpp"
#include "vm/call_env.hpp"

#include <modrt/sdk.hpp>

#include <cstdint>
#include <string>

namespace modrt::lua {
namespace {

char kLoggerMetaKey;  // registry key (its address) of the Logger metatable

// A Logger is an empty userdata; its environment table holds `name` (a string
// or nil) and `fields` (a table or nil), fixed when it is made.
bool is_logger(lua_State* L, int idx) {
    if (lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx)) return false;
    lua_pushlightuserdata(L, &kLoggerMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    bool same = lua_rawequal(L, -1, -2) != 0;
    lua_pop(L, 2);
    return same;
}

// Where a call's own arguments start, and which logger it acts for: a
// Logger (method call), the module (`logger:info`, the root logger), or
// nothing (`logger.info(...)`, also the root logger).
struct Receiver {
    int logger = 0;     ///< stack index of the Logger; 0: the root logger
    int first_arg = 1;  ///< stack index of the first argument after self
};

Receiver receiver(lua_State* L) {
    if (is_logger(L, 1)) return {1, 2};
    if (lua_type(L, 1) == LUA_TUSERDATA) return {0, 2};  // the module itself
    return {0, 1};
}

// Push the logger's `key` (name or fields) from its environment, or nil.
void push_logger_field(lua_State* L, const Receiver& r, const char* key) {
    if (r.logger == 0) {
        lua_pushnil(L);
        return;
    }
    lua_getfenv(L, r.logger);
    lua_getfield(L, -1, key);
    lua_remove(L, -2);
}

void check_fields_arg(lua_State* L, int idx) {
    if (!lua_isnoneornil(L, idx) && !lua_istable(L, idx)) luaL_typerror(L, idx, "table");
}

// The kernel's level for each method.
struct Level {
    const char* name;
    modrt_log_level level;
};
constexpr Level kLevels[] = {{"debug", MODRT_LOG_DEBUG},
                             {"info", MODRT_LOG_INFO},
                             {"warn", MODRT_LOG_WARN},
                             {"error", MODRT_LOG_ERROR}};

// Format and write the line; the C++ half, where nothing raises.
void write_line(lua_State* L, modrt_log_level level, const LogLineParts& parts) noexcept {
    modrt_frame* frame = current_call(L).frame;
    modrt_str source = frame != nullptr ? host_api().frame_target(frame) : to_str("function.lua");
    std::string line;
    if (format_log_line(L, parts, line)) host_api().log(level, source, to_str(line));
}

// logger:<level>(message, fields?). Upvalue 1: the modrt_log_level.
int logger_log(lua_State* L) {
    auto level = static_cast<modrt_log_level>(lua_tointeger(L, lua_upvalueindex(1)));
    Receiver r = receiver(L);
    int msg = r.first_arg;
    if (lua_type(L, msg) != LUA_TSTRING) luaL_typerror(L, msg, "string");
    check_fields_arg(L, msg + 1);
    if (host_api().log_enabled(level) == 0) return 0;
    lua_settop(L, msg + 1);
    push_logger_field(L, r, "name");
    push_logger_field(L, r, "fields");
    luaL_checkstack(L, kLogLineStack, "logger");
    size_t name_len = 0;
    size_t msg_len = 0;
    const char* name = lua_isstring(L, msg + 2) ? lua_tolstring(L, msg + 2, &name_len) : "";
    const char* text = lua_tolstring(L, msg, &msg_len);
    modrt_runtime* runtime = current_call(L).runtime;
    LogLineParts parts{
        .name = {name, name_len},
        .message = {text, msg_len},
        .logger_fields = lua_istable(L, msg + 3) ? msg + 3 : 0,
        .call_fields = lua_istable(L, msg + 1) ? msg + 1 : 0,
        .value_limit = runtime != nullptr ? host_api().value_size_limit(runtime) : SIZE_MAX,
    };
    write_line(L, level, parts);
    return 0;
}

void push_logger_metatable(lua_State* L);

// Push a new Logger named by the value at `name` (a string or nil) with the
// fields table at `fields` (or nil).
void push_logger(lua_State* L, int name, int fields) {
    lua_newuserdata(L, 0);
    push_logger_metatable(L);
    lua_setmetatable(L, -2);
    lua_createtable(L, 0, 2);
    lua_pushvalue(L, name);
    lua_setfield(L, -2, "name");
    lua_pushvalue(L, fields);
    lua_setfield(L, -2, "fields");
    lua_setfenv(L, -2);
}

// Copy the string- and number-keyed pairs of the table at `from` into the table on top.
void copy_fields(lua_State* L, int from) {
    lua_pushnil(L);
    while (lua_next(L, from) != 0) {
        int t = lua_type(L, -2);
        if (t == LUA_TSTRING || t == LUA_TNUMBER) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -4);
        } else {
            lua_pop(L, 1);
        }
    }
}

int logger_with(lua_State* L) {
    Receiver r = receiver(L);
    int fields = r.first_arg;
    luaL_checktype(L, fields, LUA_TTABLE);
    lua_settop(L, fields);
    push_logger_field(L, r, "name");    // fields + 1
    push_logger_field(L, r, "fields");  // fields + 2
    lua_newtable(L);                    // fields + 3: the parent's, then the new ones
    if (lua_istable(L, fields + 2)) copy_fields(L, fields + 2);
    copy_fields(L, fields);
    push_logger(L, fields + 1, fields + 3);
    return 1;
}

int logger_named(lua_State* L) {
    Receiver r = receiver(L);
    int name = r.first_arg;
    if (lua_type(L, name) != LUA_TSTRING) luaL_typerror(L, name, "string");
    if (lua_objlen(L, name) == 0) return raise_error(L, MODRT_ERR_INVALID, "logger:named: the name must not be empty");
    lua_settop(L, name);
    push_logger_field(L, r, "name");  // name + 1: the new logger's whole name
    if (lua_isstring(L, name + 1)) {  // "parent.name", as zap names children
        lua_pushliteral(L, ".");
        lua_pushvalue(L, name);
        lua_concat(L, 3);
    } else {
        lua_pop(L, 1);
        lua_pushvalue(L, name);
    }
    push_logger_field(L, r, "fields");  // name + 2: shared, never changed
    push_logger(L, name + 1, name + 2);
    return 1;
}

void register_methods(lua_State* L) {
    for (const auto& l : kLevels) {
        lua_pushinteger(L, l.level);
        lua_pushcclosure(L, logger_log, 1);
        lua_setfield(L, -2, l.name);
    }
    lua_pushcfunction(L, logger_with);
    lua_setfield(L, -2, "with");
    lua_pushcfunction(L, logger_named);
    lua_setfield(L, -2, "named");
}

int logger_tostring(lua_State* L) {
    Receiver r{1, 2};
    push_logger_field(L, r, "name");
    if (lua_isstring(L, -1)) lua_pushfstring(L, "Logger(%s)", lua_tostring(L, -1));
    else lua_pushliteral(L, "Logger");
    return 1;
}

void push_logger_metatable(lua_State* L) {
    lua_pushlightuserdata(L, &kLoggerMetaKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_isnil(L, -1)) return;
    lua_pop(L, 1);
    lua_createtable(L, 0, 4);
    lua_createtable(L, 0, 6);
    register_methods(L);
    bind_methods(L, -1, "logger");  // a Logger logs only where the module that made it may
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, logger_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "Logger");
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushlightuserdata(L, &kLoggerMetaKey);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

}  // namespace

int open_logger_module(lua_State* L) {
    lua_createtable(L, 0, 6);
    register_methods(L);
    // lua_require binds and seals it per requiring module (module_binding.hpp).
    return 1;
}

}  // namespace modrt::lua
