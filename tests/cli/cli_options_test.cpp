// The command line's own checks: every malformed input exits 2 with a usage message before
// any registry is read; --source-root widens where `source:` may point; the registry
// limits (--registry-max-nodes/-bytes) and the errors past them, through the real binary.
#include "subprocess.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const std::string kCliOptHello = CLI_HELLO_REGISTRY;
const fs::path kCliOptNativeLib = fs::path(CLI_REGISTRIES).parent_path() / "native" / "cli_native.so";

modrt::test::ProcessResult cli_opt_run(std::vector<std::string> args) {
    args.insert(args.begin(), MODRT_CLI);
    modrt::test::ProcessOptions options;
    options.env.try_emplace("MODRT_PLUGIN_PATH", std::nullopt);
    options.limit = std::chrono::milliseconds(30000);
    return modrt::test::run_process(args, options);
}

std::string cli_opt_dump(const modrt::test::ProcessResult& r) {
    return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + r.out + "--- stderr ---\n" + r.err;
}

std::string cli_opt_join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : " ") + ("'" + w + "'");
    return out;
}

}  // namespace

/// A fresh directory for one test's registries, removed afterwards.
class CliOptionsDir : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        top_ = fs::path(MODRT_TEST_BINARY_DIR) / "tmp" /
               (std::string(info->test_suite_name()) + "." + info->name() + "." + std::to_string(getpid()));
        fs::remove_all(top_);
        fs::create_directories(top_ / "reg");
    }
    void TearDown() override { fs::remove_all(top_); }

    fs::path write(const fs::path& rel, const std::string& text) const {
        fs::create_directories((top_ / rel).parent_path());
        std::ofstream(top_ / rel, std::ios::binary) << text;
        return top_ / rel;
    }
    std::string reg() const { return (top_ / "reg").string(); }

    fs::path top_;
};

// ---------------------------------------------------------------------------
// Exit 2 for every malformed command line
// ---------------------------------------------------------------------------

TEST(CliUsageExit, MalformedOverridesExit2BeforeTheRegistryIsRead) {
    const std::vector<std::string> bad{"garbage",
                                       "greet=1",
                                       "app.api:greet",
                                       "app.api:greet:kind",
                                       ":greet:kind=x",
                                       "app.api::kind=x",
                                       "app.api:greet:=x",
                                       "app.api:greet:.kind=x",
                                       "app.api:greet:pool.=x",
                                       "app.api:greet:pool..workers=1",
                                       "app.api:greet:name=x"};
    for (const auto& o : bad)
        for (const char* command : {"list", "validate", "contracts"}) {
            auto r = cli_opt_run({command, kCliOptHello, "-o", o});
            EXPECT_EQ(r.exit_code, 2) << command << " -o " << o << "\n" << cli_opt_dump(r);
            EXPECT_THAT(r.err, HasSubstr("--override takes ns:entry:field=value")) << o;
            EXPECT_THAT(r.err, HasSubstr("got '" + o + "'"));
            EXPECT_EQ(r.out, "") << o;
        }
    // Before the command, as --override=, and on `call` and `plugins` too.
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"-o", "garbage", "list", kCliOptHello},
          std::vector<std::string>{"--override=garbage", "validate", kCliOptHello},
          std::vector<std::string>{"call", kCliOptHello, "app.api:greet", "--override", "x:y"},
          std::vector<std::string>{"plugins", "-o", "garbage"}}) {
        auto r = cli_opt_run(args);
        EXPECT_EQ(r.exit_code, 2) << cli_opt_join(args) << "\n" << cli_opt_dump(r);
        EXPECT_THAT(r.err, HasSubstr("--override takes"));
    }
    // A well-formed override still loads (exit 0) or is a registry error (exit 1).
    auto r = cli_opt_run({"validate", kCliOptHello, "-o", "app.api:greet:meta.note=hi"});
    EXPECT_EQ(r.exit_code, 0) << cli_opt_dump(r);
    r = cli_opt_run({"validate", kCliOptHello, "-o", "app.api:nope:kind=x"});
    EXPECT_EQ(r.exit_code, 1) << cli_opt_dump(r);
}

