// Wippy's Payload: what a future's result and its channel deliver.
// `payload:data()` is the callee's result as a Lua value. A payload returned
// or passed on as a value converts as its data.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// Push a payload holding the value at `idx`. Raises on memory errors.
void push_payload(lua_State* L, int idx);
/// When the value at `idx` is a payload, push its data and return true; else push nothing.
bool push_payload_data(lua_State* L, int idx);

}  // namespace modrt::lua
