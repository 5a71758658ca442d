// Evaluates a parsed expression (ast.hpp) against one decision's Env.
// Semantics (README.md "Expression policies"): a missing field is nil; comparing
// with nil is false except == / != nil; a type error (a non-boolean operand of
// && || ! ?:, arithmetic on non-numbers) yields Error, never an exception.
#pragma once

#include "env.hpp"
#include "value.hpp"

#include <forward_list>
#include <string>

namespace modrt::security::expr {

class Evaluator {
public:
    explicit Evaluator(const Env& env) noexcept : env_(env) {}
    Evaluator(const Evaluator&) = delete;
    Evaluator& operator=(const Evaluator&) = delete;

    /// The node's value; strings it makes (a + b, lower) live as long as the Evaluator.
    Val eval(const Node& n);

private:
    Val member(const Node& n);
    Val index(const Node& n);
    Val call(const Node& n);
    Val logic(const Node& n);
    Val arithmetic(Op op, const Val& a, const Val& b);
    Val in(const Node& n);
    Val text(const Node& n);
    std::string_view keep(std::string s);

    const Env& env_;
    std::forward_list<std::string> strings_;  // empty (no allocation) unless a string is made
};

/// a == b: nil equals nil; numbers by value; strings and bools by content; nothing else is equal.
bool equal(const Val& a, const Val& b);

}  // namespace modrt::security::expr
