// function.lua: string functions under the call's limits, through the real
// plugin. Patterns that backtrack for minutes in LuaJIT's matcher are stopped
// by the deadline (and pcall cannot keep them going), at a module's top level
// by the load budget; patterns too deep are an error; string.rep, format,
// table.concat and gsub outputs larger than memory_limit fail fast.
#include "lua_test_util.hpp"
#include "support/sanitizer.hpp"

#include "support/bounded_run.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace lua_test;
using namespace std::chrono_literals;

// Outside an anonymous namespace: a fixture's base names it (unity builds, -Wsubobject-linkage).
struct LuaStringsFixtureDirs {
    static constexpr std::string_view dirs[] = {"strings"};
};

class LuaStrings : public SharedRuntime<LuaStringsFixtureDirs> {
protected:
    // strings:slow(which) under a 200 ms deadline: TIMEOUT, well within the bound.
    static void expect_stopped(std::string_view entry, const char* which) {
        modrt::kernel::CallOptions opts;
        opts.timeout = 200ms;
        auto started = std::chrono::steady_clock::now();
        auto r = modrt::test::run_within([&] { return call(entry, args({str(which)}), opts); }, 20s);
        ASSERT_TRUE(r.has_value()) << which << ": still running after 20 s (LuaJIT's matcher would run for minutes)";
        auto took = std::chrono::steady_clock::now() - started;
        ASSERT_FALSE(r->ok()) << which << " returned " << json(r->value);
        EXPECT_EQ(r->error->kind, MODRT_ERR_TIMEOUT) << which << ": " << r->error->message;
        // Generous for a loaded (or sanitized) CI machine; the matcher checks every 65536 steps.
        EXPECT_LT(took, 3s) << which;
    }
};

TEST_F(LuaStrings, CatastrophicFindIsStoppedByTheDeadline) {
    for (const char* which : {"find", "find_init", "find_anchored", "method", "optional"})
        expect_stopped("strings:slow", which);
}

TEST_F(LuaStrings, CatastrophicMatchAndGmatchAreStopped) {
    for (const char* which : {"match", "gmatch", "greedy", "backref", "frontier", "balance"})
        expect_stopped("strings:slow", which);
}

TEST_F(LuaStrings, CatastrophicGsubIsStopped) {
    for (const char* which : {"gsub", "gsub_function", "gsub_in_replacement"}) expect_stopped("strings:slow", which);
}

TEST_F(LuaStrings, PcallXpcallAndCoroutinesCannotSwallowTheStop) {
    for (const char* which : {"pcall", "pcall_loop", "xpcall", "coroutine"}) expect_stopped("strings:slow", which);
}

TEST_F(LuaStrings, JitCompiledCallerIsStoppedToo) {
    for (const char* which : {"find", "gsub", "pcall_loop"}) expect_stopped("strings:slow_jit", which);
}

TEST_F(LuaStrings, StateServesTheNextCallAfterAStop) {
    expect_stopped("strings:slow", "find");
    CallResult r = call("strings:semantics");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "words"), str("one,two,three"));
}

TEST_F(LuaStrings, CancellationStopsAMatch) {
    // No deadline: a canceler that fires after 200 ms.
    auto canceler = std::make_shared<modrt::kernel::CallCanceler>();
    modrt::kernel::CallOptions opts;
    opts.canceler = canceler;
    auto r = modrt::test::run_within(
        [&] {
            std::thread stopper([canceler] {
                std::this_thread::sleep_for(200ms);
                canceler->cancel();
            });
            CallResult res = call("strings:slow", args({str("gsub")}), opts);
            stopper.join();
            return res;
        },
        20s);
    ASSERT_TRUE(r.has_value()) << "still running after 20 s";
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error->kind, MODRT_ERR_CANCELED) << r->error->message;
}

