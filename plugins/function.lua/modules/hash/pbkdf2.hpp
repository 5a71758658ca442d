// hash.pbkdf2: PBKDF2 (RFC 8018 5.2) with HMAC-SHA256 or HMAC-SHA512 on
// OpenSSL's EVP_MAC. The loop is ours, not PKCS5_PBKDF2_HMAC, so that a call
// doing up to 10 million iterations per block stops at its deadline: every
// kPbkdf2CheckEvery HMACs it reaches an interrupt point (vm/call_env.hpp),
// which raises CANCELED/TIMEOUT. The MAC context and buffers live in Lua
// userdata, so that raise leaks nothing.
#pragma once

#include "modules/hash/digests.hpp"

#include <lua.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace modrt::lua {

/// HMACs between two interrupt points.
inline constexpr uint32_t kPbkdf2CheckEvery = 1024;

/// Push the `key_length`-byte key derived from `password` and `salt` (both
/// borrowed from Lua strings on the stack) and return true; on an OpenSSL
/// failure push nothing and return false. Raises on memory errors and at an
/// interrupt point.
bool push_pbkdf2(lua_State* L, DigestId digest, std::string_view password, std::string_view salt, uint32_t iterations,
                 size_t key_length);

}  // namespace modrt::lua
