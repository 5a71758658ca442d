// What the registry says about one Lua module: a function.lua entry or a
// library.lua entry, with its source text and the modules it may require.
#pragma once

#include <modrt/sdk.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace modrt::lua {

struct ModuleSpec {
    uint64_t serial = 0;               ///< unique in the process; keys per-state caches
    std::string id;                    ///< entry id "namespace:name"
    std::string source_path;           ///< absolute path of the Lua file
    std::string source;                ///< the file's text, read once at load (typed Lua: translated)
    std::string chunkname;             ///< "@" + source_path (what Lua messages and tracebacks show)
    std::string method;                ///< function.lua: the function to call; empty for libraries
    std::vector<std::string> modules;  ///< host modules allowed by `modules:`
    /// LuaJIT may compile the module's functions (the default); `jit: false` keeps them
    /// interpreted. Either way a runaway loop is stopped (README.md, "Cancellation").
    bool jit = true;
    /// `imports:` alias -> the library.lua entry it names.
    std::vector<std::pair<std::string, std::shared_ptr<const ModuleSpec>>> imports;
    /// Ids of every library this module imports, directly or through other
    /// libraries, sorted: a host module a library required may act in calls of
    /// its importers (module_binding.hpp).
    std::vector<std::string> reach;
    /// Type errors the typed Lua checker found in the file ("path:line: message"); warnings only.
    std::vector<std::string> type_diagnostics;

    /// Whether `id` is this module or one it imports (transitively).
    bool reaches(std::string_view id) const noexcept;
};

/// Read and check an entry's registry fields and source file; resolve its
/// imports through the host (each must be a library.lua entry). Each library
/// is read once per call however many paths reach it (a diamond of imports
/// repeated at every level is linear, not exponential), and shared by its
/// importers. Throws modrt::Failure (INVALID, with the offending field) for
/// registry errors, cycles included.
std::shared_ptr<const ModuleSpec> read_module_spec(const Host& host, const EntryInfo& info, bool needs_method);

}  // namespace modrt::lua
