// The `http` host module (Wippy's lua/http/http.md): the HTTP request the
// running call serves and its response, through the exchange an HTTP trigger
// lends the call's root frame (modrt/http.h).
//
//   http.request(options?)   Request, err   options: {max_body = bytes, timeout = ms}
//   http.response()          Response, err
//   http.METHOD, http.STATUS, http.CONTENT, http.TRANSFER   read-only constant tables
//
// Outside an HTTP request (a call no trigger made, a funcs.async call beneath
// one, a module's top level) both give nil and an INTERNAL error. Request and
// Response are lua_http_request.hpp and lua_http_response.hpp.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// lua_CFunction opener: pushes the module table (lua_require binds and seals it).
int open_http_module(lua_State* L);

}  // namespace modrt::lua
