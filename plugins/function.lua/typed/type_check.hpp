// The static part of typed Lua: literals that cannot have their declared type
// (`local n: number = "x"`, `return "x"` from a function declared `: number`, a
// literal outside a declared literal union). Found while the translator walks the
// tokens, reported by `modrt validate`; nothing here stops a module from loading.
#pragma once

#include "typed/lua_lexer.hpp"
#include "typed/type_syntax.hpp"
#include "typed/typed_translate.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace modrt::lua::typed {

class TypeChecker {
public:
    TypeChecker(const std::vector<Token>& tokens, const std::vector<TypeNode>& nodes) : t_(tokens), nodes_(nodes) {}

    /// A keyword the translator passed over (blocks: do, if, repeat, end, until; return).
    void keyword(size_t i);
    /// A function's parameter list ended; `ret` is its declared return type (-1: none).
    void enter_function(int ret) { blocks_.push_back(ret); }
    /// `type name = ...` declared `root`.
    void declare(std::string_view name, int root) { declared_[std::string(name)] = root; }
    /// `local names = values`: the values start at token `p`.
    void local_values(const std::vector<std::pair<size_t, int>>& names, size_t p);

    std::vector<TypeDiagnostic> take_diagnostics() { return std::move(diagnostics_); }

private:
    enum class Fit { Yes, No, Unknown };
    struct Literal {
        enum Kind { None, Nil, Boolean, Number, Integer, String, Table } kind = None;
        std::string_view text;
        size_t next = 0;  ///< the token after the literal
    };

    const Token& tok(size_t i) const noexcept { return t_[i < t_.size() ? i : t_.size() - 1]; }
    Literal literal_at(size_t p) const;
    Fit fits(int node, const Literal& lit, int depth) const;
    std::string describe(int node, int depth = 0) const;
    // Values at p against `types` in order; `what(k)` names the k-th target in messages.
    template <class What>
    void check_values(size_t p, const std::vector<int>& types, What what);

    const std::vector<Token>& t_;
    const std::vector<TypeNode>& nodes_;
    std::unordered_map<std::string, int> declared_;
    std::vector<int> blocks_;  ///< open blocks: a function's return type (-1: none), -2: not a function
    std::vector<TypeDiagnostic> diagnostics_;
};

}  // namespace modrt::lua::typed
