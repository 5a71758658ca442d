// Schema regular expressions ("pattern", "patternProperties", format "regex") as std::regex.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <string_view>

namespace modrt::contract::json_schema::detail {

// ECMAScript syntax. std::regex reads an unknown letter escape such as "\Z" or "\A" as the
// bare letter, silently unlike what the author meant: those are refused, like ECMAScript's
// unicode mode does. On failure returns nothing and, when `error` is given, says why.
std::optional<std::regex> compile_regex(std::string_view source, std::string* error);

}  // namespace modrt::contract::json_schema::detail
