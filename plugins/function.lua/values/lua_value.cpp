// Lua <-> modrt value conversion (rules in lua_value.hpp and README.md).
//
// Everything here runs in protected mode and may raise Lua errors, so the
// functions keep only trivially destructible locals.
#include "values/lua_value.hpp"

#include "chunks/values_bytecode.hpp"
#include "loading/library_view.hpp"
#include "values/lua_errors.hpp"
#include "values/lua_payload.hpp"
#include "vm/call_env.hpp"
#include "vm/lua_registry.hpp"

#include <modrt/sdk.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace modrt::lua {
namespace {

// LuaJIT's lua_type() for cdata (not in the 5.1 headers).
constexpr int kTypeCdata = 10;

// Registry keys (their addresses).
char kMakeInt64Key;
char kReadInt64Key;
char kSortKey;

// What one to_modrt_value has built so far, measured as the kernel measures a
// value (runtime.limits max_value_size: string and key bytes + 96 per value).
// A table reached twice is counted twice: the output is a tree, so sharing
// (`t = {t, t}` sixty times) would otherwise expand to 2^60 nodes before any
// check. Trivially destructible: conversion raises Lua errors (longjmp).
struct Budget {
    uint64_t used = 0;
    uint64_t limit = 0;
    uint32_t until_check = 0;  // nodes until the next cancellation check
};

// Per value, as the kernel counts it (runtime_limits.cpp).
constexpr uint64_t kPerValue = 96;
// A cancellation check costs a host call; every 1024 nodes keeps it far below the conversion's own cost.
constexpr uint32_t kCheckEvery = 1024;
// Outside a call (no runtime to ask): the kernel's default limit.
constexpr uint64_t kDefaultValueSizeLimit = uint64_t{64} << 20;

[[noreturn]] void raise_invalid(lua_State* L, const char* what, const char* fmt, const char* arg) {
    lua_pushfstring(L, fmt, arg);
    lua_pushfstring(L, "%s: %s", what, lua_tostring(L, -1));
    raise_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    // lua_error does not return; keep the compiler convinced.
    std::abort();
}

void push_int64(lua_State* L, int64_t i) {
    uint64_t u = static_cast<uint64_t>(i);
    int32_t hi = static_cast<int32_t>(static_cast<uint32_t>(u >> 32));
    uint32_t lo = static_cast<uint32_t>(u & 0xffffffffu);
    push_registry(L, &kMakeInt64Key);
    lua_pushnumber(L, hi);
    lua_pushnumber(L, lo);
    lua_call(L, 2, 1);
}

// `until_check`: containers left before the next cancellation check. The value
// is a tree the kernel has already bounded (max_value_size), so this direction
// is linear; the check keeps a large one cancelable.
void push_value(lua_State* L, const modrt_value* v, int depth, uint32_t& until_check) {
    if (push_modrt_scalar(L, v)) return;
    const modrt_host_api& h = host_api();
    switch (h.value_type(v)) {
        case MODRT_NIL:
        case MODRT_BOOL:
        case MODRT_NUMBER: return;  // pushed above
        case MODRT_INT:
            push_int64(L, h.value_int(v));  // beyond 2^53
            return;
        case MODRT_STRING:
        case MODRT_BYTES: {
            modrt_str s = h.value_string(v);
            lua_pushlstring(L, s.ptr ? s.ptr : "", s.len);
            return;
        }
        case MODRT_ARRAY:
        case MODRT_MAP: break;
    }
    if (depth >= kMaxDepth) raise_error(L, MODRT_ERR_INVALID, "argument nested deeper than 200 levels");
    if (--until_check == 0) {
        until_check = kCheckEvery;
        interrupt_point(L, 1);
    }
    if (!lua_checkstack(L, 4)) raise_error(L, MODRT_ERR_INTERNAL, "Lua stack overflow while converting arguments");
    size_t n = h.value_len(v);
    if (h.value_type(v) == MODRT_ARRAY) {
        lua_createtable(L, static_cast<int>(n), 0);
        for (size_t i = 0; i < n; ++i) {
            push_value(L, h.value_at(v, i), depth + 1, until_check);
            lua_rawseti(L, -2, static_cast<int>(i + 1));
        }
    } else {
        lua_createtable(L, 0, static_cast<int>(n));
        for (size_t i = 0; i < n; ++i) {
            modrt_str k = h.value_key_at(v, i);
            lua_pushlstring(L, k.ptr ? k.ptr : "", k.len);
            push_value(L, h.value_at(v, i), depth + 1, until_check);
            lua_rawset(L, -3);
        }
    }
}

[[noreturn, gnu::cold]] void raise_too_large(lua_State* L, const Budget& b, const char* what) {
    char limit[24];
    std::snprintf(limit, sizeof limit, "%llu", static_cast<unsigned long long>(b.limit));
    lua_pushfstring(L, "%s: value too large: more than %s bytes (runtime.limits max_value_size)", what, limit);
    raise_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    std::abort();
}

// Count `bytes` more, before building them; raises once past the limit, and
// checks the call's cancellation every kCheckEvery nodes.
inline void charge(lua_State* L, Budget& b, uint64_t bytes, const char* what) {
    b.used += bytes;
    if (b.used > b.limit) [[unlikely]]
        raise_too_large(L, b, what);
    if (bytes >= kPerValue && --b.until_check == 0) [[unlikely]] {
        b.until_check = kCheckEvery;
        interrupt_point(L, 1);  // raises CANCELED/TIMEOUT like the hook
    }
}

void convert(lua_State* L, int idx, modrt_value* out, int depth, int visiting, const char* what, Budget& b);

void convert_cdata(lua_State* L, int idx, modrt_value* out, const char* what) {
    const modrt_host_api& h = host_api();
    push_registry(L, &kReadInt64Key);
    lua_pushvalue(L, idx);
    lua_call(L, 1, 3);
    int kind = static_cast<int>(lua_tointeger(L, -3));
    if (kind == 0) raise_invalid(L, what, "cannot convert a %s", "cdata");
    uint64_t u = (static_cast<uint64_t>(lua_tonumber(L, -2)) << 32) | static_cast<uint64_t>(lua_tonumber(L, -1));
    lua_pop(L, 3);
    if (kind == 2 && u > static_cast<uint64_t>(INT64_MAX)) {
        h.value_set_number(out, static_cast<double>(u));
        return;
    }
    int64_t i;
    std::memcpy(&i, &u, sizeof i);
    h.value_set_int(out, i);
}

void convert_table(lua_State* L, int idx, modrt_value* out, int depth, int visiting, const char* what, Budget& b) {
    const modrt_host_api& h = host_api();
    if (depth >= kMaxDepth) raise_invalid(L, what, "%s", "table nested deeper than 200 levels");
    if (!lua_checkstack(L, 8)) raise_error(L, MODRT_ERR_INTERNAL, "Lua stack overflow while converting a value");
    lua_pushvalue(L, idx);
    lua_rawget(L, visiting);
    if (!lua_isnil(L, -1)) raise_invalid(L, what, "%s", "cannot convert a table that contains itself (cycle)");
    lua_pop(L, 1);
    lua_pushvalue(L, idx);
    lua_pushboolean(L, 1);
    lua_rawset(L, visiting);

    // Classify: exactly the keys 1..n -> array.
    size_t count = 0;
    bool sequence = true;
    double max_key = 0;
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        ++count;
        if (sequence) {
            if (lua_type(L, -2) == LUA_TNUMBER) {
                lua_Number k = lua_tonumber(L, -2);
                if (k >= 1 && k == std::floor(k)) max_key = k > max_key ? k : max_key;
                else sequence = false;
            } else {
                sequence = false;
            }
        }
        lua_pop(L, 1);
    }

