// base64 text checks (base64_text.hpp).
#include "modules/base64/base64_text.hpp"

namespace modrt::lua {
namespace {

bool in_alphabet(unsigned char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

}  // namespace

Base64Shape check_base64(std::string_view text) noexcept {
    Base64Shape s;
    for (size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == '\r' || c == '\n') {
            s.line_breaks = true;
            continue;
        }
        if (c == '=') {
            ++s.padding;
        } else if (!in_alphabet(c) || s.padding > 0) {  // a symbol after '=' is as bad as any other byte
            s.status = Base64Shape::Status::bad_character;
            s.offset = i;
            return s;
        }
        ++s.symbols;
    }
    if (s.symbols % 4 != 0 || s.padding > 2) s.status = Base64Shape::Status::bad_padding;
    return s;
}

}  // namespace modrt::lua
