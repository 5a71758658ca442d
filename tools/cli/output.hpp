// How the CLI prints results and errors.
#pragma once

#include <modrt/kernel/error.hpp>

#include <ostream>

namespace modrt::cli {
/// "Kind: message", then details (JSON) and the stack, one block.
void print_error(std::ostream& out, const modrt_error& e);
}  // namespace modrt::cli