    if (count == 0) {
        h.value_set_map(out, 0);
    } else if (sequence && max_key == static_cast<double>(count)) {
        h.value_set_array(out, count);
        for (size_t i = 1; i <= count; ++i) {
            lua_rawgeti(L, idx, static_cast<int>(i));
            convert(L, lua_gettop(L), h.value_push(out), depth + 1, visiting, what, b);
            lua_pop(L, 1);
        }
    } else {
        // Map: collect string keys (numbers via tostring), sort, then convert.
        lua_createtable(L, static_cast<int>(count), 0);  // keys
        int keys = lua_gettop(L);
        lua_createtable(L, 0, static_cast<int>(count));  // key string -> value
        int by_key = lua_gettop(L);
        int n = 0;
        lua_pushnil(L);
        while (lua_next(L, idx) != 0) {
            int kt = lua_type(L, -2);
            if (kt == LUA_TSTRING) {
                lua_pushvalue(L, -2);
            } else if (kt == LUA_TNUMBER) {
                lua_pushvalue(L, -2);
                lua_tostring(L, -1);  // converts the copy in place, never the key lua_next needs
            } else {
                raise_invalid(L, what, "cannot convert a table key of type %s (keys must be strings or numbers)",
                              luaL_typename(L, -2));
            }
            lua_pushvalue(L, -1);
            lua_rawget(L, by_key);
            if (!lua_isnil(L, -1))
                raise_invalid(L, what, "the table has the key '%s' twice once numbers are turned into strings",
                              lua_tostring(L, -2));
            lua_pop(L, 1);
            lua_pushvalue(L, -1);
            lua_rawseti(L, keys, ++n);
            lua_pushvalue(L, -2);  // value
            lua_rawset(L, by_key);
            lua_pop(L, 1);  // value; key stays for lua_next
        }
        push_registry(L, &kSortKey);
        lua_pushvalue(L, keys);
        lua_call(L, 1, 0);
        h.value_set_map(out, static_cast<size_t>(n));
        for (int i = 1; i <= n; ++i) {
            lua_rawgeti(L, keys, i);
            size_t klen = 0;
            const char* k = lua_tolstring(L, -1, &klen);
            charge(L, b, klen, what);
            modrt_value* slot = h.value_insert(out, modrt_str{k, klen});
            lua_rawget(L, by_key);
            convert(L, lua_gettop(L), slot, depth + 1, visiting, what, b);
            lua_pop(L, 1);
        }
        lua_pop(L, 2);
    }

