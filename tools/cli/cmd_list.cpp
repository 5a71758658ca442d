// modrt list REGISTRY and modrt validate REGISTRY.
#include "commands.hpp"

#include <iomanip>
#include <iostream>

namespace modrt::cli {

int cmd_list(const std::vector<std::string>& args) {
    GlobalOptions g;
    std::string registry;
    bool help = false;
    if (!parse_registry_command(args, "modrt list REGISTRY\n\nList every entry: id, kind, pool.\n\nOptions", g,
                                registry, help))
        return kUsage;
    if (help) return kOk;
    auto rt = load_runtime(g, registry);
    if (!rt) return kFailed;
    auto entries = rt->entries();
    size_t width = 2;
    for (const auto& e : entries) width = std::max(width, e.id.size());
    std::cout << std::left << std::setw(static_cast<int>(width) + 2) << "ID" << std::setw(18) << "KIND" << "POOL\n";
    for (const auto& e : entries)
        std::cout << std::setw(static_cast<int>(width) + 2) << e.id << std::setw(18) << e.kind
                  << (e.pool.empty() ? "-" : e.pool) << "\n";
    return kOk;
}

int cmd_validate(const std::vector<std::string>& args) {
    GlobalOptions g;
    std::string registry;
    bool help = false;
    if (!parse_registry_command(args,
                                "modrt validate REGISTRY\n\nLoad the registry and report every problem (exit 1 if "
                                "any).\n\nOptions",
                                g, registry, help))
        return kUsage;
    if (help) return kOk;
    auto rt = load_runtime(g, registry);
    if (!rt) return kFailed;
    std::cout << "ok: " << rt->entries().size() << " entries in " << registry << "\n";
    return kOk;
}

}  // namespace modrt::cli
