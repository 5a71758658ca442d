// Parses a policy expression into a tree (ast.hpp): expr-lang's syntax for the
// subset README.md lists. Names are checked here, so evaluation never meets an
// unknown one.
#pragma once

#include "ast.hpp"
#include "token.hpp"

#include <memory>
#include <string_view>

namespace modrt::security::expr {

/// The tree of `source`; throws SyntaxError (with the byte offset of the problem).
std::unique_ptr<Node> parse(std::string_view source);

}  // namespace modrt::security::expr
