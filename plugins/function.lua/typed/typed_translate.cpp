// The typed Lua translator (typed_translate.hpp). One lexer pass; then the tokens are
// walked once, and only the places typed syntax can stand are looked at:
//   function [name] [<generics>] (name [: T], ... [: T]) [: R]   local/for name [: T], ...
//   type Name [<generics>] = T     expr :: T     expr as T     expr!
// Everything else is plain Lua and is copied as it is.
#include "typed/typed_translate.hpp"

#include "typed/lua_lexer.hpp"
#include "typed/type_check.hpp"
#include "typed/type_codegen.hpp"
#include "typed/type_syntax.hpp"

#include <limits>
#include <optional>
#include <utility>

namespace modrt::lua::typed {
namespace {

struct Edit {
    uint32_t begin;
    uint32_t end;
    std::string replacement;  ///< empty: blank the range (spaces, newlines kept)
};

// Tokens after which an expression may end (so `!`, `::` and `as` can follow it).
bool ends_expression(const Token& t) noexcept {
    switch (t.kind) {
        case TokenKind::Name:
        case TokenKind::Number:
        case TokenKind::String: return true;
        case TokenKind::Keyword: return t.text == "true" || t.text == "false" || t.text == "nil" || t.text == "end";
        case TokenKind::Op: return t.text == ")" || t.text == "]" || t.text == "}" || t.text == "..." || t.text == "!";
        case TokenKind::End: return false;
    }
    return false;
}

class Translator {
public:
    explicit Translator(std::string_view source) : src_(source) {}

    Translation run() {
        Translation out;
        if (src_.size() >= std::numeric_limits<uint32_t>::max()) return out;  // offsets are 32-bit; Lua decides
        LexResult lexed = lex(src_);
        // An unfinished string or comment: Lua's own message says it best.
        if (!lexed.ok) return out;
        toks_ = std::move(lexed.tokens);
        checker_.emplace(toks_, nodes_);
        size_t i = 0;
        while (toks_[i].kind != TokenKind::End && error_.message.empty()) i = step(i);
        if (!error_.message.empty()) {
            out.ok = false;
            out.error_line = error_.line;
            out.error = std::move(error_.message);
            return out;
        }
        out.diagnostics = checker_->take_diagnostics();
        if (edits_.empty()) return out;
        out.changed = true;
        out.text = apply();
        return out;
    }

private:
    const Token& tok(size_t i) const noexcept { return toks_[i < toks_.size() ? i : toks_.size() - 1]; }

    void blank(size_t from, size_t to) {  // tokens [from, to)
        if (to > from) edits_.push_back({tok(from).begin, tok(to - 1).end, {}});
    }

    // Parse a type at `p`; on failure records the error. Returns the root node or -1.
    int type_at(size_t& p) {
        TypeParser parser(toks_, nodes_);
        int root = parser.parse_type(p);
        if (root < 0 && error_.message.empty()) error_ = parser.error();
        return root;
    }

    // `: T` at p (on the ':'): blank it; returns the type's node or -1 (error set).
    int annotation(size_t& p) {
        size_t start = p++;
        int root = type_at(p);
        if (root >= 0) blank(start, p);
        return root;
    }

    size_t step(size_t i) {
        const Token& t = tok(i);
        switch (t.kind) {
            case TokenKind::Keyword:
                if (t.text == "function") return function_head(i);
                if (t.text == "local" && tok(i + 1).is_name()) return name_list(i + 1, /*is_local=*/true);
                if (t.text == "for" && tok(i + 1).is_name()) return name_list(i + 1, /*is_local=*/false);
                checker_->keyword(i);
                return i + 1;
            case TokenKind::Name:
                if (t.text == "type" && tok(i + 1).is_name() && (tok(i + 2).is("=") || tok(i + 2).is("<")) &&
                    !(i > 0 && (tok(i - 1).is(".") || tok(i - 1).is(":"))))
                    return declaration(i);
                if (t.text == "as" && i > 0 && ends_expression(tok(i - 1)) && as_is_cast(i)) return cast(i);
                return i + 1;
            case TokenKind::Op:
                if (t.text == "::") {
                    if (tok(i + 1).is_name() && tok(i + 2).is("::")) return i + 3;  // a goto label
                    if (i > 0 && ends_expression(tok(i - 1))) return cast(i);
                } else if (t.text == "!" && i > 0 && ends_expression(tok(i - 1))) {
                    blank(i, i + 1);
                }
                return i + 1;
            default: return i + 1;
        }
    }

