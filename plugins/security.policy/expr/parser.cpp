// The parser (parser.hpp): precedence climbing with expr-lang's precedences.
#include "parser.hpp"

#include "lexer.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace modrt::security::expr {
namespace {

// Deeper expressions are refused at load: parsing and evaluation recurse once per level,
// and a decision may run on a small stack.
constexpr int kMaxDepth = 64;    // nesting as written: parentheses, unary operators
constexpr int kMaxHeight = 256;  // levels of the tree, e.g. a chain of 256 ||

struct Binary {
    Op op;
    int precedence;
    bool negate = false;
    size_t width = 1;  // tokens the operator takes ("not in" is two)
};

struct FuncInfo {
    std::string_view name;
    Func func;
    size_t arity;
};
constexpr std::array<FuncInfo, 5> kFuncs{{
    {"len", Func::Len, 1},
    {"hasPrefix", Func::HasPrefix, 2},
    {"hasSuffix", Func::HasSuffix, 2},
    {"lower", Func::Lower, 1},
    {"upper", Func::Upper, 1},
}};

constexpr int kUnaryNot = 50;
constexpr int kUnaryMinus = 90;

std::optional<Op> word_operator(std::string_view w) {
    if (w == "in") return Op::In;
    if (w == "matches") return Op::Matches;
    if (w == "contains") return Op::Contains;
    if (w == "startsWith") return Op::StartsWith;
    if (w == "endsWith") return Op::EndsWith;
    return std::nullopt;
}

class Parser {
public:
    explicit Parser(std::string_view source) : tokens_(tokenize(source)) {}

    std::unique_ptr<Node> run() {
        auto root = expression(0);
        if (peek().kind != TokenKind::End) fail(peek(), "expected an operator or the end of the expression");
        return root;
    }

private:
    const Token& peek(size_t ahead = 0) const {
        size_t i = at_ + ahead;
        return tokens_[i < tokens_.size() ? i : tokens_.size() - 1];
    }
    const Token& take() {
        const Token& t = tokens_[at_];
        if (at_ + 1 < tokens_.size()) ++at_;
        return t;
    }

    static std::string found(const Token& t) {
        return t.kind == TokenKind::End ? "the end of the expression" : "'" + std::string(t.text) + "'";
    }
    [[noreturn]] static void fail(const Token& t, const std::string& expected) {
        throw SyntaxError{t.pos, expected + ", found " + found(t)};
    }
    void expect(std::string_view punct, const char* what) {
        if (!peek().is(punct)) fail(peek(), std::string("expected ") + what);
        take();
    }

    // `n` with its height set from its kids; refused when too tall.
    static std::unique_ptr<Node> grown(std::unique_ptr<Node> n) {
        for (const auto& k : n->kids) n->height = std::max(n->height, k->height + 1);
        if (n->height > kMaxHeight) throw SyntaxError{n->pos, "the expression nests too deeply"};
        return n;
    }

    static std::unique_ptr<Node> node(Op op, size_t pos) {
        auto n = std::make_unique<Node>();
        n->op = op;
        n->pos = pos;
        return n;
    }

    struct Depth {
        explicit Depth(Parser& p) : p_(p) {
            if (++p_.depth_ > kMaxDepth) throw SyntaxError{p_.peek().pos, "the expression nests too deeply"};
        }
        ~Depth() { --p_.depth_; }
        Depth(const Depth&) = delete;
        Depth& operator=(const Depth&) = delete;
        Parser& p_;
    };

    std::optional<Binary> binary() const {
        const Token& t = peek();
        if (t.kind == TokenKind::Punct) {
            std::string_view p = t.text;
            if (p == "||") return Binary{Op::Or, 10};
            if (p == "&&") return Binary{Op::And, 15};
            if (p == "==") return Binary{Op::Eq, 20};
            if (p == "!=") return Binary{Op::Ne, 20};
            if (p == "<") return Binary{Op::Lt, 20};
            if (p == "<=") return Binary{Op::Le, 20};
            if (p == ">") return Binary{Op::Gt, 20};
            if (p == ">=") return Binary{Op::Ge, 20};
            if (p == "+") return Binary{Op::Add, 30};
            if (p == "-") return Binary{Op::Sub, 30};
            if (p == "*") return Binary{Op::Mul, 60};
            if (p == "/") return Binary{Op::Div, 60};
            if (p == "%") return Binary{Op::Mod, 60};
            if (p == "??") return Binary{Op::Coalesce, 500};
            return std::nullopt;
        }
        if (t.kind != TokenKind::Name) return std::nullopt;
        if (t.text == "or") return Binary{Op::Or, 10};
        if (t.text == "and") return Binary{Op::And, 15};
        if (auto op = word_operator(t.text)) return Binary{*op, 20};
        if (t.text == "not" && peek(1).kind == TokenKind::Name)
            if (auto op = word_operator(peek(1).text)) return Binary{*op, 20, true, 2};
        return std::nullopt;
    }

