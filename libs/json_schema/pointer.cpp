#include "pointer.hpp"

#include <charconv>
#include <system_error>

namespace modrt::contract::json_schema::detail {

void append_token(std::string& pointer, std::string_view token) {
    pointer += '/';
    for (char c : token) {
        if (c == '~') pointer += "~0";
        else if (c == '/') pointer += "~1";
        else pointer += c;
    }
}

void append_index(std::string& pointer, size_t index) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, index);
    pointer += '/';
    pointer.append(buf, ec == std::errc() ? end : buf);
}

bool split_pointer(std::string_view pointer, std::vector<std::string>& tokens) {
    tokens.clear();
    if (pointer.empty()) return true;
    if (pointer.front() != '/') return false;
    std::string token;
    for (size_t i = 1; i <= pointer.size(); ++i) {
        if (i == pointer.size() || pointer[i] == '/') {
            tokens.push_back(std::move(token));
            token.clear();
            continue;
        }
        char c = pointer[i];
        if (c == '~') {
            if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) return false;
            token += pointer[++i] == '0' ? '~' : '/';
        } else {
            token += c;
        }
    }
    return true;
}

bool parse_index(std::string_view token, size_t& index) {
    if (token.empty() || (token.size() > 1 && token.front() == '0')) return false;
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
    return ec == std::errc() && end == token.data() + token.size();
}

}  // namespace modrt::contract::json_schema::detail
