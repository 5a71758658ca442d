// Lua value -> JSON text, for res:write_json. Wippy's json.encode rules
// (lua/data/json.md):
//   nil -> null; booleans; strings (escaped, invalid UTF-8 bytes become U+FFFD);
//   numbers: integral within +-2^53 as integers, others in the shortest form
//   that reads back the same, NaN and +-inf as null;
//   a table whose keys are exactly 1..n -> array; only string keys -> object
//   (members in table order); an empty table -> [];
//   mixed numeric and string keys, sparse arrays (gaps, non-integer or
//   non-positive number keys), other key types, a table that contains
//   itself and nesting deeper than 128 levels are errors.
// Error values encode as {"kind": ..., "message": ...}, a future's payload and
// a library's read-only view as what they stand for (as funcs.call converts
// them); functions, threads, cdata and other userdata are errors.
#pragma once

#include <lua.hpp>

#include <cstddef>
#include <string>

namespace modrt::lua {

/// Deepest nesting write_json encodes (Wippy's json module's limit).
inline constexpr int kJsonMaxDepth = 128;
/// Free Lua stack slots encode_json needs: reserve them (lua_checkstack) before calling it.
inline constexpr int kJsonEncodeStack = 3 * kJsonMaxDepth + 8;

/// Why encode_json failed. Trivially destructible: it outlives the C++ part of
/// write_json and is read where Lua may raise.
struct JsonEncodeError {
    char message[160] = {};
};

/// Append the JSON text of the Lua value at `idx` to `out`. Never raises and
/// calls no Lua API that allocates (the caller reserved kJsonEncodeStack
/// slots). Returns false with `err` set when the value cannot be encoded, the
/// text would pass `limit` bytes, or memory runs out; `out` then holds a partial text.
bool encode_json(lua_State* L, int idx, std::string& out, size_t limit, JsonEncodeError& err) noexcept;

}  // namespace modrt::lua