    // Done: the same table may appear again elsewhere (a DAG is fine, a cycle is not).
    lua_pushvalue(L, idx);
    lua_pushnil(L);
    lua_rawset(L, visiting);
}

void convert(lua_State* L, int idx, modrt_value* out, int depth, int visiting, const char* what, Budget& b) {
    const modrt_host_api& h = host_api();
    int type = lua_type(L, idx);
    if (type == LUA_TSTRING) {  // counted before the kernel copies it
        size_t len = 0;
        const char* s = lua_tolstring(L, idx, &len);
        charge(L, b, kPerValue + len, what);
        h.value_set_string(out, modrt_str{s, len});
        return;
    }
    charge(L, b, kPerValue, what);
    if (scalar_to_modrt(L, idx, out)) return;
    switch (type) {
        case LUA_TNONE: h.value_set_nil(out); return;
        case LUA_TTABLE: convert_table(L, idx, out, depth, visiting, what, b); return;
        case LUA_TUSERDATA:
            if (const ErrorData* e = test_error(L, idx)) {
                std::string_view kind = kind_name(e->kind);
                const std::string message = full_message(*e);
                // {kind, message}: two more values, their keys and strings.
                charge(L, b, 2 * kPerValue + 4 + 7 + kind.size() + message.size(), what);
                h.value_set_map(out, 2);
                h.value_set_string(h.value_insert(out, to_str("kind")), to_str(kind));
                h.value_set_string(h.value_insert(out, to_str("message")), to_str(message));
                return;
            }
            // A future's result passed on, or a library table's read-only view: what it stands for.
            if (push_payload_data(L, idx) || push_view_target(L, idx)) {
                if (depth >= kMaxDepth) raise_invalid(L, what, "%s", "table nested deeper than 200 levels");
                if (visiting == 0) {  // the data may be a table: cycle detection needs the set
                    lua_newtable(L);
                    visiting = lua_gettop(L);
                    b.used -= kPerValue;  // the userdata is not a value of its own: what it stands for is
                    convert(L, visiting - 1, out, depth + 1, visiting, what, b);
                    lua_pop(L, 2);
                } else {
                    b.used -= kPerValue;
                    convert(L, lua_gettop(L), out, depth + 1, visiting, what, b);
                    lua_pop(L, 1);
                }
                return;
            }
            raise_invalid(L, what, "cannot convert a %s", "userdata");
        case kTypeCdata: convert_cdata(L, idx, out, what); return;
        default: raise_invalid(L, what, "cannot convert a %s", luaL_typename(L, idx));
    }
}

}  // namespace

