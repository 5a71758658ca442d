// Static checks of literals against declared types (type_check.hpp).
#include "typed/type_check.hpp"

#include <cstdlib>

namespace modrt::lua::typed {
namespace {

constexpr int kNotFunction = -2;
constexpr int kMaxAliasDepth = 32;  // aliases naming aliases (or themselves) stop being followed here

// Tokens that continue an expression after an operand: then a literal is not the whole value.
bool continues_expression(const Token& t) noexcept {
    if (t.kind == TokenKind::String) return true;
    if (t.kind == TokenKind::Keyword) return t.text == "and" || t.text == "or";
    if (t.kind == TokenKind::Name) return t.text == "as";
    if (t.kind != TokenKind::Op) return false;
    static constexpr std::string_view kOps[] = {"+", "-", "*", "/", "%", "^", "..", "==", "~=", "<", "<=", ">",
                                                ">=", ".", ":", "[", "(", "{", "::", "!"};
    for (auto op : kOps)
        if (t.text == op) return true;
    return false;
}

const char* kind_name(int kind) {
    static constexpr const char* kNames[] = {"?", "nil", "a boolean", "a number", "an integer", "a string", "a table"};
    return kNames[kind];
}

// The text between the quotes of a plain quoted string (no escapes), or nullopt.
bool plain_string(std::string_view s, std::string_view& inner) {
    if (s.size() < 2 || (s.front() != '"' && s.front() != '\'') || s.find('\\') != std::string_view::npos) return false;
    inner = s.substr(1, s.size() - 2);
    return true;
}

}  // namespace

TypeChecker::Literal TypeChecker::literal_at(size_t p) const {
    Literal lit;
    const Token& t = tok(p);
    size_t next = p + 1;
    if (t.kind == TokenKind::String) {
        lit.kind = Literal::String;
    } else if (t.kind == TokenKind::Number || (t.is("-") && tok(p + 1).kind == TokenKind::Number)) {
        const Token& n = t.kind == TokenKind::Number ? t : tok(p + 1);
        next = t.kind == TokenKind::Number ? p + 1 : p + 2;
        std::string_view s = n.text;
        char last = s.empty() ? '\0' : static_cast<char>(s.back() | 0x20);
        if (last == 'l' || last == 'i') return lit;  // 1LL, 1ULL, 1i: cdata, not numbers
        bool hex = s.size() > 1 && (s[1] | 0x20) == 'x';
        bool frac = s.find('.') != std::string_view::npos ||
                    (hex ? s.find_first_of("pP") != std::string_view::npos : s.find_first_of("eE") != std::string_view::npos);
        lit.kind = frac ? Literal::Number : Literal::Integer;
    } else if (t.is("nil")) {
        lit.kind = Literal::Nil;
    } else if (t.is("true") || t.is("false")) {
        lit.kind = Literal::Boolean;
    } else if (t.is("{")) {
        int depth = 0;
        for (next = p; tok(next).kind != TokenKind::End; ++next) {
            if (tok(next).is("{")) ++depth;
            else if (tok(next).is("}") && --depth == 0) break;
        }
        if (tok(next).kind == TokenKind::End) return lit;
        ++next;
        lit.kind = Literal::Table;
    } else {
        return lit;
    }
    if (continues_expression(tok(next))) return Literal{};
    lit.text = std::string_view(t.text.data(), tok(next - 1).end - t.begin);
    lit.next = next;
    return lit;
}

TypeChecker::Fit TypeChecker::fits(int node, const Literal& lit, int depth) const {
    if (depth > kMaxAliasDepth) return Fit::Unknown;
    const TypeNode& n = nodes_[static_cast<size_t>(node)];
    auto is = [](bool b) { return b ? Fit::Yes : Fit::No; };
    switch (n.kind) {
        case TypeKind::Named: {
            const std::string& s = n.text;
            if (s == "any" || s == "unknown" || s == "error") return Fit::Unknown;
            if (s == "number") return is(lit.kind == Literal::Number || lit.kind == Literal::Integer);
            if (s == "integer") return is(lit.kind == Literal::Integer);
            if (s == "string") return is(lit.kind == Literal::String);
            if (s == "boolean") return is(lit.kind == Literal::Boolean);
            if (s == "nil") return is(lit.kind == Literal::Nil);
            if (s == "table") return is(lit.kind == Literal::Table);
            if (s == "never" || s == "function" || s == "thread" || s == "userdata") return Fit::No;
            auto it = declared_.find(s);
            return it == declared_.end() ? Fit::Unknown : fits(it->second, lit, depth + 1);
        }
        case TypeKind::Literal: {
            std::string_view a, b;
            if (n.text == lit.text) return Fit::Yes;
            if (lit.kind == Literal::String && plain_string(n.text, a) && plain_string(lit.text, b)) return is(a == b);
            bool quoted_type = n.text.front() == '"' || n.text.front() == '\'' || n.text.front() == '[';
            if (lit.kind == Literal::String) return quoted_type ? Fit::Unknown : Fit::No;  // escapes: not compared
            if (lit.kind == Literal::Number || lit.kind == Literal::Integer) {
                std::string x(n.text), y(lit.text);
                char* e1 = nullptr;
                char* e2 = nullptr;
                double dx = std::strtod(x.c_str(), &e1), dy = std::strtod(y.c_str(), &e2);
                if (*e1 == '\0' && *e2 == '\0') return is(dx == dy);
                return Fit::Unknown;
            }
            return Fit::No;  // nil, a boolean or a table is not this other literal
        }
        case TypeKind::Optional: return lit.kind == Literal::Nil ? Fit::Yes : fits(static_cast<int>(n.kids[0]), lit, depth + 1);
        case TypeKind::Checked: return fits(static_cast<int>(n.kids[0]), lit, depth + 1);
        case TypeKind::Union: {
            Fit r = Fit::No;
            for (uint32_t k : n.kids) {
                Fit f = fits(static_cast<int>(k), lit, depth + 1);
                if (f == Fit::Yes) return Fit::Yes;
                if (f == Fit::Unknown) r = Fit::Unknown;
            }
            return r;
        }
        case TypeKind::Inter: {
            Fit r = Fit::Yes;
            for (uint32_t k : n.kids) {
                Fit f = fits(static_cast<int>(k), lit, depth + 1);
                if (f == Fit::No) return Fit::No;
                if (f == Fit::Unknown) r = Fit::Unknown;
            }
            return r;
        }
        case TypeKind::Record:
        case TypeKind::Array:
        case TypeKind::Map: return lit.kind == Literal::Table ? Fit::Unknown : Fit::No;
        case TypeKind::Func: return Fit::No;
        case TypeKind::Tuple: return Fit::Unknown;
    }
    return Fit::Unknown;
}

std::string TypeChecker::describe(int node, int depth) const {
    const TypeNode& n = nodes_[static_cast<size_t>(node)];
    if (depth > 4) return "...";
    auto join = [&](const char* sep) {
        std::string s;
        for (size_t k = 0; k < n.kids.size(); ++k) {
            if (k) s += sep;
            s += describe(static_cast<int>(n.kids[k]), depth + 1);
        }
        return s;
    };
    switch (n.kind) {
        case TypeKind::Named:
        case TypeKind::Literal: return n.text;
        case TypeKind::Optional: return describe(static_cast<int>(n.kids[0]), depth + 1) + "?";
        case TypeKind::Checked: return describe(static_cast<int>(n.kids[0]), depth + 1);
        case TypeKind::Union: return join(" | ");
        case TypeKind::Inter: return join(" & ");
        case TypeKind::Record: return "a record";
        case TypeKind::Array:
        case TypeKind::Map: return "a table type";
        case TypeKind::Func: return "a function";
        case TypeKind::Tuple: return "(" + join(", ") + ")";
    }
    return "?";
}

template <class What>
void TypeChecker::check_values(size_t p, const std::vector<int>& types, What what) {
    for (size_t k = 0; k < types.size(); ++k) {
        Literal lit = literal_at(p);
        if (lit.kind == Literal::None) return;  // not a literal: nothing known without running it
        if (types[k] >= 0 && fits(types[k], lit, 0) == Fit::No)
            diagnostics_.push_back({tok(p).line, what(k) + " is declared " + describe(types[k]) + ", but " +
                                                     (lit.kind == Literal::Table ? std::string("a table")
                                                                                 : std::string(lit.text.substr(0, 40))) +
                                                     " is " + kind_name(lit.kind) + (lit.kind == Literal::Table ? "" : " value")});
        if (!tok(lit.next).is(",")) return;
        p = lit.next + 1;
    }
}

void TypeChecker::local_values(const std::vector<std::pair<size_t, int>>& names, size_t p) {
    std::vector<int> types;
    for (const auto& [name, type] : names) types.push_back(type);
    check_values(p, types, [&](size_t k) { return "local '" + std::string(tok(names[k].first).text) + "'"; });
}

void TypeChecker::keyword(size_t i) {
    const Token& t = tok(i);
    if (t.text == "do" || t.text == "if" || t.text == "repeat") {
        blocks_.push_back(kNotFunction);
    } else if (t.text == "end" || t.text == "until") {
        if (!blocks_.empty()) blocks_.pop_back();
    } else if (t.text == "return") {
        int ret = kNotFunction;
        for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it)
            if (*it != kNotFunction) {
                ret = *it;
                break;
            }
        if (ret < 0) return;
        std::vector<int> types;
        const TypeNode& r = nodes_[static_cast<size_t>(ret)];
        if (r.kind == TypeKind::Tuple) {
            for (uint32_t k : r.kids) types.push_back(static_cast<int>(k));
        } else {
            types.push_back(ret);
        }
        check_values(i + 1, types, [](size_t k) {
            return k == 0 ? std::string("the function's result") : "result " + std::to_string(k + 1);
        });
    }
}

}  // namespace modrt::lua::typed
