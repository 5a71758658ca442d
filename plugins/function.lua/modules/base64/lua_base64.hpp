// The `base64` host module (Wippy's lua/data/base64.md): standard RFC 4648
// base64 with padding, on OpenSSL's EVP_EncodeBlock / EVP_DecodeBlock.
//
//   base64.encode(data)   string, err   "" for ""
//   base64.decode(text)   string, err   "" for ""; the rules of base64_text.hpp
//
// A non-string argument, a byte outside the alphabet and bad padding give nil
// and a non-retryable INVALID error. Output buffers are Lua memory, so
// memory_limit bounds them.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// lua_CFunction opener: pushes the module table (lua_require binds and seals it).
int open_base64_module(lua_State* L);

}  // namespace modrt::lua
