// Where the CLI says that no security plugin is loaded (validate's note, --log-level info; not a
// plain call), and --timeout read by the project's one duration parser (modrt/duration.hpp).
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

const std::string kCliNoteNative = std::string(CLI_REGISTRIES) + "/native";
constexpr const char* kCliNoteSecurity = "no security plugin loaded: every call is allowed (permissive mode)";

modrt::test::ProcessResult cli_note_run(std::vector<std::string> args) {
    args.insert(args.begin(), MODRT_CLI);
    modrt::test::ProcessOptions options;
    options.env.try_emplace("MODRT_PLUGIN_PATH", std::nullopt);
    options.limit = std::chrono::milliseconds(30000);
    return modrt::test::run_process(args, options);
}

std::string cli_note_dump(const modrt::test::ProcessResult& r) {
    return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + r.out + "--- stderr ---\n" + r.err;
}

}  // namespace

TEST(CliSecurityNote, PlainCallDoesNotWarn) {
    auto r = cli_note_run({"call", kCliNoteNative, "test.native:greet", "\"Ada\""});
    ASSERT_EQ(r.exit_code, 0) << cli_note_dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");
    EXPECT_THAT(r.err, Not(HasSubstr("no security plugin")));
}

TEST(CliSecurityNote, LogLevelInfoSaysIt) {
    auto r = cli_note_run({"call", kCliNoteNative, "test.native:greet", "\"Ada\"", "--log-level", "info"});
    ASSERT_EQ(r.exit_code, 0) << cli_note_dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");  // logs never go to stdout
    EXPECT_THAT(r.err, HasSubstr(kCliNoteSecurity));
}

TEST(CliSecurityNote, ValidateSaysItAsANote) {
    auto r = cli_note_run({"validate", kCliNoteNative});
    ASSERT_EQ(r.exit_code, 0) << cli_note_dump(r);
    EXPECT_THAT(r.out, HasSubstr("ok: "));
    EXPECT_THAT(r.out, HasSubstr(std::string("\nnote: ") + kCliNoteSecurity + "\n"));
    // A registry with a security plugin has nothing to note.
    r = cli_note_run({"validate", CLI_SECURITY_REGISTRY});
    ASSERT_EQ(r.exit_code, 0) << cli_note_dump(r);
    EXPECT_THAT(r.out, HasSubstr("ok: "));
    EXPECT_THAT(r.out, Not(HasSubstr("no security plugin")));
    EXPECT_THAT(r.err, Not(HasSubstr("no security plugin")));
}

TEST(CliSecurityNote, OtherWarningsStillShowAtTheDefaultLevel) {
    const fs::path dir = fs::path(MODRT_TEST_BINARY_DIR) / "tmp" / ("note.warnings." + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "bad.so") << "garbage";
    auto r = cli_note_run({"call", kCliNoteNative, "test.native:greet", "\"Ada\"", "--plugin-path", dir.string()});
    std::error_code ec;
    fs::remove_all(dir, ec);
    ASSERT_EQ(r.exit_code, 0) << cli_note_dump(r);
    EXPECT_THAT(r.err, HasSubstr("bad.so"));  // the refused plugin is warned about
    EXPECT_THAT(r.err, Not(HasSubstr("no security plugin")));
}

TEST(CliTimeout, EveryUnitOfTheDurationSyntaxIsAccepted) {
    for (const char* timeout : {"1h", "0.5h", "90m", "1.5m", "30s", "30000ms", "30000", "30000000us", "2e10ns"}) {
        auto r = cli_note_run({"call", kCliNoteNative, "test.native:greet", "\"Ada\"", "--timeout", timeout});
        EXPECT_EQ(r.exit_code, 0) << timeout << "\n" << cli_note_dump(r);
        EXPECT_EQ(r.out, "\"Hello, Ada!\"\n") << timeout;
    }
}

TEST(CliTimeout, NothingThatIsNotAPositiveDurationIsAccepted) {
    for (const char* timeout : {"0", "0ms", "-0", "-1h", "1d", "5 hours", "0.0000001ns", "1e300h", "h", "inf"}) {
        auto r = cli_note_run({"call", kCliNoteNative, "test.native:greet", "\"Ada\"", "--timeout", timeout});
        EXPECT_EQ(r.exit_code, 2) << timeout << "\n" << cli_note_dump(r);
        EXPECT_THAT(r.err, HasSubstr(std::string("--timeout takes a positive duration such as 500ms, 2s or 1h, got '") +
                                     timeout + "'"));
        EXPECT_EQ(r.out, "");
    }
}

// Typed Lua's static type errors: validate shows them (as warnings) and still succeeds.
TEST(CliTypedLua, ValidateReportsTypeErrors) {
    auto r = cli_note_run({"validate", std::string(MODRT_TEST_FIXTURES) + "/function.lua/fixtures/typed"});
    ASSERT_EQ(r.exit_code, 0) << cli_note_dump(r);
    EXPECT_THAT(r.out, HasSubstr("ok: 8 entries"));
    EXPECT_THAT(r.err, HasSubstr("warned.lua:5: local 'n' is declared number, but \"three\" is a string value"));
    EXPECT_THAT(r.err, HasSubstr("warned.lua:6: local 's' is declared Status"));
    EXPECT_THAT(r.err, HasSubstr("warned.lua:9: the function's result is declared number"));
    EXPECT_THAT(r.err, Not(HasSubstr("docs.lua")));  // the examples are well typed
}
