// modrt: run and inspect function registries.
#include "commands.hpp"

#include <iostream>
#include <map>

namespace {

constexpr const char* kUsageText = R"(usage: modrt [--help] [--version] <command> [<args>]

commands:
  call REGISTRY ID [ARG...]   call a function; each ARG is one JSON value; prints the result as JSON
  list REGISTRY               list entries: id, kind, pool
  validate REGISTRY           report every problem in a registry (exit 1 if any)
  plugins                     list plugins on the plugin path

options of every command:
  --plugin-path DIR           search DIR for plugins first (repeatable; also $MODRT_PLUGIN_PATH)
  --log-level LEVEL           trace, debug, info, warn (default), error, off

'modrt <command> --help' shows a command's own options.
)";

}  // namespace

int main(int argc, char** argv) {
    using namespace modrt::cli;
    std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty()) {
        std::cerr << kUsageText;
        return kUsage;
    }
    const std::string& command = words.front();
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsageText;
        return kOk;
    }
    if (command == "--version") {
        std::cout << "modrt " << MODRT_VERSION << " (ABI " << MODRT_ABI_MAJOR << "." << MODRT_ABI_MINOR << ")\n";
        return kOk;
    }
    static const std::map<std::string, int (*)(const std::vector<std::string>&)> commands{
        {"call", cmd_call}, {"list", cmd_list}, {"validate", cmd_validate}, {"plugins", cmd_plugins}};
    auto it = commands.find(command);
    if (it == commands.end()) {
        std::cerr << "modrt: unknown command '" << command << "'\n\n" << kUsageText;
        return kUsage;
    }
    try {
        return it->second(std::vector<std::string>(words.begin() + 1, words.end()));
    } catch (const std::exception& e) {
        std::cerr << "modrt: " << e.what() << "\n";
        return kFailed;
    }
}
