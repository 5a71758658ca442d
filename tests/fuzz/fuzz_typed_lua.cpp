// Fuzz target: the typed Lua translator (plugins/function.lua/typed) on arbitrary
// input. A crash, a translation whose line count differs from the input's (Lua's
// counting), or an output for input that was plain Lua is a finding.
#include "typed/typed_translate.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

size_t lua_lines(std::string_view s) {
    size_t n = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\n' && s[i] != '\r') continue;
        if (i + 1 < s.size() && (s[i + 1] == '\n' || s[i + 1] == '\r') && s[i + 1] != s[i]) ++i;
        ++n;
    }
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view src(reinterpret_cast<const char*>(data), size);
    modrt::lua::typed::Translation t = modrt::lua::typed::translate(src);
    if (!t.ok) {
        if (t.error.empty() || t.error_line == 0 || t.error_line > lua_lines(src) + 1) __builtin_trap();
        return 0;
    }
    if (!t.changed) {
        if (!t.text.empty()) __builtin_trap();
        return 0;
    }
    if (lua_lines(t.text) != lua_lines(src)) __builtin_trap();
    return 0;
}
