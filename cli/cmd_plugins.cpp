// modrt plugins: every plugin file on the plugin path, each opened and checked (unlike a
// registry load, which opens only the plugins it needs).
#include "commands.hpp"

#include <iostream>

namespace modrt::cli {

int cmd_plugins(const std::vector<std::string>& args) {
    GlobalOptions g;
    po::options_description d("modrt plugins\n\nList every plugin on the plugin path: file, name, version, ABI, "
                              "what it provides, whether a manifest describes it, or why it is refused. Unlike a "
                              "registry load, this opens every plugin.\n\nOptions");
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
    auto records = rt.inspect_plugins();
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
        std::cout << "\n  manifest: " << (r.manifest.empty() ? "yes" : r.manifest) << "\n";
    }
    return kOk;
}

}  // namespace modrt::cli
