// The Response object of the `http` module (Wippy's lua/http/http.md,
// "Response Methods"): a userdata holding the exchange it writes, methods on a
// metatable made once per state. Each method returns nil on success or an
// error value (one value, as Wippy's `local err = res:write(...)`), and first
// checks that the exchange is still the one the running call serves.
#pragma once

#include <modrt/http.h>

#include <lua.hpp>

namespace modrt::lua {

/// Push a new Response writing `ex`. Raises on memory errors.
void push_response(lua_State* L, modrt_http_exchange* ex);

}  // namespace modrt::lua
