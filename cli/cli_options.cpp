#include "cli_options.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <sstream>

namespace modrt::cli {

namespace {

/// A positive count, with an optional KiB/MiB/GiB suffix when `sizes`; nullopt when malformed.
std::optional<uint64_t> parse_count(const std::string& text, bool sizes) {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end == text.data() || n == 0) return std::nullopt;
    std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
    uint64_t scale = 1;
    if (unit.empty()) scale = 1;
    else if (sizes && unit == "KiB") scale = uint64_t{1} << 10;
    else if (sizes && unit == "MiB") scale = uint64_t{1} << 20;
    else if (sizes && unit == "GiB") scale = uint64_t{1} << 30;
    else return std::nullopt;
    if (n > UINT64_MAX / scale) return std::nullopt;
    return n * scale;
}

}  // namespace

po::options_description global_options(GlobalOptions& g) {
    // Each notifier rejects a malformed value while the command line is parsed, so that
    // every command reports it as a usage error (exit 2), before any registry is read.
    auto overrides = [&g](const std::vector<std::string>& texts) {
        g.parsed_overrides.clear();
        for (const auto& text : texts) {
            std::optional<kernel::EntryOverride> o = kernel::EntryOverride::parse(text);
            if (!o)
                throw po::error("--override takes ns:entry:field=value, got '" + text +
                                "' (field: names joined by '.', list items by index; not 'name')");
            g.parsed_overrides.push_back(std::move(*o));
        }
    };
    auto roots = [](const std::vector<std::string>& dirs) {
        for (const auto& dir : dirs) {
            std::error_code ec;
            if (dir.empty() || !std::filesystem::is_directory(dir, ec))
                throw po::error("--source-root takes an existing directory, got '" + dir + "'");
        }
    };
    auto nodes = [&g](const std::string& text) {
        auto n = parse_count(text, false);
        if (!n) throw po::error("--registry-max-nodes takes a positive number, got '" + text + "'");
        g.registry_limits.max_nodes = *n;
    };
    auto bytes = [&g](const std::string& text) {
        auto n = parse_count(text, true);
        if (!n)
            throw po::error("--registry-max-bytes takes a positive size such as 4194304 or 8MiB, got '" + text + "'");
        g.registry_limits.max_bytes = *n;
    };
    po::options_description d("Global options");
    d.add_options()("plugin-path", po::value(&g.plugin_path)->composing(),
                    "directory (or .so file) to search for plugins; repeatable, ':'-separated; searched before "
                    "$MODRT_PLUGIN_PATH and the default next to this binary")(
        "log-level", po::value(&g.log_level)->default_value("warn"), "trace, debug, info, warn, error or off")(
        "override,o", po::value(&g.overrides)->composing()->notifier(overrides),
        "ns:entry:field=value: replace a field of an entry as the registry loads (field: kind, pool.workers, "
        "contracts.0.default; value: YAML); repeatable")(
        "source-root", po::value(&g.source_roots)->composing()->notifier(roots),
        "directory that `source: file://` may name besides the registry's own (symlinks resolved); repeatable")(
        "registry-max-nodes", po::value<std::string>()->notifier(nodes),
        "most nodes one registry file (or -o value) may expand to, aliases counted each time used (default 100000)")(
        "registry-max-bytes", po::value<std::string>()->notifier(bytes),
        "most bytes one registry file may hold, and its scalars and keys expand to (default 4MiB; KiB/MiB/GiB)");
    return d;
}

const std::vector<std::string>& global_value_options() {
    static const std::vector<std::string> names{"--plugin-path", "--log-level",          "--override",          "-o",
                                                "--source-root", "--registry-max-nodes", "--registry-max-bytes"};
    return names;
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
    kernel::RuntimeOptions options;
    options.plugin_path = plugin_path(g);
    options.overrides = g.parsed_overrides;  // checked as the command line was parsed
    options.source_roots.assign(g.source_roots.begin(), g.source_roots.end());
    options.registry_limits = g.registry_limits;
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
