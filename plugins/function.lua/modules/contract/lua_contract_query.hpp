// Wippy's binding ids with a query: "ns:binding?debug=true&timeout=5000".
// The query's pairs become context values of the opened instance's calls,
// each converted as Wippy does: "true"/"false" -> bool, an integer -> int,
// a decimal number -> number, anything else -> the string.
#pragma once

#include <modrt/abi.h>

#include <string_view>

namespace modrt::lua {

/// Split `text` at its first '?': *id is the part before it (borrowed from
/// `text`), and each `key=value` pair of the rest (separated by '&',
/// percent-decoded, '+' read as a space; a key without '=' gets "") is
/// inserted into `context` (made a map when there is a query; a repeated key:
/// the last one wins). Returns nullptr, or a static message when the query
/// is malformed (an empty key, a bad %-escape). Never raises or throws.
const char* split_binding_query(modrt_str text, modrt_str* id, modrt_value* context) noexcept;

/// Store the query value `text` into `out` with Wippy's conversion. Never throws.
void set_query_value(modrt_value* out, std::string_view text) noexcept;

}  // namespace modrt::lua
