// The tokens of a policy expression (README.md "Expression policies").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace modrt::security::expr {

enum class TokenKind : uint8_t {
    End,
    Int,     // 42, 1_000
    Float,   // 1.5, 2e3
    String,  // "a", 'a', `raw`
    Name,    // identifiers and word operators (and, or, not, in, matches, ...)
    Punct,   // ( ) [ ] , . ?. ? : ?? == != < <= > >= && || ! + - * / %
};

struct Token {
    TokenKind kind = TokenKind::End;
    size_t pos = 0;         // byte offset in the expression
    std::string_view text;  // as written (a String's text includes its quotes)
    std::string str;        // a String's content, escapes decoded
    int64_t i = 0;
    double f = 0;

    /// This punctuation or word (punctuation never spells a word, so one compare tells them apart).
    bool is(std::string_view punct_or_word) const noexcept {
        return (kind == TokenKind::Punct || kind == TokenKind::Name) && text == punct_or_word;
    }
};

/// A syntax error at byte `pos` of the expression.
struct SyntaxError {
    size_t pos;
    std::string message;
};

}  // namespace modrt::security::expr
