// What the sandboxed `require` (lua_require.hpp) asks of whatever loads
// modules into a state (module_loader.hpp). An interface, so that require
// does not depend on the loader that installs it in every module it loads.
#pragma once

#include "loading/module_spec.hpp"

#include <lua.hpp>

#include <cstdint>
#include <memory>

namespace modrt::lua {

class ModuleResolver {
public:
    /// The spec a require closure of this state was made for (nullptr when unknown).
    virtual const ModuleSpec* spec(uint64_t serial) const noexcept = 0;
    /// Push the value of library `lib`, running its chunk once per state. Raises on failure.
    virtual void push_library(lua_State* L, const std::shared_ptr<const ModuleSpec>& lib) = 0;

protected:
    ModuleResolver() = default;
    ModuleResolver(const ModuleResolver&) = default;
    ModuleResolver& operator=(const ModuleResolver&) = default;
    ~ModuleResolver() = default;  // never deleted through this interface
};

}  // namespace modrt::lua
