// The sandboxed `require`: each module environment gets its own closure that
// only resolves the names its entry allows (imports: aliases, then modules:).
#pragma once

#include "loading/module_resolver.hpp"

#include <lua.hpp>

#include <cstdint>

namespace modrt::lua {

/// Push the require function of the module with spec `serial`, resolving
/// through `resolver` (which must outlive the state's closures).
void push_require(lua_State* L, ModuleResolver* resolver, uint64_t serial);

}  // namespace modrt::lua
