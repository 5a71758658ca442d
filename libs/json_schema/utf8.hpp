// Lengths of UTF-8 text as JSON Schema counts them.
#pragma once

#include <cstddef>
#include <string_view>

namespace modrt::contract::json_schema::detail {

// Code points, not bytes: "maxLength" is about characters. Every byte that is not a
// continuation byte starts one; a malformed sequence counts its stray bytes singly.
inline size_t code_points(std::string_view text) noexcept {
    size_t n = 0;
    for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

}  // namespace modrt::contract::json_schema::detail
