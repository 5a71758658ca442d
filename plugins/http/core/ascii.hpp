// ASCII case folding for HTTP's case-insensitive tokens: header names, "100-continue",
// CORS origins, path prefixes. Locale-free on purpose: HTTP's tokens are ASCII.
#pragma once

#include <string_view>

namespace modrt::http {

inline char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

}  // namespace modrt::http
