// End-to-end tests of the `modrt` command line: each test runs the real binary
// (MODRT_CLI) as a child process and checks its exit code, stdout and stderr.
#include "subprocess.hpp"

#include <modrt/abi.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <dlfcn.h>
#include <filesystem>
#include <fstream>
#include <regex>
#include <signal.h>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
using modrt::test::ProcessOptions;
using modrt::test::ProcessResult;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const std::string kRegistries = CLI_REGISTRIES;
// "1.1" as a regex: the ABI this build speaks.
const std::string kAbi = std::to_string(MODRT_ABI_MAJOR) + "\\." + std::to_string(MODRT_ABI_MINOR);
const std::string kNative = kRegistries + "/native";
const std::string kBroken = kRegistries + "/broken";
const std::string kExtra = kRegistries + "/extra";
const std::string kMalformed = std::string(CLI_FIXTURES) + "/malformed";

/// Run `modrt args...`. The child's $MODRT_PLUGIN_PATH is cleared unless the test sets it,
/// so the environment ctest runs in cannot change what the CLI finds.
ProcessResult run_modrt(std::vector<std::string> args, ProcessOptions options = {}) {
    args.insert(args.begin(), MODRT_CLI);
    options.env.try_emplace("MODRT_PLUGIN_PATH", std::nullopt);
    return modrt::test::run_process(args, options);
}

/// Everything the child printed, for failure messages.
std::string dump(const ProcessResult& r) {
    return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + r.out + "--- stderr ---\n" + r.err;
}

bool matches(const std::string& text, const std::string& pattern) {
    return std::regex_search(text, std::regex(pattern));
}

/// A fresh directory under the test binary dir, removed at the end of the test.
class TempDir {
public:
    TempDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = fs::path(MODRT_TEST_BINARY_DIR) / "tmp" /
                (std::string(info->test_suite_name()) + "." + info->name() + "." + std::to_string(getpid()));
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }
    std::string str() const { return path_.string(); }
    fs::path write(const std::string& name, const std::string& content) const {
        std::ofstream(path_ / name) << content;
        return path_ / name;
    }

private:
    fs::path path_;
};

nlohmann::ordered_json parse_stdout(const ProcessResult& r) {
    return nlohmann::ordered_json::parse(r.out);  // throws (and fails the test) on bad JSON
}

}  // namespace

// ---------------------------------------------------------------------------
// Usage: --help, --version, bad command lines (exit 2)
// ---------------------------------------------------------------------------

TEST(CliUsage, HelpPrintsUsageAndExitsZero) {
    auto r = run_modrt({"--help"});
    EXPECT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.out, HasSubstr("usage: modrt"));
    for (const char* cmd : {"call REGISTRY ID", "list REGISTRY", "validate REGISTRY", "plugins"})
        EXPECT_THAT(r.out, HasSubstr(cmd));
    EXPECT_EQ(r.err, "");
}

TEST(CliUsage, NoArgumentsIsUsageError) {
    auto r = run_modrt({});
    EXPECT_EQ(r.exit_code, 2) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("usage: modrt"));
    EXPECT_EQ(r.out, "");
}

TEST(CliUsage, VersionNamesVersionAndAbi) {
    auto r = run_modrt({"--version"});
    EXPECT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_TRUE(matches(r.out, "^modrt [0-9]+\\.[0-9]+\\.[0-9]+ \\(ABI " + kAbi + "\\)\n$")) << r.out;
}

TEST(CliUsage, UnknownCommandExitsTwo) {
    auto r = run_modrt({"frobnicate"});
    EXPECT_EQ(r.exit_code, 2) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("unknown command 'frobnicate'"));
    EXPECT_EQ(r.out, "");
}

TEST(CliUsage, CommandHelpShowsItsOptions) {
    auto r = run_modrt({"call", "--help"});
    EXPECT_EQ(r.exit_code, 0) << dump(r);
    for (const char* opt : {"--context", "--timeout", "--plugin-path", "--log-level"})
        EXPECT_THAT(r.out, HasSubstr(opt));
}

TEST(CliUsage, CallWithoutRegistryOrIdExitsTwo) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"call"}, std::vector<std::string>{"call", kNative}}) {
        auto r = run_modrt(args);
        EXPECT_EQ(r.exit_code, 2) << dump(r);
        EXPECT_THAT(r.err, HasSubstr("call needs REGISTRY and ID"));
        EXPECT_EQ(r.out, "");
    }
}

TEST(CliUsage, ListAndValidateWithoutRegistryExitTwo) {
    for (const char* cmd : {"list", "validate"}) {
        auto r = run_modrt({cmd});
        EXPECT_EQ(r.exit_code, 2) << cmd << "\n" << dump(r);
        EXPECT_THAT(r.err, HasSubstr("missing REGISTRY"));
    }
}

TEST(CliUsage, ArgumentThatIsNotJsonExitsTwo) {
    auto r = run_modrt({"call", kNative, "test.native:greet", "notjson"});
    EXPECT_EQ(r.exit_code, 2) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("argument 1 is not valid JSON"));
    EXPECT_EQ(r.out, "");
}

TEST(CliUsage, BadJsonNamesTheRightArgument) {
    auto r = run_modrt({"call", kNative, "test.native:echo", "\"fine\"", "{\"a\":"});
    EXPECT_EQ(r.exit_code, 2) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("argument 2 is not valid JSON"));
}

TEST(CliUsage, UnknownOptionExitsTwo) {
    auto r = run_modrt({"call", kNative, "test.native:greet", "\"Ada\"", "--no-such-option"});
    EXPECT_EQ(r.exit_code, 2) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("no-such-option"));
    EXPECT_EQ(r.out, "");
}

TEST(CliUsage, BadLogLevelExitsTwo) {
    auto r = run_modrt({"call", kNative, "test.native:greet", "\"Ada\"", "--log-level", "chatty"});
    EXPECT_EQ(r.exit_code, 2) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("unknown log level 'chatty'"));
}

