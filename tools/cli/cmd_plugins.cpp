// modrt plugins: every plugin file on the plugin path.
#include "commands.hpp"

#include <iostream>

namespace modrt::cli {

int cmd_plugins(const std::vector<std::string>& args) {
    GlobalOptions g;
    po::options_description d("modrt plugins\n\nList every plugin on the plugin path: file, name, version, ABI, "
                              "what it provides, or why it is refused.\n\nOptions");
    d.add_options()("help", "show this help");
    d.add(global_options(g));
    po::variables_map vm;
    if (!parse(args, d, po::positional_options_description(), vm)) return kUsage;
    if (vm.count("help")) {
        std::cout << d << "\n";
        return kOk;
    }
    if (!apply_log_level(g)) return kUsage;
    auto path = plugin_path(g);
    kernel::Runtime rt(kernel::RuntimeOptions{path});
    auto records = rt.plugins();
    std::cout << "plugin path:\n";
    for (const auto& p : path) std::cout << "  " << p.lexically_normal().string() << "\n";
    if (records.empty()) std::cout << "no plugins found\n";
    for (const auto& r : records) {
        std::cout << r.file.lexically_normal().string() << "\n";
        if (!r.refused.empty()) {
            std::cout << "  refused: " << r.refused << "\n";
            continue;
        }
        std::cout << "  name: " << r.name << "  version: " << r.version << "  abi: " << r.abi_major << "."
                  << r.abi_minor << "\n  provides:";
        for (const auto& p : r.provides) std::cout << " " << p;
        std::cout << "\n";
    }
    return kOk;
}

}  // namespace modrt::cli
