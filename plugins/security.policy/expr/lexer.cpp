// The lexer (lexer.hpp): expr-lang's literals and operators, nothing more.
#include "lexer.hpp"

#include <array>
#include <charconv>
#include <string>

namespace modrt::security::expr {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

// Longest first, so "<=" wins over "<".
constexpr std::array<std::string_view, 24> kPunct{"?.", "??", "==", "!=", "<=", ">=", "&&", "||", "(", ")", "[", "]",
                                                  ",",  ".",  "?",  ":",  "<",  ">",  "!",  "+",  "-", "*", "/", "%"};

class Lexer {
public:
    explicit Lexer(std::string_view src) : src_(src) {}

    std::vector<Token> run() {
        std::vector<Token> out;
        while (true) {
            while (pos_ < src_.size() && (src_[pos_] == ' ' || src_[pos_] == '\t' || src_[pos_] == '\n' ||
                                          src_[pos_] == '\r'))
                ++pos_;
            if (pos_ >= src_.size()) break;
            out.push_back(next());
        }
        Token end;
        end.pos = src_.find_last_not_of(" \t\r\n") + 1;  // after the last character, not after a block's newline
        out.push_back(std::move(end));
        return out;
    }

private:
    Token next() {
        char c = src_[pos_];
        if (is_digit(c)) return number();
        if (c == '"' || c == '\'') return quoted(c);
        if (c == '`') return raw();
        if (is_name_start(c)) {
            size_t start = pos_;
            while (pos_ < src_.size() && is_name_char(src_[pos_])) ++pos_;
            return make(TokenKind::Name, start);
        }
        for (std::string_view p : kPunct) {
            if (src_.substr(pos_).starts_with(p)) {
                size_t start = pos_;
                pos_ += p.size();
                return make(TokenKind::Punct, start);
            }
        }
        if (c == '=' || c == '&' || c == '|')
            throw SyntaxError{pos_, std::string("unexpected '") + c + "' (did you mean '" + c + c + "'?)"};
        throw SyntaxError{pos_, "unexpected character " + describe(c)};
    }

    static std::string describe(char c) {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x21 && u < 0x7f) return std::string("'") + c + "'";
        static constexpr char kHex[] = "0123456789abcdef";
        return std::string("0x") + kHex[u >> 4] + kHex[u & 15];
    }

    Token make(TokenKind kind, size_t start) {
        Token t;
        t.kind = kind;
        t.pos = start;
        t.text = src_.substr(start, pos_ - start);
        return t;
    }

    Token number() {
        size_t start = pos_;
        std::string digits;  // without the '_' separators
        bool is_float = false;
        auto take_digits = [&] {
            while (pos_ < src_.size() && (is_digit(src_[pos_]) || src_[pos_] == '_')) {
                if (src_[pos_] != '_') digits += src_[pos_];
                ++pos_;
            }
        };
        take_digits();
        if (pos_ + 1 < src_.size() && src_[pos_] == '.' && is_digit(src_[pos_ + 1])) {
            is_float = true;
            digits += src_[pos_++];
            take_digits();
        }
        if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
            size_t save = pos_;
            std::string exp = "e";
            ++pos_;
            if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) exp += src_[pos_++];
            if (pos_ < src_.size() && is_digit(src_[pos_])) {
                is_float = true;
                digits += exp;
                take_digits();
            } else {
                pos_ = save;
            }
        }
        if (pos_ < src_.size() && is_name_char(src_[pos_]))
            throw SyntaxError{pos_, "unexpected " + describe(src_[pos_]) + " after a number"};
        Token t = make(is_float ? TokenKind::Float : TokenKind::Int, start);
        const char* first = digits.data();
        const char* last = digits.data() + digits.size();
        auto r = is_float ? std::from_chars(first, last, t.f) : std::from_chars(first, last, t.i);
        if (r.ec != std::errc() || r.ptr != last) throw SyntaxError{start, "number '" + std::string(t.text) + "' is out of range"};
        return t;
    }

    Token quoted(char quote) {
        size_t start = pos_++;
        std::string out;
        while (true) {
            if (pos_ >= src_.size() || src_[pos_] == '\n')
                throw SyntaxError{start, std::string("string not closed (expected ") + quote + ")"};
            char c = src_[pos_++];
            if (c == quote) break;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= src_.size()) throw SyntaxError{start, std::string("string not closed (expected ") + quote + ")"};
            char e = src_[pos_++];
            switch (e) {
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                case 'r': out += '\r'; break;
                case '\\': out += '\\'; break;
                case '"': out += '"'; break;
                case '\'': out += '\''; break;
                default: throw SyntaxError{pos_ - 2, "unknown escape \\" + std::string(1, e) + " (use \\n \\t \\r \\\\ \\\" \\')"};
            }
        }
        Token t = make(TokenKind::String, start);
        t.str = std::move(out);
        return t;
    }

    Token raw() {  // `...`: no escapes, handy for regular expressions
        size_t start = pos_++;
        size_t close = src_.find('`', pos_);
        if (close == std::string_view::npos) throw SyntaxError{start, "string not closed (expected `)"};
        pos_ = close + 1;
        Token t = make(TokenKind::String, start);
        t.str = std::string(src_.substr(start + 1, close - start - 1));
        return t;
    }

    std::string_view src_;
    size_t pos_ = 0;
};

}  // namespace

std::vector<Token> tokenize(std::string_view source) { return Lexer(source).run(); }

}  // namespace modrt::security::expr
