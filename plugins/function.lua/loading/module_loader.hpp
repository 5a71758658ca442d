// Loading modules into one Lua state: a module's chunk runs once per state in
// its own environment, with its own `require` (lua_require.hpp). What loading
// gave is cached per state: each entry's method function (in a table the call
// path indexes, so a call needs no registry lookup) and each library's value
// (a registry ref).
#pragma once

#include "loading/module_resolver.hpp"
#include "loading/module_spec.hpp"

#include <lua.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

namespace modrt::lua {

class ModuleLoader final : public ModuleResolver {
public:
    /// The registry refs of the state's traceback handler and of its table of loaded methods (made at state creation).
    void attach(int handler_ref, int functions_ref) noexcept {
        handler_ref_ = handler_ref;
        functions_ref_ = functions_ref;
    }

    const ModuleSpec* spec(uint64_t serial) const noexcept override;
    void push_library(lua_State* L, const std::shared_ptr<const ModuleSpec>& lib) override;
    /// Push the method function of `spec`, loading its module once per state. Raises on failure.
    void push_entry_function(lua_State* L, const std::shared_ptr<const ModuleSpec>& spec);
    /// Run the chunk of `spec` in a new module environment; pushes what it returned. Raises on failure.
    void load_module(lua_State* L, const std::shared_ptr<const ModuleSpec>& spec);

    /// Where a loaded method is kept: at `index` in the table of loaded methods, which the top
    /// level reaches on the state's stack, and under a registry ref of its own, `ref`, for a
    /// nested call, which cannot reach that stack slot (one registry lookup instead of two).
    struct LoadedMethod {
        int index = 0;
        int ref = LUA_NOREF;
    };
    /// The entry's method, or null when it is not loaded yet. Inline: the fast call path asks
    /// on every call, and a worker mostly calls the same entry again (then no hash, whose
    /// division costs more than the rest).
    const LoadedMethod* method(uint64_t serial) noexcept {
        return serial == last_serial_ ? last_ : find_method(serial);
    }

private:
    const LoadedMethod* find_method(uint64_t serial) noexcept;

    int handler_ref_ = LUA_NOREF;
    int functions_ref_ = LUA_NOREF;
    std::unordered_map<uint64_t, std::shared_ptr<const ModuleSpec>> specs_;
    std::unordered_map<uint64_t, LoadedMethod> methods_;  // entry serial -> where its method is
    uint64_t last_serial_ = 0;                            // the last hit in methods_ (serials start at 1)
    const LoadedMethod* last_ = nullptr;                  // nodes of an unordered_map never move
    std::unordered_map<std::string, int> libraries_;  // library id -> registry ref (kLoading while running)
};

}  // namespace modrt::lua
