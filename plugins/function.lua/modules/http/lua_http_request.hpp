// The Request object of the `http` module (Wippy's lua/http/http.md, "Request
// Methods"): a userdata holding the exchange it reads, methods on a metatable
// made once per state. Every method first checks that the exchange is still
// the one the running call serves (http_exchange_access.hpp).
#pragma once

#include <modrt/http.h>

#include <lua.hpp>

#include <cstdint>

namespace modrt::lua {

/// Push a new Request reading `ex`; body() and body_json() refuse a body
/// longer than `max_body` bytes. Raises on memory errors.
void push_request(lua_State* L, modrt_http_exchange* ex, uint64_t max_body);

}  // namespace modrt::lua