void install_value_helpers(lua_State* L) {
    lua_pushlightuserdata(L, &kSortKey);
    lua_getglobal(L, "table");
    lua_getfield(L, -1, "sort");
    lua_remove(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);

    if (luaL_loadbuffer(L, reinterpret_cast<const char*>(chunks::kValuesBytecode), sizeof chunks::kValuesBytecode, "=modrt.values") != 0) lua_error(L);
    lua_pushcfunction(L, luaopen_ffi);
    lua_call(L, 0, 1);
    lua_getglobal(L, "bit");
    lua_call(L, 2, 2);
    lua_pushlightuserdata(L, &kReadInt64Key);
    lua_insert(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
    lua_pushlightuserdata(L, &kMakeInt64Key);
    lua_insert(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

void push_modrt_value(lua_State* L, const modrt_value* value) {
    if (!lua_checkstack(L, 4)) raise_error(L, MODRT_ERR_INTERNAL, "Lua stack overflow while converting arguments");
    uint32_t until_check = kCheckEvery;
    push_value(L, value, 0, until_check);
}

uint64_t value_size_limit(modrt_runtime* runtime) noexcept {
    // function.lua targets the header's minor, so the kernel that loaded it has value_size_limit (abi.h, the rule).
    return runtime != nullptr ? host_api().value_size_limit(runtime) : kDefaultValueSizeLimit;
}

bool scalar_argument_to_modrt(lua_State* L, int idx, modrt_value* out, uint64_t limit) noexcept {
    int type = lua_type(L, idx);
    uint64_t bytes = kPerValue + (type == LUA_TSTRING ? lua_objlen(L, idx) : 0);
    return bytes <= limit && scalar_to_modrt(L, idx, type, out);
}

bool scalar_arguments_to_modrt(lua_State* L, int first, int count, modrt_value* args, uint64_t limit) noexcept {
    if (count > kBulkScalars || kPerValue > limit) return false;
    modrt_scalar items[kBulkScalars];
    for (int i = 0; i < count; ++i) {
        int idx = first + i;
        switch (lua_type(L, idx)) {
            case LUA_TNUMBER: items[i] = number_scalar(lua_tonumber(L, idx)); break;
            case LUA_TBOOLEAN: items[i] = modrt_scalar{MODRT_BOOL, {lua_toboolean(L, idx)}}; break;
            case LUA_TNIL: items[i] = modrt_scalar{MODRT_NIL, {0}}; break;
            default: return false;
        }
    }
    return ValueSlot(args).set_scalars(items, static_cast<size_t>(count));
}

void to_modrt_value(lua_State* L, int idx, modrt_value* out, const char* what) {
    Budget b;
    b.limit = value_size_limit(current_call(L).runtime);
    b.until_check = kCheckEvery;
    if (lua_type(L, idx) != LUA_TTABLE) {  // no table, no cycle to detect
        convert(L, idx, out, 0, 0, what, b);
        return;
    }
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    if (!lua_checkstack(L, 8)) raise_error(L, MODRT_ERR_INTERNAL, "Lua stack overflow while converting a value");
    lua_newtable(L);  // tables being converted, for cycle detection
    convert(L, idx, out, 0, lua_gettop(L), what, b);
    lua_pop(L, 1);
}

}  // namespace modrt::lua
