// JSON text -> Lua value, for req:body_json. nlohmann-json parses (strict
// RFC 8259: no comments, no trailing commas, nothing but whitespace after the
// value); its SAX events build the Lua value directly.
//   object -> table with string keys (a repeated key: the last wins);
//   array -> table 1..n; string -> string (\u escapes become UTF-8);
//   number -> Lua number (beyond 2^53, the nearest double); true/false ->
//   boolean; null -> nil (a member or item that is null is left out of its
//   table: an array gets a hole).
// Nesting deeper than 128 levels is an error.
// Where nlohmann decides, its rules hold: a lone surrogate escape and invalid
// UTF-8 in a string are errors; a number too small for a double reads as 0
// (too large is an error); "-0" reads as 0; <why> is nlohmann's message
// without its "[json.exception...]" id, and <n> counts the bytes nlohmann read
// (the offending byte is the n-th; the end of the text is one past it).
#pragma once

#include <lua.hpp>

#include <string_view>

namespace modrt::lua {

/// nlohmann-json's parse error text without its "[json.exception.parse_error.101] " id, which
/// means nothing to a Lua caller (both JSON readers of the plugin report errors this way).
inline std::string_view json_error_reason(std::string_view what) noexcept {
    if (what.starts_with("[json.exception."))
        if (size_t end = what.find("] "); end != std::string_view::npos) what.remove_prefix(end + 2);
    return what;
}

/// Push the value of the JSON text `text` and return 1; on bad JSON push nil
/// and a non-retryable INVALID error "<what>: invalid JSON at byte <n>: <why>"
/// and return 2. Raises only on memory errors.
int push_json_decoded(lua_State* L, std::string_view text, const char* what);

}  // namespace modrt::lua
