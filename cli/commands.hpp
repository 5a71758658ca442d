// The `modrt` subcommands. Each takes the words after its name.
#pragma once

#include "cli_options.hpp"

#include <string>
#include <vector>

namespace modrt::cli {
int cmd_call(const std::vector<std::string>& args);
int cmd_serve(const std::vector<std::string>& args);
int cmd_list(const std::vector<std::string>& args);
int cmd_validate(const std::vector<std::string>& args);
int cmd_plugins(const std::vector<std::string>& args);
int cmd_contracts(const std::vector<std::string>& args);
}  // namespace modrt::cli
