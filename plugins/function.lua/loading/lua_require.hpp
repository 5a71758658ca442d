// The sandboxed `require`: each module environment gets its own closure that
// only resolves the names its entry allows (imports: aliases, then modules:).
#pragma once

#include <lua.hpp>

#include <cstdint>

namespace modrt::lua {

class WorkerState;

/// Push the require function of the module with spec `serial` in `ws`.
void push_require(lua_State* L, WorkerState* ws, uint64_t serial);

}  // namespace modrt::lua
