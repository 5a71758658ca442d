// Splits a policy expression into tokens (token.hpp).
#pragma once

#include "token.hpp"

#include <string_view>
#include <vector>

namespace modrt::security::expr {

/// The tokens of `source`, ending with an End token; throws SyntaxError.
std::vector<Token> tokenize(std::string_view source);

}  // namespace modrt::security::expr
