// Host modules a function may `require` when its entry lists them under
// `modules:`: funcs (lua_funcs.hpp), ctx (lua_ctx.hpp), security
// (lua_security.hpp), contract (lua_contract.hpp) and http (lua_http.hpp). Each module that
// requires one gets its own read-only instance, bound to it
// (module_binding.hpp).
#pragma once

#include <lua.hpp>

#include <string_view>

namespace modrt::lua {

struct HostModule {
    const char* name;
    /// Pushes the table of the module's C functions (called once per requiring
    /// module and state; lua_require binds and seals it); nullptr: not implemented yet.
    lua_CFunction open;
    /// Its objects record the binding themselves (gate_binding at creation, checked with
    /// check_recorded_binding), so its functions' results skip the shared binding table.
    bool objects_record_binding = false;
};

/// The module named `name`, or nullptr when modrt knows no such module.
const HostModule* find_host_module(std::string_view name) noexcept;
/// Comma-separated list of the known names, for error messages.
const char* host_module_names() noexcept;

/// Replace the table on top of the stack with a read-only proxy of it (a
/// userdata: reads go through, writes and rawset fail, the metatable is
/// hidden), so one function cannot change a module every function of the
/// state shares.
void seal_host_module(lua_State* L, const char* name);

}  // namespace modrt::lua
