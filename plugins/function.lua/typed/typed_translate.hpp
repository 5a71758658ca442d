// Typed Lua -> plain Lua for LuaJIT (README.md, "Typed Lua"). Annotations, casts and
// `!` are blanked out with spaces, every newline kept, so each remaining token is on
// its line and column; a `type` declaration becomes a local holding a runtime type
// built by the `__modrt_types` global (type_runtime.hpp), on the declaration's lines.
// Plain Lua comes back unchanged (`changed` false, `text` empty: use the source).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace modrt::lua::typed {

/// Something the checker found without running the code (`modrt validate` shows it).
struct TypeDiagnostic {
    uint32_t line;
    std::string message;
};

struct Translation {
    bool ok = true;        ///< false: typed syntax that does not parse (error_line, error)
    bool changed = false;  ///< false: the source had no typed syntax; use it as it is
    std::string text;      ///< the plain Lua when changed
    uint32_t error_line = 0;
    std::string error;
    std::vector<TypeDiagnostic> diagnostics;  ///< type errors found statically
};

/// The global a translated `type` declaration calls (installed by type_runtime.hpp).
inline constexpr std::string_view kTypesGlobal = "__modrt_types";

Translation translate(std::string_view source);

}  // namespace modrt::lua::typed
