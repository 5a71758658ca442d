// modrt: run and inspect function registries.
#include "commands.hpp"

#include <algorithm>
#include <iostream>
#include <map>

namespace {

constexpr const char* kUsageText = R"(usage: modrt [--help] [--version] <command> [<args>]

commands:
  call REGISTRY ID [ARG...]   call a function; each ARG is one JSON value; prints the result as JSON
  serve REGISTRY              start the registry's triggers (HTTP services, schedules) and serve
                              until SIGINT/SIGTERM, then stop gracefully
  list REGISTRY               list entries: id, kind, pool
  validate REGISTRY           report every problem in a registry (exit 1 if any), and notes
                              such as running without a security plugin
  plugins                     list plugins on the plugin path (--format json; exit 1 if any
                              is refused)
  contracts REGISTRY          document every contract: methods, schemas, implementations (--format json)

options of every command (before or after it):
  --plugin-path DIR           search DIR for plugins first (repeatable; also $MODRT_PLUGIN_PATH)
  --log-level LEVEL           trace, debug, info, warn (default), error, off
  -o, --override ns:entry:field=value
                              replace a field of an entry as the registry loads (repeatable)
  --source-root DIR           let `source: file://` name files under DIR, besides the
                              registry's own directory (repeatable)
  --registry-max-nodes N      most nodes one registry file may expand to (default 100000)
  --registry-max-bytes SIZE   most bytes one registry file may hold or expand to (default 4MiB)

exit codes: 0 ok, 1 the call or the registry failed, 2 the command line was wrong, 130 interrupted
(Ctrl-C), 143 terminated (SIGTERM: the call is canceled and gets 2s to return); `serve` exits 0
after a graceful stop

'modrt <command> --help' shows a command's own options.
)";

/// `modrt --log-level debug call ...`: move global options given before the command
/// behind it, where each command parses them.
std::vector<std::string> global_options_after_command(std::vector<std::string> words) {
    std::vector<std::string> globals;
    size_t i = 0;
    const auto& names = modrt::cli::global_value_options();
    while (i < words.size()) {
        const std::string& w = words[i];
        bool joined = std::any_of(names.begin(), names.end(),
                                  [&](const std::string& n) { return n.starts_with("--") && w.starts_with(n + "="); });
        bool separate = std::find(names.begin(), names.end(), w) != names.end() && i + 1 < words.size();
        if (!joined && !separate) break;
        globals.push_back(w);
        if (separate) globals.push_back(words[i + 1]);
        i += separate ? 2 : 1;
    }
    if (globals.empty() || i == words.size()) return words;
    std::vector<std::string> out{words[i]};
    out.insert(out.end(), globals.begin(), globals.end());
    out.insert(out.end(), words.begin() + static_cast<std::ptrdiff_t>(i) + 1, words.end());
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace modrt::cli;
    std::vector<std::string> words = global_options_after_command(std::vector<std::string>(argv + 1, argv + argc));
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
        {"call", cmd_call},         {"serve", cmd_serve},     {"list", cmd_list},
        {"validate", cmd_validate}, {"plugins", cmd_plugins}, {"contracts", cmd_contracts}};
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
