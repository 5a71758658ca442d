// Lua <-> modrt value conversion. The rules (also in README.md):
//
// modrt -> Lua: nil, bool, string and bytes (both become Lua strings),
//   number; an integer becomes a Lua number when |i| <= 2^53, else an
//   int64_t cdata; an array becomes a table 1..n, a map a string-keyed table.
// Lua -> modrt: nil, boolean, string (always MODRT_STRING); a number that is
//   integral and within +-2^53 becomes MODRT_INT, any other number (fractions,
//   NaN, inf, larger magnitudes) MODRT_NUMBER; int64_t/uint64_t cdata become
//   MODRT_INT (a uint64 above INT64_MAX becomes a NUMBER); an error userdata
//   becomes the map {kind, message}; a table whose keys are exactly 1..n
//   (n >= 1) becomes an ARRAY; an empty table becomes an empty MAP; any other
//   table becomes a MAP with keys sorted, number keys turned into strings by
//   tostring; other key types, cycles, nesting deeper than 200 levels,
//   functions, threads, other userdata and cdata raise an INVALID error.
#pragma once

#include <modrt/abi.h>

#include <lua.hpp>

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

/// Write the Lua value at `idx` into `out` (a slot owned by the caller).
/// Raises an INVALID error userdata whose message starts with `what` when
/// the value cannot be converted; `out` may then hold a partial value.
void to_modrt_value(lua_State* L, int idx, modrt_value* out, const char* what);

}  // namespace modrt::lua
