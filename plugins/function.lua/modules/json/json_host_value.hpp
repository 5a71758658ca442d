// JSON text -> host value (modrt_value), for json.validate: the schema
// validator reads host values, and JSON Schema needs what a Lua table cannot
// hold (null members and items, empty objects). nlohmann's SAX parser reads
// the text (strict RFC 8259, as values/json_decode.hpp) and the events write
// the value through the host API:
//   object -> map (a repeated key: the last wins); array -> array;
//   string -> string; integer within int64 -> int, other numbers -> number;
//   true/false -> bool; null -> nil (kept, in maps and arrays alike).
// Nesting deeper than 128 levels is an error.
#pragma once

#include <modrt/abi.h>

#include <string_view>

namespace modrt::lua {

/// Why parse_json_value failed. Trivially destructible.
struct JsonValueError {
    char message[224] = {};  ///< "at byte <n>: <why>", or "out of memory"
};

/// Replace `out` with the value of `text`; false with `err` set on bad JSON
/// or when memory runs out. Never throws, touches no Lua.
bool parse_json_value(std::string_view text, modrt_value* out, JsonValueError& err) noexcept;

}  // namespace modrt::lua
