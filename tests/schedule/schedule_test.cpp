// schedule.function entries, run by a real runtime with the real schedule plugin: they fire
// on time, carry their identity and context, never overlap unless asked, keep their
// deadline, drain or cancel at stop, and refuse bad entries with a clear registry error.
#include "support/scratch_registry.hpp"
#include "support/await_started.hpp"

#include <modrt/kernel/runtime.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using modrt::kernel::Runtime;
using modrt::kernel::RuntimeOptions;
using modrt::kernel::Value;
using testing::HasSubstr;
using namespace std::chrono_literals;

constexpr const char* kHeader = R"(version: "1.0"
namespace: sch
entries:
  - {name: tick, kind: function.native, source: file://@LIB@, method: tick}
  - {name: runs, kind: function.native, source: file://@LIB@, method: runs}
)";

class Schedule : public ::testing::Test {
protected:
    /// Load kHeader plus `entries`; returns the registry errors, formatted ("" when none).
    std::string load(const std::string& entries) {
        RuntimeOptions o{{fs::path(MODRT_TEST_PLUGIN_DIR)}};
        o.source_roots = {fs::path(SCHEDULE_PROBE_LIB).parent_path()};
        rt = std::make_unique<Runtime>(o);
        fs::path dir = modrt::test::scratch_dir(fs::path(MODRT_TEST_BINARY_DIR) / "scratch");
        std::ofstream(dir / "registry.yaml")
            << modrt::test::with_lib(std::string(kHeader) + entries, SCHEDULE_PROBE_LIB);
        std::string out;
        for (const auto& e : rt->load(dir)) out += e.format() + "\n";
        return out;
    }

    /// The runs `tick` recorded under `name`.
    std::vector<Value> runs(const std::string& name) {
        Value args = Value::array();
        args.items.push_back(Value::string(name));
        auto r = rt->call("sch:runs", args);
        EXPECT_TRUE(r.ok()) << r.error->message;
        return r.value.items;
    }

    /// Wait until a run under `name` begins: stop_triggers before that leaves nothing to stop.
    bool await_started(const std::string& name) { return modrt::test::await_started(*rt, "sch:runs", name); }

    static int64_t field(const Value& run, const char* key) { return run.find(key)->scalar.i; }
    static std::string text(const Value& run, const char* key) { return run.find(key)->str; }

    std::unique_ptr<Runtime> rt;
};

TEST_F(Schedule, IntervalFiresOnTimeWithItsIdentityAndContext) {
    ASSERT_EQ(load(R"(  - name: every
    kind: schedule.function
    func: sch:tick
    interval: 100ms
    args: [every, 0, 7]
    lifecycle: {security: {actor: {id: "service:jobs"}}}
)"),
              "");
    auto triggers = rt->triggers();
    ASSERT_EQ(triggers.size(), 1u);
    EXPECT_EQ(triggers[0].id, "sch:every");
    EXPECT_FALSE(triggers[0].running);
    ASSERT_TRUE(rt->start_triggers().empty());
    triggers = rt->triggers();
    EXPECT_TRUE(triggers[0].running);
    ASSERT_EQ(triggers[0].listen.size(), 1u);
    EXPECT_EQ(triggers[0].listen[0], "every 100ms -> sch:tick");
    std::this_thread::sleep_for(560ms);
    rt->stop_triggers();
    auto got = runs("every");
    ASSERT_GE(got.size(), 3u);  // 5 on an idle machine; a loaded CI box may lose some
    EXPECT_LE(got.size(), 6u);
    for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(text(got[i], "schedule"), "sch:every");
        EXPECT_EQ(text(got[i], "actor"), "service:jobs");
        EXPECT_EQ(field(got[i], "arg"), 7);
        if (i > 0) {
            // Fixed rate without catch-up: starts follow ticks 100 ms apart, never a burst. A start
            // is a new thread's, which a loaded machine may delay (tens of ms under a parallel
            // build) while the next tick is on time: 50 ms apart is what that still guarantees.
            EXPECT_GE(field(got[i], "start_ns") - field(got[i - 1], "start_ns"), 50'000'000) << i;
        }
    }
    size_t after_stop = got.size();
    std::this_thread::sleep_for(250ms);
    EXPECT_EQ(runs("every").size(), after_stop) << "a stopped schedule fired";
}