TEST_F(LuaStrings, DeepPatternsAreErrorsNotCrashes) {
    auto r = modrt::test::run_within([] { return call("strings:deep"); }, 20s);
    ASSERT_TRUE(r.has_value());
    ASSERT_TRUE(r->ok()) << r->error->message;
    const Value& v = r->value;
    for (const char* name : {"optional", "lazy", "greedy", "gmatch"})
        EXPECT_NE(at(v, name).str.find("pattern too complex"), std::string::npos) << name << ": " << json(v);
    EXPECT_NE(at(v, "captures").str.find("too many captures"), std::string::npos) << json(v);
    EXPECT_NE(at(v, "nested").str.find("too many captures"), std::string::npos) << json(v);
    // gsub -> function -> gsub ...: the C-stack guard (c_stack_guard.hpp) or LuaJIT's own limit.
    EXPECT_NE(at(v, "recursion").str.find("stack overflow"), std::string::npos) << json(v);
    EXPECT_EQ(at(v, "still_works"), str("key"));
}

TEST_F(LuaStrings, OutputsPastTheMemoryLimitFailFast) {
    if (modrt::test::kUnderTsan)
        GTEST_SKIP()
            << "wall-clock bounds on CPU-bound work; TSan runs it 5-15x slower (plain and ASan builds run this)";
    for (const char* which : {"rep", "rep_sep", "rep_twice", "concat", "concat_sep", "format", "gsub", "gsub_table"}) {
        auto started = std::chrono::steady_clock::now();
        auto r = modrt::test::run_within([&] { return call("strings:big", args({str(which)})); }, 20s);
        ASSERT_TRUE(r.has_value()) << which;
        auto took = std::chrono::steady_clock::now() - started;
        ASSERT_TRUE(r->ok()) << which << ": " << r->error->message;
        EXPECT_EQ(at(r->value, "ok"), Value::boolean(false)) << which << " built its output";
        EXPECT_NE(at(r->value, "message").str.find("not enough memory"), std::string::npos)
            << which << ": " << json(r->value);
        // 64 MiB copied at most before the limit refuses: a fraction of a second.
        const Value& secs = at(r->value, "seconds");
        EXPECT_LT(secs.type == MODRT_INT ? static_cast<double>(secs.scalar.i) : secs.scalar.n, 1.0) << which;
        EXPECT_LT(took, 5s) << which;
    }
}

TEST_F(LuaStrings, SandboxStringTableAndMethodsUseTheseFunctions) {
    CallResult r = call("strings:semantics");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "words"), str("one,two,three"));
    EXPECT_EQ(at(v, "gsub"), str("<hello> <world>:2"));
    EXPECT_EQ(at(v, "find"), str("7,11,value"));
    EXPECT_EQ(at(v, "plain"), Value::integer(2));
    EXPECT_EQ(at(v, "position"), Value::integer(3));
    EXPECT_EQ(at(v, "balance"), str("(a(b)c)"));
    EXPECT_EQ(at(v, "frontier"), str("W (W) W"));
    EXPECT_EQ(at(v, "table_repl"), str("Ann is 7"));
    EXPECT_NE(at(v, "error").str.find("malformed pattern (ends with '%')"), std::string::npos) << json(v);
    EXPECT_NE(at(v, "error").str.find("strings.lua:"), std::string::npos) << "no position: " << json(v);
}

// The module's top level, checked at registry load, runs under an instruction
// budget; a long match charges it too, so the load fails instead of hanging.
TEST(LuaStringsTopLevel, LongMatchAtTheTopLevelSpendsTheLoadBudget) {
    if (modrt::test::kUnderTsan)
        GTEST_SKIP()
            << "wall-clock bounds on CPU-bound work; TSan runs it 5-15x slower (plain and ASan builds run this)";
    auto started = std::chrono::steady_clock::now();
    auto errs = modrt::test::run_within(
        [] {
            auto rt = make_runtime();
            std::vector<std::string> out;
            for (const auto& e : rt->load(fixture("strings_toplevel"))) out.push_back(e.format());
            return out;
        },
        60s);
    ASSERT_TRUE(errs.has_value()) << "registry load still running after 60 s";
    EXPECT_LT(std::chrono::steady_clock::now() - started, 30s);
    ASSERT_EQ(errs->size(), 4u);
    for (const char* file : {"find.lua", "gsub.lua", "gmatch.lua", "match.lua"}) {
        bool seen = false;
        for (const std::string& e : *errs)
            if (e.find(file) != std::string::npos) {
                seen = true;
                EXPECT_NE(e.find("million instructions"), std::string::npos) << e;
            }
        EXPECT_TRUE(seen) << file << " not reported";
    }
}
