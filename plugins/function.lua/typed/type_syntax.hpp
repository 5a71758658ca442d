// Type expressions of typed Lua (Wippy's gradual types): parsed from tokens into a
// small tree, so the translator knows where an annotation ends and what a `type`
// declaration builds at run time.
#pragma once

#include "typed/lua_lexer.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace modrt::lua::typed {

enum class TypeKind : uint8_t {
    Named,     ///< `number`, `User`, `lib.User`, `Result<T, E>` (text: the dotted name)
    Literal,   ///< `"active"`, `42`, `true`, `nil` (text: the literal's source)
    Optional,  ///< `T?`
    Union,     ///< `A | B`
    Inter,     ///< `A & B`
    Record,    ///< `{name: T, age?: T}`
    Array,     ///< `{T}`
    Map,       ///< `{[K]: V}`
    Func,      ///< `(A, B) -> R` (kids: params, then the result last)
    Tuple,     ///< `(A, B)` outside a function type (multiple returns)
    Checked,   ///< `T @min(0) @max(10)` (kids[0]: T)
};

struct Validator {
    std::string_view name;  ///< `min`, `max_len`, ...
    std::string args;       ///< the literal arguments' source, comma separated ("" when none)
};

struct TypeNode {
    TypeKind kind;
    uint32_t line;                       ///< line of the node's first token
    std::string text;                    ///< Named, Literal
    std::vector<uint32_t> kids;          ///< child nodes (node indices)
    std::vector<std::string> fields;     ///< Record: field names, parallel to kids
    std::vector<uint32_t> field_lines;   ///< Record: the line of each field
    std::vector<bool> field_optional;    ///< Record: `name?: T`
    std::vector<Validator> validators;   ///< Checked
};

/// A parse error: the line and what was expected.
struct SyntaxError {
    uint32_t line = 0;
    std::string message;
};

/// Parses type syntax starting at a token; nodes accumulate in `nodes`.
class TypeParser {
public:
    TypeParser(std::span<const Token> tokens, std::vector<TypeNode>& nodes) : t_(tokens), nodes_(nodes) {}

    /// Parse one type at token `pos`. Returns the root node index and sets `pos`
    /// past it, or returns -1 with error() set.
    int parse_type(size_t& pos);
    /// Parse generic parameters `<T, E: Bound, U = Default>` at `pos` (on the '<').
    /// Names go to `names`. Returns false with error() set when malformed.
    bool parse_generic_params(size_t& pos, std::vector<std::string_view>* names);

    const SyntaxError& error() const noexcept { return error_; }

private:
    const Token& tok(size_t i) const noexcept { return t_[i < t_.size() ? i : t_.size() - 1]; }
    int fail(size_t at, std::string message);
    int add(TypeKind kind, size_t at);
    int union_type(size_t& p);
    int inter_type(size_t& p);
    int postfix_type(size_t& p);
    int primary_type(size_t& p);
    int table_type(size_t& p);
    int paren_type(size_t& p);
    bool generic_args(size_t& p);
    bool validators(size_t& p, int& node);

    std::span<const Token> t_;
    std::vector<TypeNode>& nodes_;
    SyntaxError error_;
    int depth_ = 0;
};

}  // namespace modrt::lua::typed