TEST(CliUsageExit, MalformedCallOptionsExit2) {
    const std::string id = "app.api:greet";
    struct Case {
        std::vector<std::string> extra;
        std::string says;
    };
    const std::vector<Case> cases{
        {{"--context", "x"}, "--context takes key=value"},
        {{"--context", "=x"}, "--context takes key=value"},
        {{"--context", "a=1", "--context", "b"}, "--context takes key=value"},
        {{"--timeout", "abc"}, "--timeout takes a positive duration"},
        {{"--timeout", "0"}, "--timeout takes a positive duration"},
        {{"--timeout", "-1s"}, "--timeout takes a positive duration"},
        {{"--timeout", "5d"}, "--timeout takes a positive duration"},
        {{"--timeout", "inf"}, "--timeout takes a positive duration"},
        {{"--timeout", "nan"}, "--timeout takes a positive duration"},
        {{"--timeout", "1e300s"}, "--timeout takes a positive duration"},
        {{"--timeout", ""}, "--timeout takes a positive duration"},
        {{"--actor", "ada", "--actor-meta", "x"}, "--actor-meta takes key=value"},
        {{"--actor-meta", "role=admin"}, "--actor-meta needs --actor"},
        {{"--actor", ""}, "--actor takes a non-empty actor id"},
        {{"--scope", ""}, "--scope takes a policy group"},
        {{"--scope", "nocolon"}, "--scope takes a policy group"},
        {{"--scope", "["}, "--scope takes a policy group"},
        {{"--scope", "[app:a,]"}, "--scope takes a policy group"},
        {{"--scope", "[app:a"}, "--scope takes a policy group"},
        {{"--scope", "[app:a,,app:b]"}, "--scope takes a policy group"},
        {{"--scope", "app:a b"}, "--scope takes a policy group"},
        {{"--timeout"}, "--timeout"},
        {{"--no-such-option"}, "no-such-option"},
        {{"--log-level", "loud"}, "unknown log level"},
        {{"--registry-max-nodes", "0"}, "--registry-max-nodes takes a positive number"},
        {{"--registry-max-nodes", "-5"}, "--registry-max-nodes takes a positive number"},
        {{"--registry-max-nodes", "many"}, "--registry-max-nodes takes a positive number"},
        {{"--registry-max-bytes", "1XB"}, "--registry-max-bytes takes a positive size"},
        {{"--registry-max-bytes", "99999999999999999999"}, "--registry-max-bytes takes a positive size"},
        {{"--source-root", "/no/such/dir"}, "--source-root takes an existing directory"},
        {{"--source-root", kCliOptHello + "/registry.yaml"}, "--source-root takes an existing directory"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args{"call", kCliOptHello, id, "\"Ada\""};
        args.insert(args.end(), c.extra.begin(), c.extra.end());
        auto r = cli_opt_run(args);
        EXPECT_EQ(r.exit_code, 2) << cli_opt_join(args) << "\n" << cli_opt_dump(r);
        EXPECT_THAT(r.err, HasSubstr(c.says)) << cli_opt_join(args);
        EXPECT_EQ(r.out, "") << cli_opt_join(args);
    }
    // Well-formed values of the same options are accepted.
    auto r = cli_opt_run({"call", kCliOptHello, id, "\"Ada\"", "--timeout", "5s", "--context", "k=1", "--actor", "ada",
                          "--actor-meta", "role=admin", "--registry-max-nodes", "5000", "--registry-max-bytes", "1MiB",
                          "--source-root", kCliOptHello});
    EXPECT_EQ(r.exit_code, 0) << cli_opt_dump(r);
}

TEST(CliUsageExit, MalformedPositionalsAndCommandOptionsExit2) {
    for (const std::vector<std::string>& args : {
             std::vector<std::string>{"call", kCliOptHello},                                // no ID
             std::vector<std::string>{"call", kCliOptHello, "app.api:greet", "{not json"},  // argument not JSON
             std::vector<std::string>{"list"},                                              // no registry
             std::vector<std::string>{"validate", "--log-level", "loud", kCliOptHello},
             std::vector<std::string>{"contracts", kCliOptHello, "--format", "yaml"},
             std::vector<std::string>{"plugins", "--source-root", "/no/such/dir"},
             std::vector<std::string>{"frobnicate"},
             std::vector<std::string>{},
         }) {
        auto r = cli_opt_run(args);
        EXPECT_EQ(r.exit_code, 2) << cli_opt_join(args) << "\n" << cli_opt_dump(r);
        EXPECT_FALSE(r.err.empty()) << cli_opt_join(args);
    }
    // An ID naming nothing, or not shaped like one, is a failed call (1: the kernel's NotFound / Invalid).
    auto r = cli_opt_run({"call", kCliOptHello, "app.api:nobody"});
    EXPECT_EQ(r.exit_code, 1) << cli_opt_dump(r);
    r = cli_opt_run({"call", kCliOptHello, "nocolon"});
    EXPECT_EQ(r.exit_code, 1) << cli_opt_dump(r);
    EXPECT_THAT(r.err, HasSubstr("Invalid: "));
}

// ---------------------------------------------------------------------------
// --source-root
// ---------------------------------------------------------------------------

TEST_F(CliOptionsDir, ASourceOutsideTheRegistryNeedsSourceRoot) {
    write(fs::path("reg") / "registry.yaml",
          "namespace: app\nentries:\n  - name: greet\n    kind: function.native\n    source: file://" +
              kCliOptNativeLib.string() + "\n    method: greet\n");
    auto r = cli_opt_run({"call", reg(), "app:greet", "\"Ada\""});
    EXPECT_EQ(r.exit_code, 1) << cli_opt_dump(r);
    EXPECT_THAT(r.err, HasSubstr("registry.yaml:5: entry 'app:greet': source '" + kCliOptNativeLib.string() +
                                 "' is outside the registry directory " + fs::canonical(top_ / "reg").string() +
                                 " (add --source-root to allow it)"));
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"call", reg(), "app:greet", "\"Ada\"", "--source-root",
                                   kCliOptNativeLib.parent_path().string()},
          std::vector<std::string>{"--source-root", kCliOptNativeLib.parent_path().string(), "call", reg(), "app:greet",
                                   "\"Ada\""},
          std::vector<std::string>{"call", reg(), "app:greet", "\"Ada\"", "--source-root=/tmp", "--source-root",
                                   kCliOptNativeLib.parent_path().parent_path().string()}}) {
        r = cli_opt_run(args);
        EXPECT_EQ(r.exit_code, 0) << cli_opt_join(args) << "\n" << cli_opt_dump(r);
        EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");
    }
}

