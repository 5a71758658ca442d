// A policy expression, parsed once at load (README.md "Expression policies").
#pragma once

#include "ast.hpp"
#include "env.hpp"
#include "token.hpp"

#include <memory>
#include <optional>
#include <string_view>

namespace modrt::security::expr {

class Program {
public:
    /// Parse `source`; throws SyntaxError.
    explicit Program(std::string_view source);

    /// The expression's truth for one decision; nullopt when it is not a boolean
    /// (a type error, nil, a number...).
    std::optional<bool> evaluate(const Env& env) const;

    /// The expression is the literal `true`: it holds for every decision.
    bool always_true() const noexcept { return root_->op == Op::Bool && root_->b; }

private:
    std::unique_ptr<Node> root_;
};

/// "column 7" or, in an expression of several lines, "line 2, column 7" (both from 1,
/// counting characters) for byte `pos` of `source`.
std::string position(std::string_view source, size_t pos);

}  // namespace modrt::security::expr