TEST_F(Schedule, ImmediateRunsAtStart) {
    ASSERT_EQ(load("  - {name: now, kind: schedule.function, func: sch:tick, interval: 1h, immediate: true,"
                   " args: [now, 0]}\n"),
              "");
    ASSERT_TRUE(rt->start_triggers().empty());
    for (int i = 0; i < 200 && runs("now").empty(); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(runs("now").size(), 1u);
}

TEST_F(Schedule, ARunStillGoingMakesTheNextFireSkipped) {
    ASSERT_EQ(load("  - {name: slow, kind: schedule.function, func: sch:tick, interval: 50ms, args: [slow, 180]}\n"),
              "");
    ASSERT_TRUE(rt->start_triggers().empty());
    std::this_thread::sleep_for(700ms);
    rt->stop_triggers();
    auto got = runs("slow");
    ASSERT_GE(got.size(), 2u);
    EXPECT_LE(got.size(), 4u);  // 13 fires, at most one run per 180ms
    for (size_t i = 1; i < got.size(); ++i)
        EXPECT_GE(field(got[i], "start_ns"), field(got[i - 1], "end_ns"))
            << "runs " << i - 1 << " and " << i << " overlap";
}

TEST_F(Schedule, OverlapTrueLetsRunsOverlap) {
    ASSERT_EQ(load("  - {name: wide, kind: schedule.function, func: sch:tick, interval: 50ms, overlap: true,"
                   " args: [wide, 180]}\n"),
              "");
    ASSERT_TRUE(rt->start_triggers().empty());
    std::this_thread::sleep_for(500ms);
    rt->stop_triggers();
    auto got = runs("wide");
    ASSERT_GE(got.size(), 3u);
    bool overlapped = false;
    for (size_t i = 1; i < got.size(); ++i) overlapped |= field(got[i], "start_ns") < field(got[i - 1], "end_ns");
    EXPECT_TRUE(overlapped);
}

TEST_F(Schedule, EachRunHasItsTimeoutAsDeadline) {
    ASSERT_EQ(load("  - {name: late, kind: schedule.function, func: sch:tick, interval: 1h, immediate: true,"
                   " timeout: 100ms, args: [late, 5000]}\n"),
              "");
    ASSERT_TRUE(rt->start_triggers().empty());
    for (int i = 0; i < 300 && runs("late").empty(); ++i) std::this_thread::sleep_for(10ms);
    auto got = runs("late");
    ASSERT_EQ(got.size(), 1u);
    EXPECT_TRUE(got[0].find("canceled")->scalar.b);
    EXPECT_LT(field(got[0], "end_ns") - field(got[0], "start_ns"), 2'000'000'000);
}

TEST_F(Schedule, StopLetsARunFinishWithinStopTimeout) {
    ASSERT_EQ(load("  - {name: drain, kind: schedule.function, func: sch:tick, interval: 1h, immediate: true,"
                   " args: [drain, 300], lifecycle: {stop_timeout: 5s}}\n"),
              "");
    ASSERT_TRUE(rt->start_triggers().empty());
    ASSERT_TRUE(await_started("drain"));
    rt->stop_triggers();  // returns once the run has finished
    auto got = runs("drain");
    ASSERT_EQ(got.size(), 1u);
    EXPECT_FALSE(got[0].find("canceled")->scalar.b);
    EXPECT_GE(field(got[0], "end_ns") - field(got[0], "start_ns"), 290'000'000);
}

TEST_F(Schedule, StopCancelsARunPastStopTimeout) {
    ASSERT_EQ(load("  - {name: stuck, kind: schedule.function, func: sch:tick, interval: 1h, immediate: true,"
                   " args: [stuck, 20000], lifecycle: {stop_timeout: 100ms}}\n"),
              "");
    ASSERT_TRUE(rt->start_triggers().empty());
    ASSERT_TRUE(await_started("stuck"));
    auto t0 = std::chrono::steady_clock::now();
    rt->stop_triggers();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    auto got = runs("stuck");
    ASSERT_EQ(got.size(), 1u);
    EXPECT_TRUE(got[0].find("canceled")->scalar.b);
}

TEST_F(Schedule, DestroyingTheRuntimeStopsItsSchedules) {
    ASSERT_EQ(load("  - {name: bye, kind: schedule.function, func: sch:tick, interval: 20ms, args: [bye, 0]}\n"), "");
    ASSERT_TRUE(rt->start_triggers().empty());
    std::this_thread::sleep_for(100ms);
    rt.reset();  // no stop_triggers: the destructor stops them before it lets go of anything
}

TEST_F(Schedule, AutoStartFalseStaysStopped) {
    ASSERT_EQ(load("  - {name: off, kind: schedule.function, func: sch:tick, interval: 10ms, args: [off, 0],"
                   " lifecycle: {auto_start: false}}\n"),
              "");
    ASSERT_TRUE(rt->start_triggers().empty());
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(rt->triggers()[0].running);
    EXPECT_TRUE(runs("off").empty());
}

TEST_F(Schedule, CronEntryDescribesItself) {
    ASSERT_EQ(load(
                  "  - {name: nightly, kind: schedule.function, func: sch:tick, cron: \"30 2 * * *\", args: [n, 0]}\n"),
              "");
    ASSERT_TRUE(rt->start_triggers().empty());
    EXPECT_EQ(rt->triggers()[0].listen.at(0), "cron 30 2 * * * (UTC) -> sch:tick");
}

TEST_F(Schedule, UnknownGroupFailsTheStartAtItsLine) {
    ASSERT_EQ(load(
                  "  - {name: policy, kind: security.policy, policy: {actions: \"*\", resources: \"*\", effect: allow},"
                  " groups: [real]}\n"
                  "  - name: grouped\n"
                  "    kind: schedule.function\n"
                  "    func: sch:tick\n"
                  "    interval: 1h\n"
                  "    lifecycle:\n"
                  "      security:\n"
                  "        groups: [sch:real, sch:missing]\n"),
              "");
    auto errors = rt->start_triggers();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 13);
    EXPECT_THAT(errors[0].message, HasSubstr("lifecycle.security.groups"));
    EXPECT_THAT(errors[0].message, HasSubstr("sch:missing"));
    EXPECT_FALSE(rt->triggers()[0].running);
}

struct BadEntry {
    const char* name;
    const char* entry;
    const char* message;
};

void PrintTo(const BadEntry& b, std::ostream* os) { *os << b.name; }

class ScheduleBadEntry : public Schedule, public ::testing::WithParamInterface<BadEntry> {};

TEST_P(ScheduleBadEntry, IsARegistryError) {
    std::string errors = load(GetParam().entry);
    EXPECT_THAT(errors, HasSubstr("registry.yaml:6"));
    EXPECT_THAT(errors, HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Entries, ScheduleBadEntry,
    ::testing::Values(
        BadEntry{"BadCron", "  - {name: b, kind: schedule.function, func: sch:tick, cron: \"0 25 * * *\"}\n",
                 "cron: hour: 25 is out of range 0-23"},
        BadEntry{"Both", "  - {name: b, kind: schedule.function, func: sch:tick, interval: 1s, cron: \"* * * * *\"}\n",
                 "give exactly one of interval"},
        BadEntry{"Neither", "  - {name: b, kind: schedule.function, func: sch:tick}\n", "give exactly one of interval"},
        BadEntry{"BadInterval", "  - {name: b, kind: schedule.function, func: sch:tick, interval: soon}\n",
                 "interval: expected a duration"},
        BadEntry{"MissingFunc", "  - {name: b, kind: schedule.function, func: sch:nope, interval: 1s}\n",
                 "func: no entry 'sch:nope'"},
        BadEntry{"BadFuncId", "  - {name: b, kind: schedule.function, func: tick, interval: 1s}\n",
                 "func: expected the id of the function"},
        BadEntry{"UnknownField", "  - {name: b, kind: schedule.function, func: sch:tick, interval: 1s, every: 2}\n",
                 "every: unknown field"},
        BadEntry{"ArgsNotAList", "  - {name: b, kind: schedule.function, func: sch:tick, interval: 1s, args: 3}\n",
                 "args: expected a list"},
        BadEntry{"AutoStartNotBool",
                 "  - {name: b, kind: schedule.function, func: sch:tick, interval: 1s, lifecycle: {auto_start: yes}}\n",
                 "lifecycle.auto_start: expected true or false"},
        BadEntry{"StopTimeout",
                 "  - {name: b, kind: schedule.function, func: sch:tick, interval: 1s, lifecycle: {stop_timeout: x}}\n",
                 "lifecycle.stop_timeout: expected a duration"},
        BadEntry{"LifecycleUnknown",
                 "  - {name: b, kind: schedule.function, func: sch:tick, interval: 1s, lifecycle: {autostart: true}}\n",
                 "lifecycle.autostart: unknown field"},
        BadEntry{"BadActor",
                 "  - {name: b, kind: schedule.function, func: sch:tick, interval: 1s,"
                 " lifecycle: {security: {actor: bob}}}\n",
                 "lifecycle.security.actor: expected {id: string"}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