TEST_F(CliOptionsDir, ARefusedSourceIsNeverReadNorEchoed) {
    const std::string secret = "CLIOPT_SECRET_WORD";
    write("secret.lua", "local x = " + secret + " " + secret + "\n");
    for (const std::string& source : {std::string("../secret.lua"), (top_ / "secret.lua").string(),
                                      std::string("/etc/passwd"), std::string("/proc/self/environ")}) {
        write(fs::path("reg") / "registry.yaml", "namespace: app\nentries:\n  - {name: f, kind: function.lua, source: "
                                                 "file://" +
                                                     source + ", method: run}\n");
        auto r = cli_opt_run({"validate", reg()});
        EXPECT_EQ(r.exit_code, 1) << source << "\n" << cli_opt_dump(r);
        EXPECT_THAT(r.err, HasSubstr("source '" + source + "' is outside the registry directory")) << source;
        EXPECT_THAT(r.err, Not(HasSubstr(secret)));
        EXPECT_THAT(r.err, Not(HasSubstr("root:x:0")));  // /etc/passwd's first line
    }
    // Allowed explicitly, the file is read (and its syntax error is the file's own business).
    write(fs::path("reg") / "registry.yaml",
          "namespace: app\nentries:\n  - {name: f, kind: function.lua, source: file://../secret.lua, method: run}\n");
    auto r = cli_opt_run({"validate", reg(), "--source-root", top_.string()});
    EXPECT_EQ(r.exit_code, 1) << cli_opt_dump(r);
    EXPECT_THAT(r.err, Not(HasSubstr("outside the registry directory")));
}

// ---------------------------------------------------------------------------
// Registry limits through the CLI
// ---------------------------------------------------------------------------

TEST_F(CliOptionsDir, ABillionLaughsRegistryFailsFastAtItsLine) {
    std::string doc = "namespace: app\nentries:\n  - name: bomb\n    kind: function.lua\n    a: &a "
                      "[lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n";
    for (char c = 'b'; c <= 'i'; ++c) {
        doc += std::string("    ") + c + ": &" + c + " [";
        for (int i = 0; i < 10; ++i) doc += std::string(i ? ",*" : "*") + char(c - 1);
        doc += "]\n";
    }
    write(fs::path("reg") / "registry.yaml", doc);
    auto r = cli_opt_run({"validate", reg()});
    EXPECT_EQ(r.exit_code, 1) << cli_opt_dump(r);
    EXPECT_THAT(r.err, HasSubstr("registry.yaml:9: document expands to more than 100000 nodes (aliases?)"));
    // The limit is the user's to set: lower, the same file fails earlier.
    r = cli_opt_run({"validate", reg(), "--registry-max-nodes", "100"});
    EXPECT_EQ(r.exit_code, 1) << cli_opt_dump(r);
    EXPECT_THAT(r.err, HasSubstr("registry.yaml:6: document expands to more than 100 nodes"));
    r = cli_opt_run({"validate", reg(), "--registry-max-bytes", "1KiB"});
    EXPECT_EQ(r.exit_code, 1) << cli_opt_dump(r);
    EXPECT_THAT(r.err, HasSubstr("more than 1024 bytes"));
}

TEST(CliRegistryLimits, OverrideValuesAreBoundedAndCheckedForDuplicateKeys) {
    std::string bomb = "[&a [l,l,l,l,l,l,l,l,l,l]";
    for (char c = 'b'; c <= 'i'; ++c) {
        bomb += std::string(", &") + c + " [";
        for (int i = 0; i < 10; ++i) bomb += std::string(i ? ",*" : "*") + char(c - 1);
        bomb += "]";
    }
    bomb += "]";
    auto r = cli_opt_run({"validate", kCliOptHello, "-o", "app.api:greet:meta.x=" + bomb});
    EXPECT_EQ(r.exit_code, 1) << cli_opt_dump(r);
    EXPECT_THAT(r.err,
                HasSubstr("override app.api:greet:meta.x: the value: document expands to more than 100000 nodes"));
    r = cli_opt_run({"validate", kCliOptHello, "-o", "app.api:greet:meta={a: 1, a: 2}"});
    EXPECT_EQ(r.exit_code, 1) << cli_opt_dump(r);
    EXPECT_THAT(r.err, HasSubstr("override app.api:greet:meta: the value: duplicate key 'a'"));
    r = cli_opt_run({"validate", kCliOptHello, "-o", "app.api:greet:meta.deep=" + std::string(100000, '[')});
    EXPECT_EQ(r.exit_code, 0) << cli_opt_dump(r);  // not YAML: a (long) string, and no crash
}
