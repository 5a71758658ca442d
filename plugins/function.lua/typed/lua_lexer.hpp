// Tokens of Lua 5.1 as LuaJIT 2.1 reads them (long brackets, escapes, 1LL/0x1p-3/1i
// numbers, `::` labels), plus the tokens typed Lua adds (`->`, `?`, `!`, `@`, `|`, `&`).
// No Lua dependency: the translator and its fuzz target build without LuaJIT.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace modrt::lua::typed {

enum class TokenKind : uint8_t { Name, Keyword, Number, String, Op, End };

struct Token {
    TokenKind kind;
    uint32_t begin;  ///< byte offset in the source
    uint32_t end;    ///< one past the last byte
    uint32_t line;   ///< 1-based, counted the way Lua counts (\n, \r, \r\n, \n\r)
    std::string_view text;

    bool is(std::string_view s) const noexcept { return (kind == TokenKind::Op || kind == TokenKind::Keyword) && text == s; }
    bool is_name() const noexcept { return kind == TokenKind::Name; }
};

struct LexResult {
    std::vector<Token> tokens;  ///< always ends with an End token
    bool ok = true;             ///< false: an unfinished string or comment (Lua reports it)
};

/// Split `source` into tokens, comments and whitespace dropped.
LexResult lex(std::string_view source);

/// Whether `c` starts a Lua newline (what line counting and erasing keep).
inline bool is_newline(char c) noexcept { return c == '\n' || c == '\r'; }

}  // namespace modrt::lua::typed
