// Host modules a function may `require` when its entry lists them under
// `modules:`. Names listed here are accepted by the registry; a module whose
// opener is still null (funcs, ctx: later issues) fails at require time with
// a clear message.
#pragma once

#include <lua.hpp>

#include <string_view>

namespace modrt::lua {

struct HostModule {
    const char* name;
    /// Pushes the module value (called once per state); nullptr: not implemented yet.
    lua_CFunction open;
};

/// The module named `name`, or nullptr when modrt knows no such module.
const HostModule* find_host_module(std::string_view name) noexcept;
/// Comma-separated list of the known names, for error messages.
const char* host_module_names() noexcept;

}  // namespace modrt::lua
