// `modrt serve` end to end: the real binary serving a registry of schedule.function
// triggers (the real schedule plugin) that call native functions writing to a file;
// signals stop it gracefully (exit 0), a second one quits at once, and start-up problems
// exit 1 before anything is served.
#include "subprocess.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using modrt::test::ProcessOptions;
using modrt::test::ProcessResult;
using testing::HasSubstr;
using testing::Not;
using namespace std::chrono_literals;

const fs::path kServeNativeLib = fs::path(CLI_REGISTRIES).parent_path() / "native" / "cli_native.so";

class CliServe : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::path(MODRT_TEST_BINARY_DIR) / "tmp" /
               (std::string("serve.") + info->name() + "." + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    /// Write a registry: the native `note` function plus `entries`; @OUT@ becomes the notes file.
    void registry(std::string entries) {
        for (size_t at; (at = entries.find("@OUT@")) != std::string::npos;) entries.replace(at, 5, notes_path());
        std::ofstream(dir_ / "registry.yaml") << "version: \"1.0\"\nnamespace: srv\nentries:\n"
                                                 "  - {name: note, kind: function.native, source: file://"
                                              << kServeNativeLib.string() << ", method: note}\n"
                                              << entries;
    }
    std::string notes_path() const { return (dir_ / "notes.txt").string(); }
    std::vector<std::string> notes() const {
        std::ifstream in(notes_path());
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);) lines.push_back(line);
        return lines;
    }

    /// `modrt serve` with `signals` sent once it says it is serving.
    ProcessResult serve(std::vector<modrt::test::TimedSignal> signals) {
        ProcessOptions options;
        options.signals = std::move(signals);
        options.signals_after_stderr = "modrt: serving";
        options.limit = 30s;
        options.env.try_emplace("MODRT_PLUGIN_PATH", std::nullopt);
        return modrt::test::run_process({MODRT_CLI, "serve", dir_.string(), "--source-root",
                                         kServeNativeLib.parent_path().string()},
                                        options);
    }
    static std::string dump(const ProcessResult& r) {
        return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + r.out + "--- stderr ---\n" + r.err;
    }

    fs::path dir_;
};

TEST_F(CliServe, ServesSchedulesUntilCtrlCThenStopsAndExits0) {
    registry("  - {name: tick, kind: schedule.function, func: srv:note, interval: 50ms, args: [\"@OUT@\", tick]}\n");
    auto r = serve({{500ms, SIGINT}});
    ASSERT_FALSE(r.timed_out) << dump(r);
    EXPECT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("modrt: srv:tick (schedule.function) listening on every 50ms -> srv:note"));
    EXPECT_THAT(r.err, HasSubstr("modrt: serving " + dir_.string()));
    EXPECT_THAT(r.err, HasSubstr("modrt: interrupted, stopping the server (again to quit at once)"));
    EXPECT_THAT(r.err, HasSubstr("modrt: stopped"));
    EXPECT_GE(notes().size(), 3u) << dump(r);
    EXPECT_EQ(r.out, "");
}

TEST_F(CliServe, SigtermLetsACallInFlightFinishWithinStopTimeout) {
    registry("  - {name: slow, kind: schedule.function, func: srv:note, interval: 1h, immediate: true,"
             " args: [\"@OUT@\", finished, 1000], lifecycle: {stop_timeout: 10s}}\n");
    auto r = serve({{200ms, SIGTERM}});
    ASSERT_FALSE(r.timed_out) << dump(r);
    EXPECT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("modrt: SIGTERM, stopping the server"));
    EXPECT_EQ(notes(), std::vector<std::string>{"finished"}) << dump(r);
}

TEST_F(CliServe, ACallPastStopTimeoutIsCanceled) {
    registry("  - {name: slow, kind: schedule.function, func: srv:note, interval: 1h, immediate: true,"
             " args: [\"@OUT@\", finished, 20000], lifecycle: {stop_timeout: 200ms}}\n");
    auto r = serve({{200ms, SIGINT}});
    ASSERT_FALSE(r.timed_out) << dump(r);
    EXPECT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_EQ(notes(), std::vector<std::string>{"canceled"}) << dump(r);
}

TEST_F(CliServe, SecondSignalQuitsAtOnce) {
    registry("  - {name: slow, kind: schedule.function, func: srv:note, interval: 1h, immediate: true,"
             " args: [\"@OUT@\", finished, 20000], lifecycle: {stop_timeout: 60s}}\n"
             "  - {name: stuck, kind: function.native, source: file://" +
             kServeNativeLib.string() +
             ", method: stubborn}\n"
             "  - {name: hold, kind: schedule.function, func: srv:stuck, interval: 1h, immediate: true,"
             " args: [60000], lifecycle: {stop_timeout: 60s}}\n");
    auto r = serve({{300ms, SIGINT}, {300ms, SIGINT}});
    ASSERT_FALSE(r.timed_out) << dump(r);
    EXPECT_EQ(r.exit_code, 130) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("modrt: interrupted again, quitting"));
    ASSERT_TRUE(r.exit_after_signal);
    EXPECT_LT(*r.exit_after_signal, 3000ms) << dump(r);
}

TEST_F(CliServe, NothingToServeExits1) {
    registry("");
    auto r = serve({});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("nothing to serve"));
    EXPECT_THAT(r.err, Not(HasSubstr("modrt: serving")));
}

TEST_F(CliServe, StartErrorNamesTheLineAndExits1BeforeServing) {
    registry("  - {name: p, kind: security.policy, policy: {actions: \"*\", resources: \"*\", effect: allow},"
             " groups: [real]}\n"
             "  - name: grouped\n"
             "    kind: schedule.function\n"
             "    func: srv:note\n"
             "    interval: 1h\n"
             "    lifecycle: {security: {groups: [srv:real, srv:missing]}}\n");
    auto r = serve({});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("registry.yaml:10"));
    EXPECT_THAT(r.err, HasSubstr("srv:missing"));
    EXPECT_THAT(r.err, Not(HasSubstr("modrt: serving")));
}

TEST_F(CliServe, RegistryErrorExits1) {
    registry("  - {name: bad, kind: schedule.function, func: srv:note, cron: \"61 * * * *\"}\n");
    auto r = serve({});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("cron: minute: 61 is out of range 0-59"));
}

}  // namespace
