// JSON Pointer (RFC 6901) tokens: instance paths in violations, fragments in $ref.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace modrt::contract::json_schema::detail {

// Appends "/" and `token` with "~" and "/" escaped.
void append_token(std::string& pointer, std::string_view token);
void append_index(std::string& pointer, size_t index);

// "/a/b~1c" -> {"a", "b/c"}; false when `pointer` is not one (no leading "/", bad "~" escape).
bool split_pointer(std::string_view pointer, std::vector<std::string>& tokens);

// An array index token: decimal digits without a leading zero.
bool parse_index(std::string_view token, size_t& index);

}  // namespace modrt::contract::json_schema::detail
