// What the registry says about one Lua module: a function.lua entry or a
// library.lua entry, with its source text and the modules it may require.
#pragma once

#include <modrt/sdk.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace modrt::lua {

struct ModuleSpec {
    uint64_t serial = 0;      ///< unique in the process; keys per-state caches
    std::string id;           ///< entry id "namespace:name"
    std::string source_path;  ///< absolute path of the Lua file
    std::string source;       ///< the file's text, read once at load
    std::string chunkname;    ///< "@" + source_path (what Lua messages and tracebacks show)
    std::string method;       ///< function.lua: the function to call; empty for libraries
    std::vector<std::string> modules;  ///< host modules allowed by `modules:`
    /// `jit: true`: LuaJIT may compile the module's functions. Off by default,
    /// because a compiled loop never reaches the cancellation hook.
    bool jit = false;
    /// `imports:` alias -> the library.lua entry it names.
    std::vector<std::pair<std::string, std::shared_ptr<const ModuleSpec>>> imports;
};

/// Read and check an entry's registry fields and source file; resolve its
/// imports through the host (each must be a library.lua entry). Throws
/// modrt::Failure (INVALID, with the offending field) for registry errors.
std::shared_ptr<const ModuleSpec> read_module_spec(const Host& host, const EntryInfo& info, bool needs_method);

}  // namespace modrt::lua
