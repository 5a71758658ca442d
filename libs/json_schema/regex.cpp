#include "regex.hpp"

#include <locale>

namespace modrt::contract::json_schema::detail {

namespace {

// Letter escapes std::regex's ECMAScript grammar knows: classes, anchors, controls, \c \x \u.
bool known_letter_escape(char c) { return std::string_view("dDwWsSbBfnrtvcxu").find(c) != std::string_view::npos; }

bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// libstdc++'s ctype<char>::narrow() fills a cache on first use of each character, unsynchronised
// (PR libstdc++/77704), and std::regex's scanner calls it: two threads compiling regexes (format
// "regex" compiles at validation time) race on it. Filling it once, behind a static's guard,
// leaves only reads afterwards. (narrow(c, 0) caches every result but 0, and never writes 0.)
void fill_narrow_cache() {
    static const bool filled = [] {
        const auto& ctype = std::use_facet<std::ctype<char>>(std::locale());
        for (int c = 0; c < 256; ++c) ctype.narrow(static_cast<char>(c), '\0');
        return true;
    }();
    (void)filled;
}

}  // namespace

std::optional<std::regex> compile_regex(std::string_view source, std::string* error) {
    fill_narrow_cache();
    for (size_t i = 0; i + 1 < source.size(); ++i) {
        if (source[i] != '\\') continue;
        char c = source[++i];
        if (letter(c) && !known_letter_escape(c)) {
            if (error) *error = "\\" + std::string(1, c) + " is no ECMAScript escape";
            return std::nullopt;
        }
    }
    try {
        return std::regex(source.begin(), source.end(), std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        if (error) *error = e.what();
        return std::nullopt;
    }
}

}  // namespace modrt::contract::json_schema::detail
