// Lua <-> modrt value conversion. The rules (also in README.md):
//
// modrt -> Lua: nil, bool, string and bytes (both become Lua strings),
//   number; an integer becomes a Lua number when |i| <= 2^53, else an
//   int64_t cdata; an array becomes a table 1..n, a map a string-keyed table.
// Lua -> modrt: nil, boolean, string (always MODRT_STRING); a number that is
//   integral and within +-2^53 becomes MODRT_INT, any other number (fractions,
//   NaN, inf, -0.0, larger magnitudes) MODRT_NUMBER; int64_t/uint64_t cdata become
//   MODRT_INT (a uint64 above INT64_MAX becomes a NUMBER); an error userdata
//   becomes the map {kind, message}; a payload (a future's result) becomes
//   its data; a table whose keys are exactly 1..n
//   (n >= 1) becomes an ARRAY; an empty table becomes an empty MAP; any other
//   table becomes a MAP with keys sorted, number keys turned into strings by
//   tostring; other key types, cycles, nesting deeper than 200 levels,
//   functions, threads, other userdata and cdata raise an INVALID error.
//   The conversion counts what it builds as the kernel measures a value (string
//   and key bytes + 96 per value; a table reached twice counts twice: the result
//   is a tree) and raises INVALID "value too large" as soon as that passes
//   runtime.limits max_value_size; it checks the call's cancellation every 1024
//   values, in both directions.
#pragma once

#include <modrt/sdk.hpp>

#include <lua.hpp>

#include <cmath>
#include <cstdint>

namespace modrt::lua {

/// Deepest nesting converted in either direction.
inline constexpr int kMaxDepth = 200;

/// Store the helpers conversion needs (int64 cdata constructor and reader,
/// table.sort) in the registry. Needs the ffi and bit libraries; call once
/// at state creation, before the sandbox hides them.
void install_value_helpers(lua_State* L);

/// Push `value` (borrowed) as a Lua value. Raises on memory errors and on
/// nesting deeper than kMaxDepth.
void push_modrt_value(lua_State* L, const modrt_value* value);

/// 2^53: the largest magnitude up to which every integer is an exact double.
inline constexpr int64_t kMaxExactInt = int64_t(1) << 53;

// The scalar conversions below are inline: the call fast path runs them on
// every call, and a call into another file costs about as much as the work.

/// A Lua number as modrt stores it: integral and within +-2^53 -> int, else number.
inline modrt_scalar number_scalar(lua_Number d) noexcept {
    // In range first (NaN fails it), then integral: the truncation round-trips.
    constexpr auto kMax = static_cast<double>(kMaxExactInt);
    modrt_scalar s{MODRT_NUMBER, {0}};
    // -0.0 stays a number: as an int it would lose its sign, and JSON can write it.
    if (d >= -kMax && d <= kMax && static_cast<double>(static_cast<int64_t>(d)) == d && (d != 0 || !std::signbit(d))) {
        s.type = MODRT_INT;
        s.as.i = static_cast<int64_t>(d);
    } else {
        s.as.n = d;
    }
    return s;
}

/// Store a Lua number (number_scalar's rule).
inline void convert_number(lua_Number d, modrt_value* out) noexcept {
    const modrt_host_api& h = host_api();
    modrt_scalar s = number_scalar(d);
    if (s.type == MODRT_INT) h.value_set_int(out, s.as.i);
    else h.value_set_number(out, s.as.n);
}

/// Whether push_scalar can push `s` without Lua allocation (nil, bool, number, int within +-2^53).
inline bool pushable_scalar(const modrt_scalar& s) noexcept {
    if (s.type == MODRT_INT) return s.as.i >= -kMaxExactInt && s.as.i <= kMaxExactInt;  // else an int64_t cdata
    return s.type == MODRT_NUMBER || s.type == MODRT_BOOL || s.type == MODRT_NIL;
}

/// Push a scalar that pushable_scalar accepted; needs one free stack slot, never raises.
inline void push_scalar(lua_State* L, const modrt_scalar& s) noexcept {
    if (s.type == MODRT_INT) lua_pushnumber(L, static_cast<lua_Number>(s.as.i));
    else if (s.type == MODRT_NUMBER) lua_pushnumber(L, s.as.n);
    else if (s.type == MODRT_BOOL) lua_pushboolean(L, s.as.i != 0);
    else lua_pushnil(L);
}

/// Push `value` when pushable_scalar accepts it; returns false, pushing nothing, otherwise.
inline bool push_modrt_scalar(lua_State* L, const modrt_value* value) noexcept {
    modrt_scalar s = read_scalar(value);
    if (!pushable_scalar(s)) return false;
    push_scalar(L, s);
    return true;
}

/// Write the Lua value at `idx` into `out` when that needs no Lua
/// allocation: nil, boolean, number, string. Returns false, leaving `out`
/// alone, for anything else. Never raises.
/// Always inlined: it is the fast call path's result conversion (out of line it cost ~20 instructions a call).
/// `type` is lua_type(L, idx), for a caller that has it already.
[[gnu::always_inline]] inline bool scalar_to_modrt(lua_State* L, int idx, int type, modrt_value* out) noexcept {
    const modrt_host_api& h = host_api();
    if (type == LUA_TNUMBER) [[likely]] {
        convert_number(lua_tonumber(L, idx), out);
    } else if (type == LUA_TSTRING) {  // lua_tolstring allocates only when it converts a number
        size_t len = 0;
        const char* s = lua_tolstring(L, idx, &len);
        h.value_set_string(out, modrt_str{s, len});
    } else if (type == LUA_TBOOLEAN) {
        h.value_set_bool(out, lua_toboolean(L, idx));
    } else if (type == LUA_TNIL) {
        h.value_set_nil(out);
    } else {
        return false;
    }
    return true;
}
/// The same, reading the type itself.
[[gnu::always_inline]] inline bool scalar_to_modrt(lua_State* L, int idx, modrt_value* out) noexcept {
    return scalar_to_modrt(L, idx, lua_type(L, idx), out);
}

/// The runtime's max_value_size (the kernel's default outside a call).
uint64_t value_size_limit(modrt_runtime* runtime) noexcept;

/// scalar_to_modrt where to_modrt_value would accept the value too, `limit` being
/// value_size_limit; false, writing nothing, otherwise (a table, a string past the limit).
/// Never raises, so it needs no protected call.
bool scalar_argument_to_modrt(lua_State* L, int idx, modrt_value* out, uint64_t limit) noexcept;

/// The `count` Lua values from `first` written into `args` as an array with one host call
/// (value_set_scalars), when each is a nil, boolean or number and count <= kBulkScalars;
/// false, writing nothing, otherwise. Never raises.
inline constexpr int kBulkScalars = 16;
bool scalar_arguments_to_modrt(lua_State* L, int first, int count, modrt_value* args, uint64_t limit) noexcept;

/// Write the Lua value at `idx` into `out` (a slot owned by the caller).
/// Raises an INVALID error userdata whose message starts with `what` when
/// the value cannot be converted; `out` may then hold a partial value.
void to_modrt_value(lua_State* L, int idx, modrt_value* out, const char* what);

}  // namespace modrt::lua