TEST(CliUsage, BadLogLevelExitsTwoForEveryCommand) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"list", kNative}, std::vector<std::string>{"validate", kNative},
          std::vector<std::string>{"plugins"}}) {
        auto with_level = args;
        with_level.insert(with_level.end(), {"--log-level", "chatty"});
        auto r = run_modrt(with_level);
        EXPECT_EQ(r.exit_code, 2) << args[0] << "\n" << dump(r);
        EXPECT_THAT(r.err, HasSubstr("unknown log level 'chatty'")) << args[0];
    }
}

TEST(CliUsage, BadTimeoutExitsTwo) {
    auto r = run_modrt({"call", kNative, "test.native:greet", "\"Ada\"", "--timeout", "soon"});
    EXPECT_EQ(r.exit_code, 2) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("--timeout"));
}

TEST(CliUsage, ContextWithoutEqualsExitsTwo) {
    auto r = run_modrt({"call", kNative, "test.native:ctx", "\"k\"", "--context", "novalue"});
    EXPECT_EQ(r.exit_code, 2) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("--context takes key=value"));
}

// ---------------------------------------------------------------------------
// modrt call with native functions
// ---------------------------------------------------------------------------

TEST(CliCall, GreetPrintsJsonString) {
    auto r = run_modrt({"call", kNative, "test.native:greet", "\"Ada\""});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");
}

TEST(CliCall, RegistryMayBeOneYamlFile) {
    auto r = run_modrt({"call", kNative + "/registry.yaml", "test.native:greet", "\"Ada\""});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");
}

