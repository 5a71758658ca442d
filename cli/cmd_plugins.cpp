// modrt plugins: every plugin file on the plugin path, each opened and checked (unlike a
// registry load, which opens only the plugins it needs). Exits 1 when any file is refused,
// so that a packaging check (`modrt plugins && deploy`) catches a plugin that will not load.
#include "commands.hpp"

#include <modrt/kernel/json.hpp>

#include <algorithm>
#include <iostream>

namespace modrt::cli {

namespace {

using kernel::PluginRecord;
using kernel::Value;

Value string_or_null(const std::string& s) { return s.empty() ? Value() : Value::string(s); }

/// One plugin file as `--format json` shows it; fields whose value is unknown (a file refused
/// before its descriptor was read has no name) are null, so every object has the same keys.
Value plugin_json(const PluginRecord& r) {
    const bool described = !r.name.empty();  // the descriptor (or its manifest) was read
    Value v = Value::map();
    v.insert("file") = Value::string(r.file.lexically_normal().string());
    v.insert("name") = string_or_null(r.name);
    v.insert("version") = string_or_null(r.version);
    v.insert("abi_major") = described ? Value::integer(r.abi_major) : Value();
    v.insert("abi_minor") = described ? Value::integer(r.abi_minor) : Value();
    Value& provides = v.insert("provides");
    provides = Value::array();
    for (const auto& p : r.provides) provides.push() = Value::string(p);
    v.insert("refused") = string_or_null(r.refused);
    const bool refused = !r.refused.empty();
    v.insert("manifest") = Value::boolean(!refused && r.manifest.empty());
    v.insert("manifest_problem") = refused ? Value() : string_or_null(r.manifest);
    v.insert("indexed") = Value::boolean(r.indexed);  // described by its directory's plugins.modrt-index
    return v;
}

void write_json(std::ostream& out, const std::vector<std::filesystem::path>& path,
                const std::vector<PluginRecord>& records) {
    Value doc = Value::map();
    Value& dirs = doc.insert("plugin_path");
    dirs = Value::array();
    for (const auto& p : path) dirs.push() = Value::string(p.lexically_normal().string());
    Value& plugins = doc.insert("plugins");
    plugins = Value::array();
    for (const auto& r : records) plugins.push() = plugin_json(r);
    out << kernel::to_json(doc, 2) << "\n";
}

void write_text(std::ostream& out, const std::vector<std::filesystem::path>& path,
                const std::vector<PluginRecord>& records) {
    out << "plugin path:\n";
    for (const auto& p : path) out << "  " << p.lexically_normal().string() << "\n";
    if (records.empty()) out << "no plugins found\n";
    for (const auto& r : records) {
        out << r.file.lexically_normal().string() << "\n";
        if (!r.refused.empty()) {
            out << "  refused: " << r.refused << "\n";
            continue;
        }
        out << "  name: " << r.name << "  version: " << r.version << "  abi: " << r.abi_major << "." << r.abi_minor
            << "\n  provides:";
        for (const auto& p : r.provides) out << " " << p;
        out << "\n  manifest: " << (r.manifest.empty() ? "yes" : r.manifest) << "\n";
        if (r.indexed) out << "  indexed: yes (described by its directory's plugins.modrt-index)\n";
    }
}

}  // namespace

int cmd_plugins(const std::vector<std::string>& args) {
    GlobalOptions g;
    std::string format = "text";
    po::options_description d("modrt plugins\n\nList every plugin on the plugin path: file, name, version, ABI, "
                              "what it provides, whether a manifest describes it, or why it is refused. Unlike a "
                              "registry load, this opens every plugin. Exits 1 when any file is refused.\n\nOptions");
    d.add_options()("help", "show this help")("format", po::value(&format),
                                              "text (default) or json (one document: plugin_path, plugins)");
    d.add(global_options(g));
    po::variables_map vm;
    if (!parse(args, d, po::positional_options_description(), vm)) return kUsage;
    if (vm.count("help")) {
        std::cout << d << "\n";
        return kOk;
    }
    if (!apply_log_level(g)) return kUsage;
    if (format != "text" && format != "json") {
        std::cerr << "modrt: --format must be text or json, not '" << format << "'\n";
        return kUsage;
    }
    auto path = plugin_path(g);
    kernel::Runtime rt(kernel::RuntimeOptions{path});
    auto records = rt.inspect_plugins();
    if (format == "json") write_json(std::cout, path, records);
    else write_text(std::cout, path, records);
    auto refused = std::count_if(records.begin(), records.end(),
                                 [](const PluginRecord& r) { return !r.refused.empty(); });
    if (refused == 0) return kOk;
    std::cerr << "modrt: " << refused << (refused == 1 ? " plugin file" : " plugin files")
              << " on the plugin path refused\n";
    return kFailed;
}

}  // namespace modrt::cli
