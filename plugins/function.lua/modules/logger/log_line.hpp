// The text of one logger line: "[name: ]message[ {fields}]". Fields are the
// logger's own (logger:with) merged with the call's (the call's win on the
// same key), keys sorted, each value as json.encode writes it
// (values/json_encode.hpp); a value it cannot write (a function, a cycle)
// shows as "<type>". String and number keys only; others are skipped.
#pragma once

#include "values/json_encode.hpp"

#include <lua.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace modrt::lua {

/// Free Lua stack slots format_log_line needs.
inline constexpr int kLogLineStack = kJsonEncodeStack + 4;

/// What one log call writes. The strings are borrowed from Lua values on the stack.
struct LogLineParts {
    std::string_view name;  ///< the logger's name ("" for the module's own logger)
    std::string_view message;
    int logger_fields = 0;   ///< stack index of the logger's fields table; 0: none
    int call_fields = 0;     ///< stack index of the call's fields table; 0: none
    size_t value_limit = 0;  ///< the longest JSON text of one value (runtime.limits max_value_size)
};

/// Write the line into `out`. Never raises and allocates no Lua memory (the
/// caller reserved kLogLineStack slots); false when C++ memory runs out.
bool format_log_line(lua_State* L, const LogLineParts& parts, std::string& out) noexcept;

}  // namespace modrt::lua
