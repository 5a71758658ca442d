// What the http module's objects share: finding the exchange the running call
// serves (modrt/http.h), telling whether an object's exchange is still that
// one, and turning the exchange's owned errors into Lua error values.
//
// Request and response objects keep the exchange they were made for, but a
// Lua value can outlive its call (module-level state persists between calls)
// and the trigger frees the exchange when the request ends. So every method
// first checks that the object's request is the one the running call serves:
// the exchange the call reaches (host frame_attachment: a walk to the root
// frame and a key compare) must be the object's and carry the same serial
// (http.h: it changes with every request, since a trigger may serve a later
// request with the same exchange object, or lend one at a freed one's address).
// A stale object gets an error, never a dangling pointer.
#pragma once

#include <modrt/abi.h>
#include <modrt/http.h>

#include <lua.hpp>

#include <cstddef>
#include <cstdint>

namespace modrt::lua {

/// The exchange lent to the call running on `L` (or to a synchronous caller
/// of it); nullptr outside a call or when no HTTP request is being served.
modrt_http_exchange* running_exchange(lua_State* L) noexcept;

/// Which request an object was made for. Trivially copyable: it lives in userdata.
struct ExchangeRef {
    modrt_http_exchange* ex = nullptr;
    uint64_t serial = 0;  ///< the exchange's serial when the object was made
};

/// The reference to the request `ex` serves now.
ExchangeRef exchange_ref(modrt_http_exchange* ex) noexcept;

/// The exchange of `ref` when the running call serves that request; nullptr
/// for an object made in another request (or outside a call).
modrt_http_exchange* live_exchange(lua_State* L, const ExchangeRef& ref) noexcept;

/// The message for http.request() / http.response() when no exchange is reachable.
const char* no_exchange_message(lua_State* L) noexcept;
/// The message for a method of an object whose request has ended.
inline constexpr const char* kStaleExchangeMessage =
    "this object belongs to an HTTP request the running call is not serving (keep request and response objects "
    "only for the call that made them)";

/// Store what push_exchange_error needs in the registry (open_http_module does, before
/// any object exists; again is a no-op). May raise (allocation).
void install_exchange_error_helper(lua_State* L);

/// Push `err` (owned, not null) as an error value keeping its kind, message and
/// details, and free it, even when pushing runs out of memory (the memory
/// error is raised after the free). Returns 1.
int push_exchange_error(lua_State* L, modrt_error* err);

/// Push a borrowed exchange string as a Lua string ({NULL,0} as "").
inline void push_exchange_str(lua_State* L, modrt_str s) { lua_pushlstring(L, s.ptr != nullptr ? s.ptr : "", s.len); }

}  // namespace modrt::lua
