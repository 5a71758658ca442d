// FNV-1 (not FNV-1a: hash.md names FNV-1), 32 and 64 bits: the hash module's
// non-cryptographic hashes. Multiply, then xor each byte.
#pragma once

#include <cstdint>
#include <string_view>

namespace modrt::lua {

/// FNV-1 32-bit of `data`.
constexpr uint32_t fnv1_32(std::string_view data) noexcept {
    uint32_t h = 2166136261u;
    for (unsigned char c : data) h = (h * 16777619u) ^ c;
    return h;
}

/// FNV-1 64-bit of `data`.
constexpr uint64_t fnv1_64(std::string_view data) noexcept {
    uint64_t h = 14695981039346656037ull;
    for (unsigned char c : data) h = (h * 1099511628211ull) ^ c;
    return h;
}

}  // namespace modrt::lua