    std::unique_ptr<Node> expression(int min_precedence) {
        Depth depth(*this);
        auto left = unary();
        while (auto b = binary()) {
            if (b->precedence < min_precedence) break;
            size_t pos = peek().pos;
            for (size_t i = 0; i < b->width; ++i) take();
            auto right = expression(b->precedence + 1);
            auto n = node(b->op, pos);
            n->negate = b->negate;
            if (b->op == Op::Matches) compile_pattern(*n, *right);
            n->kids.push_back(std::move(left));
            n->kids.push_back(std::move(right));
            left = grown(std::move(n));
        }
        if (min_precedence == 0 && peek().is("?")) {
            size_t pos = take().pos;
            auto n = node(Op::Conditional, pos);
            n->kids.push_back(std::move(left));
            n->kids.push_back(expression(0));
            expect(":", "':' of a ?: conditional");
            n->kids.push_back(expression(0));
            left = grown(std::move(n));
        }
        return left;
    }

    static void compile_pattern(Node& matches, const Node& pattern) {
        if (pattern.op != Op::String)
            throw SyntaxError{pattern.pos, "matches needs a string literal pattern (compiled once, at load)"};
        if (std::string why = unsafe_regex(pattern.s); !why.empty())
            throw SyntaxError{pattern.pos, "bad regex '" + pattern.s + "': " + why};
        try {
            matches.regex.emplace(pattern.s, std::regex::ECMAScript | std::regex::optimize);
        } catch (const std::regex_error& e) {
            throw SyntaxError{pattern.pos, "bad regex '" + pattern.s + "': " + e.what()};
        }
    }

    // Why std::regex must not get `re`, or "" when it may. Fuzzing found patterns it handles
    // badly: `a**`, `a+*`, `a{2}+` (ECMAScript has no possessive quantifiers; libstdc++ takes
    // them as nested repetition, matched in exponential time; a lazy `?` after one quantifier
    // is fine), and huge numbers in back-references or repeat counts (they overflow inside
    // libstdc++'s regex compiler).
    static std::string unsafe_regex(std::string_view re) {
        bool after_quantifier = false, after_lazy = false, in_class = false;
        auto digits = [&](size_t from) {
            size_t end = from;
            while (end < re.size() && re[end] >= '0' && re[end] <= '9') ++end;
            return end - from;
        };
        for (size_t i = 0; i < re.size(); ++i) {
            char c = re[i];
            if (c == '\\') {
                if (digits(i + 1) > 2) return "a back-reference above \\99";
                ++i;
                after_quantifier = after_lazy = false;
                continue;
            }
            if (in_class) {
                in_class = c != ']';
                continue;
            }
            bool quantifier = c == '*' || c == '+' || c == '?' || c == '{';
            if (quantifier && (after_lazy || (after_quantifier && c != '?')))
                return "a quantifier repeats a quantifier (like a**), which std::regex matches in exponential time";
            after_lazy = after_quantifier && c == '?';
            if (c == '{') {
                size_t close = re.find('}', i);
                for (size_t j = i + 1; j < close && j < re.size(); ++j)
                    if (digits(j) > 4 || (digits(j) == 4 && re.substr(j, 4) > "1000"))
                        return "a repeat count above 1000";
                if (close != std::string_view::npos) i = close;
            }
            after_quantifier = quantifier && !after_lazy;
            in_class = c == '[';
        }
        return {};
    }

    std::unique_ptr<Node> unary() {
        const Token& t = peek();
        bool is_not = (t.kind == TokenKind::Punct && t.text == "!") || (t.kind == TokenKind::Name && t.text == "not");
        bool is_sign = t.kind == TokenKind::Punct && (t.text == "-" || t.text == "+");
        if (!is_not && !is_sign) return postfix(primary());
        size_t pos = take().pos;
        bool minus = t.text == "-";
        auto operand = expression(is_not ? kUnaryNot : kUnaryMinus);
        if (is_sign && !minus) return operand;
        auto n = node(is_not ? Op::Not : Op::Neg, pos);
        n->kids.push_back(std::move(operand));
        return grown(std::move(n));
    }