TEST(CliCall, FunctionErrorGoesToStderrWithDetails) {
    auto r = run_modrt({"call", kNative, "test.native:fail"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("NotFound: no such user\n"));
    EXPECT_THAT(r.err, HasSubstr("details:"));
    EXPECT_THAT(r.err, HasSubstr("\"user_id\": 42"));
    EXPECT_THAT(r.err, HasSubstr("\"hint\": \"try another id\""));
}

TEST(CliCall, FunctionErrorForBadArgument) {
    auto r = run_modrt({"call", kNative, "test.native:greet", "42"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("Invalid: greet takes one string argument"));
}

TEST(CliCall, ExceptionInFunctionBecomesInternalError) {
    auto r = run_modrt({"call", kNative, "test.native:boom"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("Internal: "));
    EXPECT_THAT(r.err, HasSubstr("kaboom"));
}

TEST(CliCall, EchoRoundTripsNestedJson) {
    std::vector<std::string> args = {
        R"({"user":{"name":"Ada","tags":["a","b"],"age":36,"score":9.5,"admin":true,"boss":null}})",
        R"([1,[2,[3,[4,[]]]],{}])",
        "3.25",
        "-7",
        "\"h\u00e9llo \u2713\"",
        "null",
        "false",
        "9007199254740993"};
    std::vector<std::string> cmd = {"call", kNative, "test.native:echo"};
    cmd.insert(cmd.end(), args.begin(), args.end());
    auto r = run_modrt(cmd);
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    nlohmann::ordered_json expected = nlohmann::ordered_json::array();
    for (const auto& a : args) expected.push_back(nlohmann::ordered_json::parse(a));
    auto got = parse_stdout(r);
    EXPECT_EQ(got, expected) << r.out;
    // Integers stay integers (no float round trip), and map keys keep their order.
    EXPECT_EQ(got[7].get<int64_t>(), 9007199254740993LL);
    EXPECT_EQ(got[0]["user"].begin().key(), "name");
}

TEST(CliCall, MapKeyOrderIsKept) {
    auto r = run_modrt({"call", kNative, "test.native:echo", R"({"z":1,"a":2,"m":3})"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(parse_stdout(r).dump(), R"([{"z":1,"a":2,"m":3}])");
}

TEST(CliCall, EchoWithNoArgumentsIsEmptyArray) {
    auto r = run_modrt({"call", kNative, "test.native:echo"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(parse_stdout(r), nlohmann::ordered_json::array());
}

TEST(CliCall, ContextIsVisibleToTheFunction) {
    auto r = run_modrt({"call", kNative, "test.native:ctx", "\"trace_id\"", "--context", "trace_id=abc"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"abc\"\n");
}

TEST(CliCall, ContextValuesThatAreJsonKeepTheirType) {
    auto r = run_modrt({"call", kNative, "test.native:ctx", "\"n\"", "--context", "trace_id=abc", "--context", "n=42"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "42\n");
    r = run_modrt({"call", kNative, "test.native:ctx", "\"m\"", "--context", "m={\"a\":[1]}"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(parse_stdout(r), nlohmann::ordered_json::parse(R"({"a":[1]})"));
}

TEST(CliCall, MissingContextKeyIsNull) {
    auto r = run_modrt({"call", kNative, "test.native:ctx", "\"trace_id\""});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "null\n");
}

TEST(CliCall, ActorIsVisibleToTheFunction) {
    auto r = run_modrt({"call", kNative, "test.native:whoami", "--actor", "alice"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"alice\"\n");
    r = run_modrt({"call", kNative, "test.native:whoami"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "null\n");
}

TEST(CliCall, TimeoutStopsALongCall) {
    auto start = std::chrono::steady_clock::now();
    auto r = run_modrt({"call", kNative, "test.native:wait", "10000", "--timeout", "200ms"});
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("Timeout: "));
    EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(CliCall, CtrlCCancelsTheCall) {
    ProcessOptions options;
    options.interrupt_after = std::chrono::milliseconds(1000);  // well after start-up, even under sanitizers
    auto start = std::chrono::steady_clock::now();
    auto r = run_modrt({"call", kNative, "test.native:wait", "30000"}, options);
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r.exit_code, 130) << dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("interrupted, stopping the call"));
    EXPECT_THAT(r.err, HasSubstr("Canceled: wait stopped early"));  // the function saw its frame canceled
    EXPECT_LT(took, std::chrono::seconds(10));
}

TEST(CliCall, StatsPrintInterceptorCounters) {
    auto r = run_modrt({"call", kNative, "test.native:measured_echo", "1", "--stats"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.err,
                HasSubstr(
                    "interceptor stats:\n  test.native:measured_echo (interceptor.metrics): calls=1 errors=0 p50_us="));
    EXPECT_THAT(r.err, HasSubstr("pool stats:"));
}

TEST(CliCall, ShortCallFinishesWithinTimeout) {
    auto r = run_modrt({"call", kNative, "test.native:wait", "10", "--timeout", "5s"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"waited\"\n");
}

TEST(CliCall, UnknownFunctionIsNotFound) {
    auto r = run_modrt({"call", kNative, "test.native:nope"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("NotFound: "));
    EXPECT_THAT(r.err, HasSubstr("test.native:nope"));
}

TEST(CliCall, MalformedIdIsInvalid) {
    auto r = run_modrt({"call", kNative, "nonamespace"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("Invalid: "));
}

TEST(CliCall, MissingRegistryFails) {
    auto r = run_modrt({"call", kRegistries + "/does-not-exist", "a:b"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("registry not found"));
}

TEST(CliCall, BrokenRegistryRefusesEveryCall) {
    // test.broken:fine is itself correct, but a registry with errors is not run.
    auto r = run_modrt({"call", kBroken, "test.broken:fine", "\"Ada\""});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("errors in registry"));
}

TEST(CliCall, GlobalOptionsMayComeBeforeTheCommand) {
    // cli_options.hpp: "--plugin-path / --log-level, accepted before or after the command".
    auto r = run_modrt({"--log-level", "error", "call", kNative, "test.native:greet", "\"Ada\""});
    EXPECT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");
}

// ---------------------------------------------------------------------------
// modrt list / validate
// ---------------------------------------------------------------------------

TEST(CliList, ShowsIdKindAndPool) {
    auto r = run_modrt({"list", kNative});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    std::istringstream lines(r.out);
    std::string line;
    std::getline(lines, line);
    EXPECT_TRUE(matches(line, R"(^ID\s+KIND\s+POOL$)")) << line;
    std::map<std::string, std::pair<std::string, std::string>> rows;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::string id, kind, pool, extra;
        words >> id >> kind >> pool;
        EXPECT_FALSE(words >> extra) << line;
        rows[id] = {kind, pool};
    }
    EXPECT_EQ(rows.size(), 8u) << r.out;
    for (const char* id : {"test.native:greet", "test.native:fail", "test.native:echo", "test.native:measured_echo",
                           "test.native:ctx", "test.native:whoami", "test.native:boom", "test.native:wait"}) {
        ASSERT_TRUE(rows.count(id)) << id << " missing from\n" << r.out;
        EXPECT_EQ(rows[id].first, "function.native") << id;
        EXPECT_EQ(rows[id].second, "inline") << id;
    }
}

TEST(CliList, ColumnsLineUpWithKindsLongerThanTheHeader) {
    // contract.definition and contract.binding are longer than function.native.
    auto r = run_modrt({"list", CLI_CONTRACTS_REGISTRY, "--log-level", "error"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    std::istringstream lines(r.out);
    std::string header, line;
    std::getline(lines, header);
    size_t kind_at = header.find("KIND"), pool_at = header.find("POOL");
    ASSERT_NE(pool_at, std::string::npos) << header;
    bool saw_definition = false;
    while (std::getline(lines, line)) {
        ASSERT_GT(line.size(), pool_at) << line;
        // Each column starts where its header does, after a space.
        EXPECT_TRUE(line[kind_at] != ' ' && line[kind_at - 1] == ' ') << line;
        EXPECT_TRUE(line[pool_at] != ' ' && line[pool_at - 1] == ' ') << line;
        saw_definition = saw_definition || line.find(" contract.definition ") != std::string::npos;
    }
    EXPECT_TRUE(saw_definition) << r.out;
}

TEST(CliList, BrokenRegistryFails) {
    auto r = run_modrt({"list", kBroken});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("7 errors in registry"));
}

TEST(CliList, ListKeepsDeclarationOrder) {
    auto r = run_modrt({"list", kNative});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_LT(r.out.find("test.native:greet"), r.out.find("test.native:fail"));
    EXPECT_LT(r.out.find("test.native:boom"), r.out.find("test.native:wait"));
}

TEST(CliValidate, GoodRegistryExitsZero) {
    auto r = run_modrt({"validate", kNative});
    EXPECT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.out, HasSubstr("ok: 8 entries in " + kNative));
}

TEST(CliValidate, EntriesOfKindsNoPluginServesAreListedAsSkipped) {
    TempDir dir;
    dir.write("registry.yaml", "version: \"1.0\"\nnamespace: app\nentries:\n"
                               "  - {name: hello, kind: function.lua, source: file://hello.lua, method: hello}\n"
                               "  - {name: worker, kind: process.lua, source: file://hello.lua, method: hello}\n");
    dir.write("hello.lua", "return {hello = function() return 'hi' end}\n");
    auto r = run_modrt({"validate", dir.str()});
    EXPECT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.out, HasSubstr("skipped: " + dir.str() +
                                 "/registry.yaml:5: entry 'app:worker' (process.lua): no "
                                 "plugin serves this kind; calling it fails"));
    EXPECT_THAT(r.err,
                HasSubstr("skipped 1 entry of kinds no plugin serves (calling one fails): process.lua (app:worker)"));
    r = run_modrt({"list", dir.str()});
    EXPECT_THAT(r.out, HasSubstr("(skipped: no plugin serves this kind)"));
    r = run_modrt({"call", dir.str(), "app:hello"});
    EXPECT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"hi\"\n");
    r = run_modrt({"call", dir.str(), "app:worker"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("Unavailable: 'app:worker' is a process.lua entry"));
}

TEST(CliValidate, BrokenRegistryReportsEveryErrorWithFileAndLine) {
    auto r = run_modrt({"validate", kBroken});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    const std::string f = kBroken + "/broken.yaml:";
    // Each line of broken.yaml.in that is wrong, with the field the error is about.
    const std::vector<std::pair<std::string, std::string>> expected = {
        {f + "11: entry 'test.broken:no_kind': ", "no 'kind'"},
        {f + "16: entry 'test.broken:missing_source': ", "source file not found"},
        {f + "20: entry 'test.broken:unknown_kind': ", "no plugin on the plugin path provides 'function.cobol'"},
        {f + "25: entry 'test.broken:no_such_symbol': ", "no_such_symbol"},
        {f + "31: entry 'test.broken:unknown_pool': ", "no plugin on the plugin path provides 'pool.nonexistent'"},
        {f + "39: entry 'test.broken:inline_with_options': ", "the inline pool takes no options"},
        {f + "41: entry 'test.broken:fine': ", "duplicate id; first declared at " + f + "6"},
    };
    for (const auto& [where, what] : expected) {
        auto at = r.err.find(where);
        ASSERT_NE(at, std::string::npos) << "no error at " << where << "\n" << dump(r);
        std::string line = r.err.substr(at, r.err.find('\n', at) - at);
        EXPECT_THAT(line, HasSubstr(what));
    }
    EXPECT_THAT(r.err, HasSubstr(std::to_string(expected.size()) + " errors in registry " + kBroken));
    EXPECT_THAT(r.out, Not(HasSubstr("ok:")));
}

TEST(CliValidate, MalformedYamlNamesFileAndLine) {
    auto r = run_modrt({"validate", kMalformed});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_TRUE(matches(r.err, "malformed/bad\\.yaml:[0-9]+: invalid YAML")) << dump(r);
    r = run_modrt({"call", kMalformed, "test.malformed:ok"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_TRUE(matches(r.err, "malformed/bad\\.yaml:[0-9]+: invalid YAML")) << dump(r);
}

TEST(CliValidate, YamlThatIsNotARegistry) {
    TempDir dir;
    dir.write("list.yaml", "- just\n- a list\n");
    dir.write("nons.yaml", "version: \"1.0\"\nentries: []\n");
    auto r = run_modrt({"validate", dir.str()});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_TRUE(matches(r.err, "list\\.yaml:1: .*must be a map")) << dump(r);
    EXPECT_TRUE(matches(r.err, "nons\\.yaml:[0-9]+: missing 'namespace'")) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("2 errors in registry"));
}

TEST(CliValidate, EmptyDirectoryIsAnError) {
    TempDir dir;
    auto r = run_modrt({"validate", dir.str()});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("no registry files"));
}

// ---------------------------------------------------------------------------
// Plugins: listing, refused files, --plugin-path, $MODRT_PLUGIN_PATH
// ---------------------------------------------------------------------------

TEST(CliPlugins, ListsBuiltinPluginsWithNameVersionAbiProvides) {
    auto r = run_modrt({"plugins"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.out, HasSubstr("plugin path:\n"));
    for (const char* name : {"pool.inline", "function.native"}) {
        std::string pattern = std::string("/") + name + R"(\.so\n  name: )" + name +
                              "  version: [0-9]+\\.[0-9]+\\.[0-9]+  abi: " + kAbi + R"(\n  provides:( \S+)* )" + name +
                              R"(( \S+)*\n)";
        EXPECT_TRUE(matches(r.out, pattern)) << name << "\n" << r.out;
    }
    EXPECT_THAT(r.out, Not(HasSubstr("refused")));
}

TEST(CliPlugins, BadSharedObjectIsRefusedWithReason) {
    TempDir dir;
    dir.write("bad.so", "this is not an ELF file\n");
    auto r = run_modrt({"plugins", "--plugin-path", dir.str()});
    ASSERT_EQ(r.exit_code, 1) << dump(r);  // a refused file fails the command, after the whole listing
    EXPECT_THAT(r.out, HasSubstr("  " + dir.str() + "\n"));  // listed on the plugin path
    auto at = r.out.find(dir.str() + "/bad.so\n  refused: ");
    ASSERT_NE(at, std::string::npos) << r.out;
    std::string reason = r.out.substr(at, r.out.find('\n', r.out.find("refused: ", at)) - at);
    EXPECT_THAT(reason, HasSubstr("cannot be loaded"));
    // The good plugins are still usable.
    EXPECT_TRUE(matches(r.out, R"(/pool\.inline\.so\n  name: pool\.inline)")) << r.out;
}

TEST(CliPlugins, LibraryWithoutEntrySymbolIsRefused) {
    TempDir dir;
    fs::copy_file(kNative + "/../../native/cli_native.so", dir.path() / "not_a_plugin.so");
    auto r = run_modrt({"plugins", "--plugin-path", dir.str()});
    ASSERT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.out, HasSubstr("not_a_plugin.so\n  refused: has no entry symbol 'modrt_plugin_entry'"));
}

TEST(CliPlugins, CallStillWorksWithABadPluginOnThePath) {
    TempDir dir;
    dir.write("bad.so", "garbage");
    auto r = run_modrt({"call", kNative, "test.native:greet", "\"Ada\"", "--plugin-path", dir.str()});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");
    EXPECT_THAT(r.err, HasSubstr("bad.so"));  // warned about, not silently skipped
    // --log-level error silences the warning.
    r = run_modrt(
        {"call", kNative, "test.native:greet", "\"Ada\"", "--plugin-path", dir.str(), "--log-level", "error"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.err, Not(HasSubstr("bad.so")));
}

TEST(CliPlugins, MissingPluginNamesWhatIsRefused) {
    TempDir dir;
    dir.write("bad.so", "garbage");
    auto r = run_modrt({"call", kExtra, "test.extra:greet", "\"Ada\"", "--plugin-path", dir.str()});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("no plugin on the plugin path provides 'pool.tagged'"));
    EXPECT_THAT(r.err, HasSubstr("refused on the plugin path: bad.so"));
}

TEST(CliPlugins, NonexistentPluginDirIsHarmless) {
    auto r = run_modrt(
        {"call", kNative, "test.native:greet", "\"Ada\"", "--plugin-path", "/nonexistent/modrt/plugins"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");
}

TEST(CliPlugins, ExtraPluginIsNotFoundWithoutThePath) {
    auto r = run_modrt({"call", kExtra, "test.extra:greet", "\"Ada\""});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(matches(
        r.err,
        R"(extra/registry\.yaml:[0-9]+: entry 'test\.extra:greet': no plugin on the plugin path provides 'pool\.tagged')"))
        << dump(r);
}

TEST(CliPlugins, PluginPathFlagFindsExtraPlugin) {
    auto r = run_modrt({"call", kExtra, "test.extra:greet", "\"Ada\"", "--plugin-path", CLI_EXTRA_PLUGIN_DIR});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");
    r = run_modrt({"list", kExtra, "--plugin-path", CLI_EXTRA_PLUGIN_DIR});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_TRUE(matches(r.out, R"(test\.extra:greet\s+function\.native\s+tagged\n)")) << r.out;
}

TEST(CliPlugins, PluginPathMayNameTheFileAndBeColonSeparated) {
    std::string file = std::string(CLI_EXTRA_PLUGIN_DIR) + "/test_extra.so";
    auto r = run_modrt({"call", kExtra, "test.extra:greet", "\"Ada\"", "--plugin-path", file});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    r = run_modrt({"call", kExtra, "test.extra:greet", "\"Ada\"", "--plugin-path",
                   std::string("/nonexistent:") + CLI_EXTRA_PLUGIN_DIR});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");
}

TEST(CliPlugins, EnvironmentPluginPathFindsExtraPlugin) {
    ProcessOptions o;
    o.env["MODRT_PLUGIN_PATH"] = std::string("/nonexistent:") + CLI_EXTRA_PLUGIN_DIR;
    auto r = run_modrt({"call", kExtra, "test.extra:greet", "\"Ada\""}, o);
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");

    r = run_modrt({"plugins"}, o);
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.out, HasSubstr("  " + std::string(CLI_EXTRA_PLUGIN_DIR) + "\n"));
    EXPECT_THAT(r.out, HasSubstr("/test_extra.so\n  name: test.extra  version: 2.3.4  abi: " +
                                 std::to_string(MODRT_ABI_MAJOR) + "." + std::to_string(MODRT_ABI_MINOR) +
                                 "\n  provides: pool.tagged\n"));
}

TEST(CliPlugins, PluginPathFlagIsSearchedBeforeEnvironment) {
    ProcessOptions o;
    o.env["MODRT_PLUGIN_PATH"] = "/from/env";
    auto r = run_modrt({"plugins", "--plugin-path", "/from/flag"}, o);
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    auto flag = r.out.find("  /from/flag\n"), env = r.out.find("  /from/env\n");
    ASSERT_NE(flag, std::string::npos) << r.out;
    ASSERT_NE(env, std::string::npos) << r.out;
    EXPECT_LT(flag, env);
}

TEST(CliPlugins, DebugLogShowsPluginLoading) {
    auto r = run_modrt({"call", kNative, "test.native:greet", "\"Ada\"", "--log-level", "debug"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");  // logs never go to stdout
    EXPECT_THAT(r.err, HasSubstr("loaded plugin function.native"));
    EXPECT_THAT(r.err, HasSubstr("loaded plugin pool.inline"));
}

// ---------------------------------------------------------------------------
// The Lua example app (needs the function.lua plugin)
// ---------------------------------------------------------------------------

class CliHelloExample : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(fs::exists(CLI_LUA_PLUGIN)) << "function.lua plugin not built: " << CLI_LUA_PLUGIN;
    }
};

TEST_F(CliHelloExample, Greet) {
    auto r = run_modrt({"call", CLI_HELLO_REGISTRY, "app.api:greet", "\"  Ada \""});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");
}

TEST_F(CliHelloExample, GetUser) {
    auto r = run_modrt({"call", CLI_HELLO_REGISTRY, "app.api:get_user", "1"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    auto user = parse_stdout(r);
    EXPECT_EQ(user["id"], 1);
    EXPECT_EQ(user["name"], "Ada Lovelace");
    EXPECT_EQ(user["roles"], nlohmann::ordered_json::parse(R"(["admin","author"])"));
}

TEST_F(CliHelloExample, UnknownUserIsNotFoundWithDetails) {
    auto r = run_modrt({"call", CLI_HELLO_REGISTRY, "app.api:get_user", "99"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("NotFound: user 99 not found"));
    EXPECT_THAT(r.err, HasSubstr("\"id\": 99"));
}

TEST_F(CliHelloExample, BadNameIsInvalid) {
    auto r = run_modrt({"call", CLI_HELLO_REGISTRY, "app.api:greet", "\"   \""});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("Invalid: name must be a non-empty string"));
}

TEST_F(CliHelloExample, ValidateAndList) {
    auto r = run_modrt({"validate", CLI_HELLO_REGISTRY});
    EXPECT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.out, HasSubstr("ok: 3 entries"));
    r = run_modrt({"list", CLI_HELLO_REGISTRY});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_TRUE(matches(r.out, R"(app\.api:greet\s+function\.lua\s+inline\n)")) << r.out;
    EXPECT_TRUE(matches(r.out, R"(app\.lib:text\s+library\.lua\s+-\n)")) << r.out;
}

// ---------------------------------------------------------------------------
// modrt contracts, and -o overrides (examples/registries/contracts)
// ---------------------------------------------------------------------------

TEST(CliContracts, MarkdownDocumentsMethodsSchemasAndImplementations) {
    auto r = run_modrt({"contracts", CLI_CONTRACTS_REGISTRY, "--log-level", "error"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.out, HasSubstr("## app.greet:greeter\n"));
    EXPECT_THAT(r.out, HasSubstr("### greet\n"));
    EXPECT_THAT(r.out, HasSubstr("**Input** (application/schema+json):\n\n```json\n{\n  \"type\": \"string\""));
    EXPECT_THAT(r.out, HasSubstr("| `app.greet:english_greeter` | yes | `greet` → `app.greet:english` |"));
    EXPECT_THAT(r.out, HasSubstr("| `app.greet:french_greeter` | no | `greet` → `app.greet:french` |"));
}

TEST(CliContracts, JsonIsWhatTheProviderDescribes) {
    auto r = run_modrt({"contracts", CLI_CONTRACTS_REGISTRY, "--format", "json", "--log-level", "error"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    auto all = parse_stdout(r);
    const auto& greeter = all["app.greet:greeter"];
    EXPECT_EQ(greeter["methods"][0]["name"], "greet");
    EXPECT_EQ(greeter["methods"][0]["input_schemas"][0]["definition"]["minLength"], 1);
    EXPECT_EQ(greeter["implementations"].size(), 2u);
    EXPECT_EQ(greeter["implementations"][0]["binding"], "app.greet:english_greeter");
    EXPECT_EQ(greeter["implementations"][0]["default"], true);
}

TEST(CliContracts, RegistryWithoutContractsHasNone) {
    auto r = run_modrt({"contracts", CLI_HELLO_REGISTRY, "--log-level", "error"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.out, HasSubstr("No contracts."));
    r = run_modrt({"contracts", CLI_HELLO_REGISTRY, "--format", "json", "--log-level", "error"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "{}\n");
}

TEST(CliContracts, BadFormatExitsTwo) {
    auto r = run_modrt({"contracts", CLI_CONTRACTS_REGISTRY, "--format", "yaml"});
    EXPECT_EQ(r.exit_code, 2) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("--format must be markdown or json"));
}

TEST(CliContracts, ValidatedCallFailsWithEveryViolation) {
    auto r = run_modrt({"call", CLI_CONTRACTS_REGISTRY, "app.greet:english", "\"\"", "--log-level", "error"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("Invalid: input of app.greet:english does not match contract app.greet:greeter"));
    EXPECT_THAT(r.err, HasSubstr("\"keyword\": \"minLength\""));
}

TEST(CliOverride, SwapsTheDefaultBinding) {
    auto r = run_modrt({"contracts", CLI_CONTRACTS_REGISTRY, "--format", "json", "--log-level", "error", "-o",
                        "app.greet:english_greeter:contracts.0.default=false", "--override",
                        "app.greet:french_greeter:contracts.0.default=true"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    auto impls = parse_stdout(r)["app.greet:greeter"]["implementations"];
    EXPECT_EQ(impls[0]["default"], false);
    EXPECT_EQ(impls[1]["default"], true);
}

TEST(CliOverride, MayComeBeforeTheCommand) {
    auto r = run_modrt({"-o", "app.greet:french_greeter:contracts.0.default=true", "validate", CLI_CONTRACTS_REGISTRY});
    EXPECT_EQ(r.exit_code, 1) << dump(r);  // now two defaults for one contract
    EXPECT_THAT(r.err, HasSubstr("default"));
}

TEST(CliOverride, UnknownEntryOrBadShapeIsAnError) {
    auto r = run_modrt({"list", CLI_HELLO_REGISTRY, "-o", "app.api:nope:kind=function.lua"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("override app.api:nope:kind: no entry with this id in this registry"));
    r = run_modrt({"list", CLI_HELLO_REGISTRY, "-o", "greet=1"});
    EXPECT_EQ(r.exit_code, 2) << dump(r);  // a malformed option is a command-line error
    EXPECT_THAT(r.err, HasSubstr("--override takes ns:entry:field=value, got 'greet=1'"));
    r = run_modrt({"list", CLI_HELLO_REGISTRY, "-o", "app.api:greet:imports.text.x=1"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("neither a map nor a list"));
}

// ---------------------------------------------------------------------------
// examples/registries/security: policies, the outside caller, --actor/--scope
// ---------------------------------------------------------------------------

TEST(CliSecurity, OutsideCallerComesFromRuntimeSecurity) {
    auto r = run_modrt({"call", CLI_SECURITY_REGISTRY, "app.docs:whoami", "--log-level", "error"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    auto who = parse_stdout(r);
    EXPECT_EQ(who["id"], "user:ada");
    EXPECT_EQ(who["role"], "editor");
    EXPECT_EQ(who["policies"].size(), 4u);
}

TEST(CliSecurity, ConditionsSeeResourceMetadata) {
    auto r = run_modrt({"call", CLI_SECURITY_REGISTRY, "app.docs:read", "\"doc-1\"", "--log-level", "error"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"Ada's notes\"\n");
    r = run_modrt({"call", CLI_SECURITY_REGISTRY, "app.docs:read", "\"doc-2\"", "--log-level", "error"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("PermissionDenied: not your document: doc-2"));
    // shared_read, an expression policy: Bob shared doc-3 with Ada.
    r = run_modrt({"call", CLI_SECURITY_REGISTRY, "app.docs:read", "\"doc-3\"", "--log-level", "error"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"Bob's draft\"\n");
    r = run_modrt({"call", CLI_SECURITY_REGISTRY, "app.docs:read", "\"doc-3\"", "--actor", "user:cy", "--log-level",
                   "error"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("PermissionDenied: not your document: doc-3"));
}

TEST(CliSecurity, DeniedCallAndActorFromTheCommandLine) {
    auto r = run_modrt({"call", CLI_SECURITY_REGISTRY, "app.docs:purge", "--log-level", "error"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err,
                HasSubstr("PermissionDenied: permission denied: funcs.call on 'app.docs:purge' for actor 'user:ada'"));
    r = run_modrt({"call", CLI_SECURITY_REGISTRY, "app.docs:purge", "--actor", "root", "--actor-meta", "role=admin",
                   "--log-level", "error"});
    ASSERT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(r.out, "\"purged\"\n");
    // A scope naming no policy leaves every call undefined: denied in a strict runtime.
    r = run_modrt({"call", CLI_SECURITY_REGISTRY, "app.docs:whoami", "--scope", "[]", "--log-level", "error"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("PermissionDenied"));
}

// ---------------------------------------------------------------------------
// Signals: SIGINT cancels (a second one quits at once), SIGTERM cancels and
// ends the process after its grace period (interrupt_watcher.hpp).
// ---------------------------------------------------------------------------

namespace {

const fs::path kCliSignalNativeDir = fs::path(CLI_REGISTRIES).parent_path() / "native";
constexpr std::chrono::milliseconds kCliSignalGrace{2000};  // kDefaultTermGrace
// Slack for a loaded 2-core CI machine running sanitizer builds.
constexpr std::chrono::milliseconds kCliSignalMargin{3000};

/// A registry in `dir` with native entries (on cli_native.so) and a runaway Lua loop.
std::string cli_signal_registry(const TempDir& dir) {
    const std::string lib = (kCliSignalNativeDir / "cli_native.so").string();
    dir.write("loop.lua", "local M = {}\nfunction M.spin() while true do end end\nreturn M\n");
    dir.write("registry.yaml",
              "version: \"1.0\"\nnamespace: sig\nentries:\n"
              "  - {name: stubborn, kind: function.native, source: file://" +
                  lib +
                  ", method: stubborn}\n"
                  "  - {name: wait, kind: function.native, source: file://" +
                  lib +
                  ", method: wait}\n"
                  "  - {name: spin, kind: function.lua, source: file://loop.lua, method: spin, jit: false}\n");
    return dir.str();
}

/// `modrt call <dir> args...` with the native library's directory allowed as a source root.
ProcessResult cli_signal_call(const TempDir& dir, std::vector<std::string> call, ProcessOptions options) {
    std::vector<std::string> args{"call", cli_signal_registry(dir)};
    args.insert(args.end(), call.begin(), call.end());
    args.insert(args.end(), {"--source-root", kCliSignalNativeDir.string()});
    options.limit = std::chrono::milliseconds(30000);
    return run_modrt(args, options);
}

ProcessOptions cli_signal_once_stubborn_runs(std::vector<modrt::test::TimedSignal> signals) {
    ProcessOptions options;
    options.signals = std::move(signals);
    options.signals_after_stderr = "stubborn: started";
    return options;
}

ProcessOptions cli_signal_after_startup(std::vector<modrt::test::TimedSignal> signals) {
    ProcessOptions options;
    options.signals = std::move(signals);
    options.signals.front().after = std::chrono::milliseconds(1000);  // well after start-up, even under sanitizers
    return options;
}

std::string cli_signal_dump(const ProcessResult& r) {
    return dump(r) + "\n(exit " +
           (r.exit_after_signal ? std::to_string(r.exit_after_signal->count()) + "ms after the last signal)"
                                : std::string("without a signal sent)"));
}

}  // namespace

TEST(CliSignals, SigtermStopsARunawayLuaLoop) {
    TempDir dir;
    auto r = cli_signal_call(dir, {"sig:spin"}, cli_signal_after_startup({{{}, SIGTERM}}));
    ASSERT_FALSE(r.timed_out) << cli_signal_dump(r);
    EXPECT_EQ(r.exit_code, 143) << cli_signal_dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("modrt: SIGTERM, stopping the call"));  // the watcher's path, not a default kill
    ASSERT_TRUE(r.exit_after_signal);
    EXPECT_LT(*r.exit_after_signal, kCliSignalGrace + kCliSignalMargin) << cli_signal_dump(r);
}

TEST(CliSignals, SigtermEndsACallThatIgnoresCancellationAfterTheGracePeriod) {
    TempDir dir;
    auto r = cli_signal_call(dir, {"sig:stubborn", "60000"}, cli_signal_once_stubborn_runs({{{}, SIGTERM}}));
    ASSERT_FALSE(r.timed_out) << cli_signal_dump(r);
    EXPECT_EQ(r.exit_code, 143) << cli_signal_dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("modrt: SIGTERM, stopping the call (quitting in 2000ms if it does not stop)"));
    EXPECT_THAT(r.err, HasSubstr("modrt: the call did not stop within 2000ms of SIGTERM, quitting"));
    ASSERT_TRUE(r.exit_after_signal);
    EXPECT_GE(*r.exit_after_signal, kCliSignalGrace - std::chrono::milliseconds(100))
        << "the grace period was cut short";
    EXPECT_LT(*r.exit_after_signal, kCliSignalGrace + kCliSignalMargin) << cli_signal_dump(r);
}

TEST(CliSignals, SigtermOnACallThatFinishesWithinTheGracePeriodKeepsItsResult) {
    TempDir dir;
    auto r = cli_signal_call(dir, {"sig:stubborn", "500"}, cli_signal_once_stubborn_runs({{{}, SIGTERM}}));
    ASSERT_FALSE(r.timed_out) << cli_signal_dump(r);
    EXPECT_EQ(r.exit_code, 0) << cli_signal_dump(r);
    EXPECT_EQ(r.out, "\"done\"\n");
    EXPECT_THAT(r.err, HasSubstr("modrt: SIGTERM, stopping the call"));
    EXPECT_THAT(r.err, Not(HasSubstr("did not stop")));
}

TEST(CliSignals, SigtermOnACallThatStopsWhenCanceledExits143WithoutWaitingOutTheGrace) {
    TempDir dir;
    auto r = cli_signal_call(dir, {"sig:wait", "60000"}, cli_signal_after_startup({{{}, SIGTERM}}));
    ASSERT_FALSE(r.timed_out) << cli_signal_dump(r);
    EXPECT_EQ(r.exit_code, 143) << cli_signal_dump(r);
    EXPECT_THAT(r.err, HasSubstr("Canceled: wait stopped early"));  // the function saw its frame canceled
    EXPECT_THAT(r.err, Not(HasSubstr("did not stop")));
}

TEST(CliSignals, SecondSigtermQuitsAtOnce) {
    TempDir dir;
    auto r = cli_signal_call(dir, {"sig:stubborn", "60000"},
                             cli_signal_once_stubborn_runs({{{}, SIGTERM}, {std::chrono::milliseconds(200), SIGTERM}}));
    ASSERT_FALSE(r.timed_out) << cli_signal_dump(r);
    EXPECT_EQ(r.exit_code, 143) << cli_signal_dump(r);
    EXPECT_THAT(r.err, HasSubstr("modrt: SIGTERM again, quitting"));
    ASSERT_TRUE(r.exit_after_signal);
    EXPECT_LT(*r.exit_after_signal, kCliSignalGrace) << cli_signal_dump(r);
}

TEST(CliSignals, FirstCtrlCCancelsARunawayLuaLoopAndExits130) {
    TempDir dir;
    auto r = cli_signal_call(dir, {"sig:spin"}, cli_signal_after_startup({{{}, SIGINT}}));
    ASSERT_FALSE(r.timed_out) << cli_signal_dump(r);
    EXPECT_EQ(r.exit_code, 130) << cli_signal_dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("modrt: interrupted, stopping the call (again to quit at once)"));
    EXPECT_THAT(r.err, HasSubstr("Canceled"));
    EXPECT_THAT(r.err, Not(HasSubstr("quitting")));  // the call stopped; no forced exit
}

TEST(CliSignals, FirstCtrlCWaitsForACallThatIgnoresCancellation) {
    TempDir dir;
    auto r = cli_signal_call(dir, {"sig:stubborn", "1500"}, cli_signal_once_stubborn_runs({{{}, SIGINT}}));
    ASSERT_FALSE(r.timed_out) << cli_signal_dump(r);
    EXPECT_EQ(r.exit_code, 0) << cli_signal_dump(r);  // Ctrl-C has no grace period: the call finished
    EXPECT_EQ(r.out, "\"done\"\n");
}

TEST(CliSignals, SecondCtrlCQuitsAtOnce) {
    TempDir dir;
    auto r = cli_signal_call(dir, {"sig:stubborn", "60000"},
                             cli_signal_once_stubborn_runs({{{}, SIGINT}, {std::chrono::milliseconds(200), SIGINT}}));
    ASSERT_FALSE(r.timed_out) << cli_signal_dump(r);
    EXPECT_EQ(r.exit_code, 130) << cli_signal_dump(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("modrt: interrupted, stopping the call (again to quit at once)"));
    EXPECT_THAT(r.err, HasSubstr("modrt: interrupted again, quitting"));
    ASSERT_TRUE(r.exit_after_signal);
    EXPECT_LT(*r.exit_after_signal, kCliSignalMargin) << cli_signal_dump(r);
}

TEST(CliSignals, SigtermAfterCtrlCQuitsAtOnceWith143) {
    TempDir dir;
    auto r = cli_signal_call(dir, {"sig:stubborn", "60000"},
                             cli_signal_once_stubborn_runs({{{}, SIGINT}, {std::chrono::milliseconds(200), SIGTERM}}));
    ASSERT_FALSE(r.timed_out) << cli_signal_dump(r);
    EXPECT_EQ(r.exit_code, 143) << cli_signal_dump(r);
    EXPECT_THAT(r.err, HasSubstr("modrt: SIGTERM again, quitting"));
    ASSERT_TRUE(r.exit_after_signal);
    EXPECT_LT(*r.exit_after_signal, kCliSignalMargin) << cli_signal_dump(r);
}

// ---------------------------------------------------------------------------
// function.native binds only functions the SDK marked (MODRT_NATIVE_FUNCTION)
// ---------------------------------------------------------------------------

TEST(CliValidate, NativeSymbolsWithoutTheSdkMarkerAreRefused) {
    Dl_info info{};
    ASSERT_NE(::dladdr(reinterpret_cast<void*>(&::getpid), &info), 0);
    const fs::path libc = info.dli_fname;
    const std::string lib = (kCliSignalNativeDir / "cli_native.so").string();
    TempDir dir;
    dir.write("registry.yaml", "version: \"1.0\"\nnamespace: mark\nentries:\n"
                               "  - {name: pid, kind: function.native, source: file://" +
                                   libc.string() +
                                   ", method: getpid}\n"
                                   "  - {name: abort, kind: function.native, source: file://" +
                                   libc.string() +
                                   ", method: abort}\n"
                                   "  - {name: via_lib, kind: function.native, source: file://" +
                                   lib +
                                   ", method: exit}\n"
                                   "  - {name: good, kind: function.native, source: file://" +
                                   lib + ", method: greet}\n");
    auto r = run_modrt({"validate", dir.str(), "--source-root", libc.parent_path().string(), "--source-root",
                        kCliSignalNativeDir.string()});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    const std::string yaml = dir.str() + "/registry.yaml:";
    EXPECT_THAT(r.err, HasSubstr(yaml + "4: entry 'mark:pid': 'getpid' in "));
    EXPECT_THAT(r.err, HasSubstr(yaml + "5: entry 'mark:abort': 'abort' in "));
    EXPECT_THAT(r.err, HasSubstr(yaml + "6: entry 'mark:via_lib': 'exit' in " + lib +
                                 " is not a modrt native function: declare it with MODRT_NATIVE_FUNCTION"
                                 " (C: MODRT_NATIVE_EXPORT)"));
    EXPECT_THAT(r.err, Not(HasSubstr("mark:good")));
    // Calling a refused entry reports the registry error instead of running libc's abort.
    r = run_modrt({"call", dir.str(), "mark:abort", "--source-root", libc.parent_path().string(), "--source-root",
                   kCliSignalNativeDir.string()});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("is not a modrt native function"));
}

TEST(CliValidate, MissingNativeSymbolHintsAtExternC) {
    const std::string lib = (kCliSignalNativeDir / "cli_native.so").string();
    TempDir dir;
    dir.write("registry.yaml", "version: \"1.0\"\nnamespace: mark\nentries:\n"
                               "  - {name: gone, kind: function.native, source: file://" +
                                   lib + ", method: no_such_fn}\n");
    auto r = run_modrt({"validate", dir.str(), "--source-root", kCliSignalNativeDir.string()});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("symbol 'no_such_fn' not found in " + lib));
    EXPECT_THAT(r.err, HasSubstr("extern \"C\""));
}