    // `x as T` casts; `as` stays an ordinary name elsewhere (`as = 1`, `as.x`, `as(1)`, a
    // call statement `as "x"` / `as {...}` on a line of its own).
    bool as_is_cast(size_t i) const noexcept {
        const Token& prev = tok(i - 1);
        const Token& next = tok(i + 1);
        if (next.line != tok(i).line || prev.line != tok(i).line) return false;
        if (next.is_name() || next.is("nil") || next.is("true") || next.is("false") || next.is("function"))
            return true;
        if (next.is("{")) return true;
        if (next.is("(")) {  // a function type `(A) -> R`, not a call `as(...)`
            int depth = 0;
            for (size_t j = i + 1; tok(j).kind != TokenKind::End; ++j) {
                if (tok(j).is("(")) ++depth;
                else if (tok(j).is(")") && --depth == 0) return tok(j + 1).is("->");
            }
        }
        return false;
    }

    size_t cast(size_t i) {
        size_t p = i + 1;
        if (type_at(p) >= 0) blank(i, p);
        return p;
    }

    // After `function`: an optional name, generics, the parameter list, a return type.
    size_t function_head(size_t i) {
        size_t p = i + 1;
        if (tok(p).is_name()) {
            ++p;
            while ((tok(p).is(".") || tok(p).is(":")) && tok(p + 1).is_name()) p += 2;
        }
        if (tok(p).is("<")) {
            size_t start = p;
            TypeParser parser(toks_, nodes_);
            if (!parser.parse_generic_params(p, nullptr)) {
                error_ = parser.error();
                return p;
            }
            blank(start, p);
        }
        if (!tok(p).is("(")) return p;  // not Lua either: LuaJIT reports it
        ++p;
        std::vector<int> params;
        while (!tok(p).is(")")) {
            if (!tok(p).is_name() && !tok(p).is("...")) return p;
            ++p;
            if (tok(p).is("?") && tok(p + 1).is(":")) blank(p, p + 1), ++p;  // `x?: T`
            if (tok(p).is(":") && annotation(p) < 0) return p;
            if (tok(p).is(",")) ++p;
            else if (!tok(p).is(")")) return p;
        }
        ++p;
        int ret = -1;
        if (tok(p).is(":")) {
            ret = annotation(p);
            if (ret < 0) return p;
        }
        checker_->enter_function(ret);
        return p;
    }

    // `local a: T, b: U [= values]` or `for k: K, v: V in/=`.
    size_t name_list(size_t p, bool is_local) {
        std::vector<std::pair<size_t, int>> names;  // name token, declared type (-1: none)
        for (;;) {
            size_t name = p++;
            int type = -1;
            if (tok(p).is(":")) {
                type = annotation(p);
                if (type < 0) return p;
            }
            names.emplace_back(name, type);
            if (!tok(p).is(",") || !tok(p + 1).is_name()) break;
            ++p;
        }
        if (is_local && tok(p).is("=")) checker_->local_values(names, p + 1);
        return p;
    }

    size_t declaration(size_t i) {
        Declaration d;
        d.name = tok(i + 1).text;
        d.first_line = tok(i).line;
        size_t p = i + 2;
        if (tok(p).is("<")) {
            TypeParser parser(toks_, nodes_);
            if (!parser.parse_generic_params(p, &d.generics)) {
                error_ = parser.error();
                return p;
            }
        }
        if (!tok(p).is("=")) {
            error_ = {tok(p).line, "expected '=' in the declaration of type '" + std::string(d.name) + "'"};
            return p;
        }
        ++p;
        d.root = type_at(p);
        if (d.root < 0) return p;
        const Token& last = tok(p - 1);
        d.last_line = last.line + count_newlines(last.text);
        std::string code = declaration_code(d, nodes_);
        if (count_newlines(code) != d.last_line - d.first_line) {  // never: lines must not move
            error_ = {d.first_line, "cannot keep the lines of the declaration of type '" + std::string(d.name) + "'"};
            return p;
        }
        edits_.push_back({tok(i).begin, last.end, std::move(code)});
        checker_->declare(d.name, d.root);
        return p;
    }

    std::string apply() const {
        std::string out;
        out.reserve(src_.size() + 64 * edits_.size());
        size_t at = 0;
        for (const Edit& e : edits_) {
            if (e.begin < at) continue;  // never: edits are made in source order, disjoint
            out.append(src_, at, e.begin - at);
            if (e.replacement.empty()) {
                for (size_t k = e.begin; k < e.end; ++k) out += is_newline(src_[k]) ? src_[k] : ' ';
            } else {
                out += e.replacement;
            }
            at = e.end;
        }
        out.append(src_, at, std::string_view::npos);
        return out;
    }

    std::string_view src_;
    std::vector<Token> toks_;
    std::vector<TypeNode> nodes_;
    std::vector<Edit> edits_;
    SyntaxError error_;
    std::optional<TypeChecker> checker_;
};

}  // namespace

Translation translate(std::string_view source) { return Translator(source).run(); }

}  // namespace modrt::lua::typed
