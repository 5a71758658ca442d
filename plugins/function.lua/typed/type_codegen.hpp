// The Lua that builds a declared type at run time (`type X = ...` -> a local X made
// by `__modrt_types`, type_runtime.hpp), laid out on the declaration's own lines.
#pragma once

#include "typed/type_syntax.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace modrt::lua::typed {

struct Declaration {
    std::string_view name;
    std::vector<std::string_view> generics;  ///< type parameters: any at run time
    int root = -1;                           ///< the declared type's node
    uint32_t first_line = 0;                 ///< line of `type`
    uint32_t last_line = 0;                  ///< line where the declaration's last token ends
};

/// Code with exactly last_line - first_line newlines that declares and builds the type.
std::string declaration_code(const Declaration& d, const std::vector<TypeNode>& nodes);

/// Lines Lua counts in `text` (\r\n and \n\r are one).
uint32_t count_newlines(std::string_view text) noexcept;

}  // namespace modrt::lua::typed
