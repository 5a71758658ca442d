// Options shared by every `modrt` command, and turning them into a Runtime.
#pragma once

#include <modrt/kernel/runtime.hpp>

#include <boost/program_options.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace modrt::cli {

namespace po = boost::program_options;

/// Exit codes: 0 ok, 1 the call or registry failed, 2 the command line was wrong.
enum Exit { kOk = 0, kFailed = 1, kUsage = 2, kInterrupted = 130 /* as a shell reports SIGINT */ };

struct GlobalOptions {
    std::vector<std::string> plugin_path;
    std::vector<std::string> overrides;  // ns:entry:field=value
    std::string log_level = "warn";
    std::vector<std::string> source_roots;
    // Filled as the command line is parsed (each checked there: a bad one is a usage error).
    std::vector<kernel::EntryOverride> parsed_overrides;
    kernel::RegistryLimits registry_limits;
};

/// The options every command takes (--plugin-path, --log-level, -o, --source-root,
/// --registry-max-nodes/-bytes), accepted before or after the command. Their values are
/// checked when parsed: a malformed one makes parse() fail (exit 2).
po::options_description global_options(GlobalOptions& g);

/// The names of the global options that take a value ("--plugin-path", ..., "-o").
const std::vector<std::string>& global_value_options();

/// Apply --log-level; prints the problem and returns false when the level is unknown.
bool apply_log_level(const GlobalOptions& g);

/// --plugin-path entries (':'-separated too), then $MODRT_PLUGIN_PATH, then the defaults next to this binary.
std::vector<std::filesystem::path> plugin_path(const GlobalOptions& g);

/// A runtime with `registry` loaded; prints every registry error and returns null when there are any.
std::unique_ptr<kernel::Runtime> load_runtime(const GlobalOptions& g, const std::string& registry);

/// Parse "COMMAND REGISTRY [options]" (`extra`: the command's own options, may be null).
/// Returns false after printing why on bad usage; sets `help` after printing the usage.
bool parse_registry_command(const std::vector<std::string>& args, const char* usage, GlobalOptions& g,
                            std::string& registry, bool& help, const po::options_description* extra = nullptr);

/// Parse `args` for one command; prints the problem and returns false on bad usage.
bool parse(const std::vector<std::string>& args, const po::options_description& options,
           const po::positional_options_description& positional, po::variables_map& vm);

}  // namespace modrt::cli
