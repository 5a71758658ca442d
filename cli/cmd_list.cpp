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
    size_t id_width = 2, kind_width = 4;  // the headers' lengths
    for (const auto& e : entries) {
        id_width = std::max(id_width, e.id.size());
        kind_width = std::max(kind_width, e.kind.size());
    }
    const int id_col = static_cast<int>(id_width) + 2, kind_col = static_cast<int>(kind_width) + 2;
    std::cout << std::left << std::setw(id_col) << "ID" << std::setw(kind_col) << "KIND"
              << "POOL\n";
    for (const auto& e : entries)
        std::cout << std::setw(id_col) << e.id << std::setw(kind_col) << e.kind
                  << (e.skipped        ? "(skipped: no plugin serves this kind)"
                      : e.pool.empty() ? "-"
                                       : e.pool)
                  << "\n";
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
    auto entries = rt->entries();
    std::cout << "ok: " << entries.size() << " entries in " << registry << "\n";
    for (const auto& e : entries)
        if (e.skipped)
            std::cout << "skipped: " << e.file << ":" << e.line << ": entry '" << e.id << "' (" << e.kind
                      << "): no plugin serves this kind; calling it fails\n";
    // Said here rather than on every call: validating is when the setup is being looked at.
    if (!rt->has_security_provider())
        std::cout << "note: no security plugin loaded: every call is allowed (permissive mode)\n";
    return kOk;
}

}  // namespace modrt::cli
