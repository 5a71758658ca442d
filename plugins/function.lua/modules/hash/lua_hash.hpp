// The `hash` host module (Wippy's lua/security/hash.md): digests, HMACs, FNV-1
// and PBKDF2, on OpenSSL (digests.hpp, pbkdf2.hpp).
//
//   hash.md5|sha1|sha256|sha512(data, raw?)                 string, err  lower-case hex, or raw bytes
//   hash.hmac_md5|hmac_sha1|hmac_sha256|hmac_sha512(data, secret, raw?)   string, err
//   hash.fnv32(data), hash.fnv64(data)                       number, err  FNV-1
//   hash.pbkdf2(password, salt, iterations, key_length, hash?)           string, err  raw key bytes
//
// Bad arguments give nil and a non-retryable INVALID error; nothing raises
// but memory errors and a canceled pbkdf2.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// lua_CFunction opener: pushes the module table (lua_require binds and seals it).
int open_hash_module(lua_State* L);

}  // namespace modrt::lua
