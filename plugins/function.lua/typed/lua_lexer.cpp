// The Lua/LuaJIT lexer (lua_lexer.hpp). Follows lj_lex.c where it matters for where
// tokens begin and end; what a token means is left to LuaJIT.
#include "typed/lua_lexer.hpp"

#include <array>

namespace modrt::lua::typed {
namespace {

constexpr std::array<std::string_view, 21> kKeywords = {
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
    "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until"};

bool is_keyword(std::string_view s) noexcept {
    if (s == "while") return true;
    for (auto k : kKeywords)
        if (k == s) return true;
    return false;
}

bool is_ident_start(unsigned char c) noexcept {
    return c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c >= 0x80;
}
bool is_digit(unsigned char c) noexcept { return c >= '0' && c <= '9'; }
bool is_ident(unsigned char c) noexcept { return is_ident_start(c) || is_digit(c); }

class Lexer {
public:
    explicit Lexer(std::string_view s) : s_(s) {}

    LexResult run() {
        LexResult r;
        r.tokens.reserve(s_.size() / 4 + 1);
        for (;;) {
            skip_space_and_comments();
            if (failed_) break;
            if (p_ >= s_.size()) break;
            size_t start = p_;
            uint32_t line = line_;
            TokenKind kind = scan();
            if (failed_) break;
            std::string_view text = s_.substr(start, p_ - start);
            if (kind == TokenKind::Name && is_keyword(text)) kind = TokenKind::Keyword;
            r.tokens.push_back({kind, static_cast<uint32_t>(start), static_cast<uint32_t>(p_), line, text});
        }
        r.ok = !failed_;
        r.tokens.push_back({TokenKind::End, static_cast<uint32_t>(s_.size()), static_cast<uint32_t>(s_.size()), line_, {}});
        return r;
    }

private:
    char at(size_t i) const noexcept { return i < s_.size() ? s_[i] : '\0'; }

    // At a newline char: step over it (a \r\n or \n\r pair is one line, as in Lua).
    void newline() noexcept {
        char c = s_[p_++];
        if (p_ < s_.size() && is_newline(s_[p_]) && s_[p_] != c) ++p_;
        ++line_;
    }

    // At '[': the level of a long bracket "[==[" (>= 0), or -1 when this is not one.
    int long_level(size_t i) const noexcept {
        size_t j = i + 1;
        while (at(j) == '=') ++j;
        return at(j) == '[' ? static_cast<int>(j - i - 1) : -1;
    }

    // At the opening bracket of a long string/comment of `level`: skip to after its close.
    void skip_long(int level) noexcept {
        p_ += static_cast<size_t>(level) + 2;
        while (p_ < s_.size()) {
            char c = s_[p_];
            if (c == ']') {
                size_t j = p_ + 1;
                while (at(j) == '=') ++j;
                if (at(j) == ']' && static_cast<int>(j - p_ - 1) == level) {
                    p_ = j + 1;
                    return;
                }
                p_ = j;  // the '='s cannot start a close of their own
            } else if (is_newline(c)) {
                newline();
            } else {
                ++p_;
            }
        }
        failed_ = true;
    }

    void skip_space_and_comments() noexcept {
        while (p_ < s_.size()) {
            char c = s_[p_];
            if (is_newline(c)) {
                newline();
            } else if (c == ' ' || c == '\t' || c == '\v' || c == '\f') {
                ++p_;
            } else if (c == '-' && at(p_ + 1) == '-') {
                p_ += 2;
                if (at(p_) == '[') {
                    if (int level = long_level(p_); level >= 0) {
                        skip_long(level);
                        if (failed_) return;
                        continue;
                    }
                }
                while (p_ < s_.size() && !is_newline(s_[p_])) ++p_;
            } else {
                return;
            }
        }
    }

    void scan_quoted(char quote) noexcept {
        ++p_;
        while (p_ < s_.size()) {
            char c = s_[p_];
            if (c == quote) {
                ++p_;
                return;
            }
            if (is_newline(c)) break;  // unfinished string
            if (c == '\\') {
                ++p_;
                if (p_ >= s_.size()) break;
                if (is_newline(s_[p_])) newline();
                else if (s_[p_] == 'z') {  // \z skips the whitespace that follows, newlines included
                    ++p_;
                    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\v' || s_[p_] == '\f' ||
                                              is_newline(s_[p_]))) {
                        if (is_newline(s_[p_])) newline();
                        else ++p_;
                    }
                } else ++p_;
                continue;
            }
            ++p_;
        }
        failed_ = true;
    }

    // lj_lex_number: identifier chars, '.', and a sign right after an exponent letter.
    void scan_number() noexcept {
        char xp = 'e';
        if (s_[p_] == '0' && (at(p_ + 1) | 0x20) == 'x') xp = 'p';
        char prev = '\0';
        while (p_ < s_.size()) {
            char c = s_[p_];
            if (is_ident(static_cast<unsigned char>(c)) || c == '.' ||
                ((c == '-' || c == '+') && (prev | 0x20) == xp)) {
                prev = c;
                ++p_;
            } else {
                break;
            }
        }
    }

    TokenKind scan() noexcept {
        unsigned char c = static_cast<unsigned char>(s_[p_]);
        if (is_digit(c) || (c == '.' && is_digit(static_cast<unsigned char>(at(p_ + 1))))) {
            scan_number();
            return TokenKind::Number;
        }
        if (is_ident_start(c)) {
            while (p_ < s_.size() && is_ident(static_cast<unsigned char>(s_[p_]))) ++p_;
            return TokenKind::Name;
        }
        if (c == '"' || c == '\'') {
            scan_quoted(static_cast<char>(c));
            return TokenKind::String;
        }
        if (c == '[') {
            if (int level = long_level(p_); level >= 0) {
                skip_long(level);
                return TokenKind::String;
            }
        }
        static constexpr std::array<std::string_view, 8> kLong = {"...", "..", "==", "~=", "<=", ">=", "::", "->"};
        for (auto op : kLong)
            if (s_.substr(p_, op.size()) == op) {
                p_ += op.size();
                return TokenKind::Op;
            }
        ++p_;
        return TokenKind::Op;
    }

    std::string_view s_;
    size_t p_ = 0;
    uint32_t line_ = 1;
    bool failed_ = false;
};

}  // namespace

LexResult lex(std::string_view source) { return Lexer(source).run(); }

}  // namespace modrt::lua::typed
