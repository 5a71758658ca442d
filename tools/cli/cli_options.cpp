#include "cli_options.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace modrt::cli {

po::options_description global_options(GlobalOptions& g) {
    po::options_description d("Global options");
    d.add_options()("plugin-path", po::value(&g.plugin_path)->composing(),
                    "directory (or .so file) to search for plugins; repeatable, ':'-separated; searched before "
                    "$MODRT_PLUGIN_PATH and the default next to this binary")(
        "log-level", po::value(&g.log_level)->default_value("warn"), "trace, debug, info, warn, error or off")(
        "override,o", po::value(&g.overrides)->composing(),
        "ns:entry:field=value: replace a field of an entry as the registry loads (field: kind, pool.workers, "
        "contracts.0.default; value: YAML); repeatable");
    return d;
}

bool apply_log_level(const GlobalOptions& g) {
    if (kernel::set_log_level(g.log_level)) return true;
    std::cerr << "modrt: unknown log level '" << g.log_level << "'\n";
    return false;
}

std::vector<std::filesystem::path> plugin_path(const GlobalOptions& g) {
    std::vector<std::filesystem::path> out;
    auto split = [&](const std::string& list) {
        std::stringstream ss(list);
        std::string item;
        while (std::getline(ss, item, ':'))
            if (!item.empty()) out.emplace_back(item);
    };
    for (const auto& p : g.plugin_path) split(p);
    if (const char* env = std::getenv("MODRT_PLUGIN_PATH")) split(env);
    for (auto& p : kernel::Runtime::default_plugin_path(boost::dll::program_location())) out.push_back(std::move(p));
    return out;
}

std::unique_ptr<kernel::Runtime> load_runtime(const GlobalOptions& g, const std::string& registry) {
    kernel::RuntimeOptions options{plugin_path(g), {}};
    for (const auto& text : g.overrides) {
        std::optional<kernel::EntryOverride> o = kernel::EntryOverride::parse(text);
        if (!o) {
            std::cerr << "modrt: --override takes ns:entry:field=value, got '" << text << "'\n";
            return nullptr;
        }
        options.overrides.push_back(std::move(*o));
    }
    auto rt = std::make_unique<kernel::Runtime>(std::move(options));
    auto errors = rt->load(registry);
    if (errors.empty()) return rt;
    for (const auto& e : errors) std::cerr << e.format() << "\n";
    std::cerr << errors.size() << (errors.size() == 1 ? " error" : " errors") << " in registry " << registry << "\n";
    return nullptr;
}

bool parse(const std::vector<std::string>& args, const po::options_description& options,
           const po::positional_options_description& positional, po::variables_map& vm) {
    try {
        // Short options are off so that a JSON argument such as -5 stays an argument.
        auto style = po::command_line_style::unix_style ^ po::command_line_style::allow_short;
        std::vector<std::string> words = args;
        for (auto& w : words)
            if (w == "-o") w = "--override";  // the one short option (Wippy's), spelled out for the parser
        po::store(po::command_line_parser(words).options(options).positional(positional).style(style).run(), vm);
        po::notify(vm);
        return true;
    } catch (const po::error& e) {
        std::cerr << "modrt: " << e.what() << "\n";
        return false;
    }
}

bool parse_registry_command(const std::vector<std::string>& args, const char* usage, GlobalOptions& g,
                            std::string& registry, bool& help, const po::options_description* extra) {
    po::options_description d(usage);
    d.add_options()("help", "show this help");
    if (extra != nullptr) d.add(*extra);
    d.add(global_options(g));
    po::options_description hidden;
    hidden.add_options()("registry", po::value(&registry));
    po::options_description all;
    all.add(d).add(hidden);
    po::positional_options_description pos;
    pos.add("registry", 1);
    po::variables_map vm;
    if (!parse(args, all, pos, vm)) return false;
    help = vm.count("help") > 0;
    if (help) {
        std::cout << d << "\n";
        return true;
    }
    if (!apply_log_level(g)) return false;
    if (registry.empty()) {
        std::cerr << "modrt: missing REGISTRY\n";
        return false;
    }
    return true;
}

}  // namespace modrt::cli
