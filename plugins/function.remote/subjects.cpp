// Subjects of remote calls (subjects.hpp).
#include "subjects.hpp"

namespace modrt::remote {

namespace {

/// Why `s` is not a literal subject (no wildcards, no empty token, no white space or controls).
std::optional<std::string> literal_problem(std::string_view s) {
    if (s.empty()) return "empty";
    if (s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos) return "has an empty token";
    for (char c : s) {
        if (c == '*' || c == '>') return "has a NATS wildcard (* or >)";
        if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return "has white space or a control character";
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> prefix_problem(std::string_view prefix) { return literal_problem(prefix); }

std::optional<std::string> function_id_problem(std::string_view id) {
    size_t colon = id.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == id.size() ||
        id.find(':', colon + 1) != std::string_view::npos)
        return "expected a function id such as app.api:get_user";
    return literal_problem(id);
}

}  // namespace modrt::remote