    std::unique_ptr<Node> postfix(std::unique_ptr<Node> target) {
        while (true) {
            const Token& t = peek();
            if (t.kind != TokenKind::Punct) return target;
            if (t.text == "." || t.text == "?.") {
                size_t pos = take().pos;
                if (peek().kind != TokenKind::Name) fail(peek(), "expected a field name after '" + std::string(t.text) + "'");
                auto n = node(Op::Member, pos);
                n->s = std::string(take().text);
                n->kids.push_back(std::move(target));
                target = grown(std::move(n));
            } else if (t.text == "[") {
                size_t pos = take().pos;
                auto index = expression(0);
                expect("]", "']'");
                if (index->op == Op::String) {  // a["b"] is a.b
                    auto n = node(Op::Member, pos);
                    n->s = std::move(index->s);
                    n->kids.push_back(std::move(target));
                    target = grown(std::move(n));
                } else {
                    auto n = node(Op::Index, pos);
                    n->kids.push_back(std::move(target));
                    n->kids.push_back(std::move(index));
                    target = grown(std::move(n));
                }
            } else {
                return target;
            }
        }
    }

    std::unique_ptr<Node> primary() {
        Depth depth(*this);
        const Token& t = peek();
        switch (t.kind) {
            case TokenKind::Int: {
                auto n = node(Op::Int, t.pos);
                n->i = take().i;
                return n;
            }
            case TokenKind::Float: {
                auto n = node(Op::Float, t.pos);
                n->f = take().f;
                return n;
            }
            case TokenKind::String: {
                auto n = node(Op::String, t.pos);
                n->s = take().str;
                return n;
            }
            case TokenKind::Name: return name();
            case TokenKind::Punct:
                if (t.text == "(") {
                    take();
                    auto inner = expression(0);
                    expect(")", "')'");
                    return inner;
                }
                if (t.text == "[") return list();
                break;
            case TokenKind::End: break;
        }
        fail(t, "expected a value (a literal, a name, '(' or '[')");
    }

    std::unique_ptr<Node> list() {
        auto n = node(Op::List, take().pos);
        while (!peek().is("]")) {
            n->kids.push_back(expression(0));
            if (peek().is(",")) take();
            else if (!peek().is("]")) fail(peek(), "expected ',' or ']'");
        }
        take();
        return grown(std::move(n));
    }

    std::unique_ptr<Node> name() {
        const Token& t = take();
        std::string_view w = t.text;
        if (w == "true" || w == "false") {
            auto n = node(Op::Bool, t.pos);
            n->b = w == "true";
            return n;
        }
        if (w == "nil") return node(Op::Nil, t.pos);
        if (w == "action") return node(Op::Action, t.pos);
        if (w == "resource") return node(Op::Resource, t.pos);
        if (w == "meta") return node(Op::Meta, t.pos);
        if (w == "actor") return actor(t);
        for (const auto& f : kFuncs)
            if (w == f.name) return call(t, f);
        throw SyntaxError{t.pos, "unknown name '" + std::string(w) +
                                     "' (an expression reads actor.id, actor.meta, action, resource and meta, and "
                                     "calls len, hasPrefix, hasSuffix, lower, upper)"};
    }

    // `actor` is not a value of its own: only actor.id and actor.meta exist.
    std::unique_ptr<Node> actor(const Token& t) {
        std::string_view field;
        if ((peek().is(".") || peek().is("?.")) && peek(1).kind == TokenKind::Name) {
            field = peek(1).text;
            if (field == "id" || field == "meta") take(), take();
        } else if (peek().is("[") && peek(1).kind == TokenKind::String &&
                   peek(2).is("]")) {
            field = peek(1).str;
            if (field == "id" || field == "meta") take(), take(), take();
        }
        if (field == "id") return node(Op::ActorId, t.pos);
        if (field == "meta") return node(Op::ActorMeta, t.pos);
        throw SyntaxError{t.pos, "actor has only actor.id and actor.meta"};
    }

    std::unique_ptr<Node> call(const Token& t, const FuncInfo& f) {
        if (!peek().is("("))
            fail(peek(), "expected '(' after the function " + std::string(f.name));
        take();
        auto n = node(Op::Call, t.pos);
        n->func = f.func;
        while (!peek().is(")")) {
            n->kids.push_back(expression(0));
            if (peek().is(",")) take();
            else if (!peek().is(")")) fail(peek(), "expected ',' or ')'");
        }
        take();
        if (n->kids.size() != f.arity)
            throw SyntaxError{t.pos, std::string(f.name) + " takes " + std::to_string(f.arity) + " argument" +
                                         (f.arity == 1 ? "" : "s") + ", not " + std::to_string(n->kids.size())};
        return grown(std::move(n));
    }

    std::vector<Token> tokens_;
    size_t at_ = 0;
    int depth_ = 0;
};

}  // namespace

std::unique_ptr<Node> parse(std::string_view source) { return Parser(source).run(); }

}  // namespace modrt::security::expr
