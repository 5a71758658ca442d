// function.lua: runaway loops are stopped by the call's deadline or
// cancellation, compiled by the JIT (the default) or interpreted (jit: false),
// and leave their worker and lua_State usable.
#include "lua_test_util.hpp"
#include "support/sanitizer.hpp"

#include "support/bounded_run.hpp"

#include <pthread.h>

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace lua_test;
using namespace std::chrono_literals;

class LuaRunaway : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        rt_ = load_fixtures(std::array<std::string_view, 1>{"runaway"}, load_errors_);
    }
    static void TearDownTestSuite() { rt_.reset(); }
    // Not from SetUpTestSuite: GoogleTest would skip the tests, and CTest pass them.
    void SetUp() override { ASSERT_EQ(load_errors_, ""); }
    static inline std::string load_errors_;

    // Call `id` with a 100 ms deadline; expect TIMEOUT well within the bound.
    static void expect_stopped(std::string_view id, const Value& a = Value::array()) {
        modrt::kernel::CallOptions opts;
        opts.timeout = 100ms;
        auto started = std::chrono::steady_clock::now();
        CallResult r = rt_->call(id, a, opts);
        auto took = std::chrono::steady_clock::now() - started;
        ASSERT_FALSE(r.ok()) << id << " returned";
        EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT) << r.error->message;
        // Generous for a loaded CI machine; a compiled loop would run for minutes.
        EXPECT_LT(took, 3s) << id;
    }

    static inline std::unique_ptr<Runtime> rt_;
    friend struct LuaRunawayAccess;
};

struct LuaRunawayAccess {
    static Runtime& runtime() { return *LuaRunaway::rt_; }
};

TEST_F(LuaRunaway, EmptyWhileLoopIsStopped) { expect_stopped("runaway:empty_loop"); }

TEST_F(LuaRunaway, ArithmeticForLoopIsStopped) { expect_stopped("runaway:arithmetic_loop"); }

TEST_F(LuaRunaway, LoopInsideAnImportedLibraryIsStopped) { expect_stopped("runaway:library_loop"); }

TEST_F(LuaRunaway, LoopThatCatchesTheCancellationStillEnds) { expect_stopped("runaway:stubborn_loop"); }

TEST_F(LuaRunaway, LoopThatCatchesWithXpcallStillEnds) { expect_stopped("runaway:stubborn_xpcall"); }

TEST_F(LuaRunaway, LoopThatCatchesInCoroutinesStillEnds) { expect_stopped("runaway:stubborn_coroutine"); }

TEST_F(LuaRunaway, PcallXpcallAndResumeCatchAsUsual) {
    CallResult r = rt_->call("runaway:catches", Value::array());
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_EQ(r.value.type, MODRT_ARRAY);
    const auto& v = r.value.items;
    ASSERT_EQ(v.size(), 8u);
    EXPECT_EQ(v[0], Value::boolean(false));
    EXPECT_NE(v[1].str.find("one"), std::string::npos);
    EXPECT_EQ(v[2], Value::boolean(false));
    EXPECT_NE(v[3].str.find("handled "), std::string::npos);
    EXPECT_NE(v[3].str.find("two!"), std::string::npos);
    EXPECT_EQ(v[4], Value::boolean(true));
    EXPECT_EQ(v[5], Value::integer(3));
    EXPECT_EQ(v[6], Value::boolean(false));
    EXPECT_NE(v[7].str.find("three"), std::string::npos);
}

TEST_F(LuaRunaway, StateStaysUsableAfterALoopIsStopped) {
    expect_stopped("runaway:arithmetic_loop");
    // Inline pool: the same thread, so the same lua_State, runs the next call.
    CallResult r = rt_->call("runaway:sum", args({Value::integer(100)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::integer(5050));
}

TEST_F(LuaRunaway, WorkerStaysUsableAfterALoopIsStopped) {
    for (int round = 0; round < 3; ++round) {
        expect_stopped("runaway:on_worker");
        CallResult r = rt_->call("runaway:on_worker", args({Value::integer(10)}));
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(r.value, Value::integer(55));
    }
}

// A call with no deadline and no caller that can cancel it runs without the
// cancellation hook, and a worker takes the hook off after a run of such calls;
// whatever can be stopped must still be stopped after that.
TEST_F(LuaRunaway, LoopIsStoppedAfterManyCallsNothingCouldStop) {
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 200; ++i) {
            CallResult r = rt_->call("runaway:on_worker", args({Value::integer(10)}));
            ASSERT_TRUE(r.ok()) << r.error->message;
            CallResult inline_r = rt_->call("runaway:sum", args({Value::integer(10)}));
            ASSERT_TRUE(inline_r.ok()) << inline_r.error->message;
        }
        expect_stopped("runaway:on_worker");
        expect_stopped("runaway:arithmetic_loop");
    }
}

TEST_F(LuaRunaway, LoopIsStoppedByACancelerAlone) {
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(rt_->call("runaway:sum", args({Value::integer(10)})).ok());
    modrt::kernel::CallOptions opts;  // no deadline: only the canceler can stop it
    opts.canceler = std::make_shared<modrt::kernel::CallCanceler>();
    std::thread canceler([c = opts.canceler] {
        std::this_thread::sleep_for(50ms);
        c->cancel();
    });
    auto started = std::chrono::steady_clock::now();
    CallResult r = rt_->call("runaway:empty_loop", Value::array(), opts);
    auto took = std::chrono::steady_clock::now() - started;
    canceler.join();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_CANCELED) << r.error->message;
    EXPECT_LT(took, 3s);
}

TEST_F(LuaRunaway, NestedCallWithADeadlineIsStoppedInsideACallWithout) {
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(rt_->call("runaway:sum", args({Value::integer(10)})).ok());
    auto started = std::chrono::steady_clock::now();
    CallResult r = rt_->call("runaway:nested_timeout", Value::array());
    auto took = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::string("Timeout"));
    EXPECT_LT(took, 3s);
}

TEST_F(LuaRunaway, CompiledAndInterpretedComputeTheSameResult) {
    // Hot enough for LuaJIT to compile the loop where the entry allows it.
    for (const char* id : {"runaway:sum", "runaway:sum_jit", "runaway:sum_interpreted"}) {
        CallResult r = rt_->call(id, args({Value::integer(1000000)}));
        ASSERT_TRUE(r.ok()) << id << ": " << r.error->message;
        EXPECT_EQ(r.value, Value::integer(500000500000)) << id;
    }
}

// -- Issue 23: the JIT is on, and a compiled loop is still stopped --

// Runs `id` under `opts` (bounded: a loop never stopped fails instead of hanging the
// suite); returns how long the call ran past `stop_at`, the moment it had to stop.
static std::chrono::nanoseconds overrun(std::string_view id, const modrt::kernel::CallOptions& opts,
                                        std::chrono::steady_clock::time_point stop_at,
                                        modrt_error_kind expected) {
    std::string name(id);
    auto r = modrt::test::run_within([&] { return LuaRunawayAccess::runtime().call(name, Value::array(), opts); }, 20s);
    auto ended = std::chrono::steady_clock::now();
    EXPECT_TRUE(r.has_value()) << id << ": the loop was not stopped within 20 s";
    if (!r.has_value()) return 20s;
    EXPECT_FALSE(r->ok()) << id << " returned";
    if (!r->ok()) {
        EXPECT_EQ(r->error->kind, expected) << id << ": " << r->error->message;
    }
    return ended - stop_at;
}

// A loop compiled by the JIT runs at full speed until its deadline, and stops right after it:
// the deadline timer sets the hook, and the trace leaves for the interpreter at its next iteration.
TEST_F(LuaRunaway, CompiledLoopsStopAtTheirDeadline) {
    for (const char* id : {"runaway:counting_loop", "runaway:builtin_loop", "runaway:coroutine_loop",
                           "runaway:counting_loop_on_worker", "runaway:counting_loop_interpreted",
                           "runaway:stubborn_loop", "runaway:stubborn_coroutine", "runaway:library_loop"}) {
        modrt::kernel::CallOptions opts;
        opts.timeout = 200ms;
        auto late = overrun(id, opts, std::chrono::steady_clock::now() + 200ms, MODRT_ERR_TIMEOUT);
        RecordProperty(std::string(id).substr(8) + "_ms_past_deadline",
                       std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(late).count()));
        // Milliseconds when idle; the bound is for a loaded CI machine (a compiled loop nobody
        // stopped would run for ever).
        EXPECT_LT(late, 2s) << id;
    }
}

// The same when a canceler stops the call: frame_on_cancel sets the hook from the canceling thread.
TEST_F(LuaRunaway, CompiledLoopsStopWhenCanceled) {
    for (const char* id : {"runaway:counting_loop", "runaway:builtin_loop", "runaway:coroutine_loop",
                           "runaway:counting_loop_on_worker", "runaway:stubborn_loop"}) {
        modrt::kernel::CallOptions opts;
        opts.canceler = std::make_shared<modrt::kernel::CallCanceler>();
        std::chrono::steady_clock::time_point canceled_at;
        std::thread canceler([c = opts.canceler, &canceled_at] {
            std::this_thread::sleep_for(200ms);  // long enough for the loop to be compiled
            canceled_at = std::chrono::steady_clock::now();
            c->cancel();
        });
        auto started = std::chrono::steady_clock::now();
        auto late = overrun(id, opts, started, MODRT_ERR_CANCELED);
        canceler.join();
        late -= canceled_at - started;
        RecordProperty(std::string(id).substr(8) + "_ms_past_cancel",
                       std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(late).count()));
        EXPECT_LT(late, 2s) << id;
    }
}

// The state that stopped a compiled loop runs its next calls (the hook comes off at the call's
// end), stoppable or not, and nested ones.
TEST_F(LuaRunaway, StateRunsOnAfterACompiledLoopIsStopped) {
    expect_stopped("runaway:counting_loop");
    modrt::kernel::CallOptions opts;
    opts.timeout = 10s;
    CallResult r = rt_->call("runaway:sum", args({Value::integer(1000)}), opts);
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::integer(500500));
    // A nested call with a deadline stopped inside a call without one: the outer call goes on.
    CallResult nested = rt_->call("runaway:nested_timeout", Value::array());
    ASSERT_TRUE(nested.ok()) << nested.error->message;
    EXPECT_EQ(nested.value, Value::string("Timeout"));
}

TEST(LuaRunawayRegistry, JitMustBeABoolean) {
    auto rt = make_runtime();
    auto errs = rt->load(fixture("bad_jit"));
    ASSERT_EQ(errs.size(), 1u);
    std::string text = errs.front().format();
    EXPECT_NE(text.find("jit: expected true or false"), std::string::npos) << text;
    EXPECT_NE(text.find("registry.yaml:8"), std::string::npos) << text;
}

// -- Issue 19 class 4: xpcall's message handler cannot outlive a cancellation --

TEST_F(LuaRunaway, HandlerThatLoopsIsNotRunForACancellation) { expect_stopped("runaway:handler_loops"); }

TEST_F(LuaRunaway, HandlerThatCallsALoopIsNotRun) { expect_stopped("runaway:handler_calls_a_loop"); }

TEST_F(LuaRunaway, HandlerWithANestedXpcallIsNotRun) { expect_stopped("runaway:handler_nests_xpcall"); }

TEST_F(LuaRunaway, HandlerThatRaisesStillEndsAsATimeout) { expect_stopped("runaway:handler_raises"); }

TEST_F(LuaRunaway, HandlerLoopingAroundPcallIsNotRun) { expect_stopped("runaway:handler_pcalls_in_a_loop"); }

TEST_F(LuaRunaway, CoroutineWrapInsideXpcallIsStopped) { expect_stopped("runaway:wrap_inside_xpcall"); }

TEST_F(LuaRunaway, XpcallWithALoopingHandlerInALoopIsStopped) { expect_stopped("runaway:stubborn_xpcall_handler"); }

// An error table is converted raw: its looping __index/__tostring never run.
TEST_F(LuaRunaway, ErrorObjectsMetamethodsAreNotRunByTheConversion) {
    for (const char* id : {"runaway:error_object_loops", "runaway:returned_error_loops"}) {
        modrt::kernel::CallOptions opts;
        opts.timeout = 100ms;
        auto started = std::chrono::steady_clock::now();
        auto r = modrt::test::run_within([&] { return rt_->call(id, Value::array(), opts); }, 10s);
        ASSERT_TRUE(r.has_value()) << id << " hung";
        ASSERT_FALSE(r->ok()) << id;
        EXPECT_EQ(r->error->kind, MODRT_ERR_INTERNAL) << id << ": " << r->error->message;
        EXPECT_NE(r->error->message.find("error table without a message"), std::string::npos) << r->error->message;
        EXPECT_LT(std::chrono::steady_clock::now() - started, 3s) << id;
    }
}

TEST_F(LuaRunaway, HandlerThatLoopsIsNotRunOnAPoolWorker) {
    for (int round = 0; round < 2; ++round) expect_stopped("runaway:handler_loops_on_worker");
}

TEST_F(LuaRunaway, HandlersAndWrapStillWorkWhenNothingIsCanceled) {
    CallResult r = rt_->call("runaway:handler_still_handles", Value::array());
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_EQ(r.value.type, MODRT_ARRAY);
    const auto& v = r.value.items;
    ASSERT_EQ(v.size(), 10u) << json(r.value);
    EXPECT_EQ(v[0], Value::boolean(false));
    EXPECT_EQ(v[1], str("handled boom"));
    EXPECT_EQ(v[2], Value::boolean(true));
    EXPECT_EQ(v[3], Value::integer(3));
    EXPECT_EQ(v[4], Value::boolean(false));
    EXPECT_EQ(v[5], str("wrapped"));
    EXPECT_EQ(v[6], Value::boolean(false));
    // LuaJIT's wrap adds the position of the error to a string error, and so does ours.
    EXPECT_NE(v[7].str.find("handlers.lua:"), std::string::npos) << v[7].str;
    EXPECT_NE(v[7].str.find("at line"), std::string::npos) << v[7].str;
    EXPECT_EQ(v[8], Value::integer(2));
    EXPECT_EQ(v[9], Value::integer(42));
}

// The README: "a running Lua loop is stopped within 1000 VM instructions" of its
// cancellation. The loop blocks in a future's :result() until its call is canceled,
// notes its count there, and counts on until the hook stops it.
TEST_F(LuaRunaway, InterpretedLoopStopsWithin1000InstructionsOfItsCancellation) {
    modrt::kernel::CallOptions opts;
    opts.canceler = std::make_shared<modrt::kernel::CallCanceler>();
    std::thread canceler([c = opts.canceler] {
        std::this_thread::sleep_for(50ms);
        c->cancel();
    });
    auto r = modrt::test::run_within([&] { return rt_->call("runaway:overshoot", args({str("run")}), opts); }, 10s);
    canceler.join();
    ASSERT_TRUE(r.has_value()) << "the loop was not stopped";
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error->kind, MODRT_ERR_CANCELED) << r->error->message;
    // One static worker: the same thread and lua_State keep the module's counters.
    CallResult read = rt_->call("runaway:overshoot", args({str("read")}));
    ASSERT_TRUE(read.ok()) << read.error->message;
    ASSERT_EQ(read.value.items.size(), 2u) << json(read.value);
    int64_t at_cancel = read.value.items[0].scalar.i;
    int64_t stopped_at = read.value.items[1].scalar.i;
    ASSERT_GE(at_cancel, 0) << "the future's :result() never returned";
    // One iteration of `while true do n = n + 1 end` is 4 bytecodes (UGET, ADDVN, USETV,
    // LOOP/JMP): 1000 instructions are at most 250 iterations, plus the few
    // instructions between :result() returning and the loop.
    RecordProperty("iterations_after_cancellation", std::to_string(stopped_at - at_cancel));
    EXPECT_LE(stopped_at - at_cancel, 250) << "at cancellation " << at_cancel << ", stopped at " << stopped_at;
}

// -- Issue 19 class 1: recursion through C functions ends in an error, never a crash --

struct LuaCStackFixtureDirs {
    static constexpr std::string_view dirs[] = {"hostile_a1/calls"};
};

class LuaCStack : public SharedRuntime<LuaCStackFixtureDirs> {
protected:
    // Call `id` (bounded: a hang fails); expect an error naming a stack overflow.
    static void expect_overflow(const std::string& id, const Value& a = Value::array(),
                                std::string_view says = "stack overflow") {
        auto r = modrt::test::run_within([id, a] { return rt_->call(id, a); }, 30s);
        ASSERT_TRUE(r.has_value()) << id << " hung";
        ASSERT_FALSE(r->ok()) << id << " returned " << json(r->value);
        EXPECT_EQ(r->error->kind, MODRT_ERR_INTERNAL) << id << ": " << r->error->message;
        EXPECT_NE(r->error->message.find(says), std::string::npos) << id << ": " << r->error->message << "\n"
                                                                   << r->error->stack.substr(0, 1500);
    }
    // The state (or worker) that stopped the recursion still runs calls.
    static void expect_fine(const std::string& id) {
        CallResult r = rt_->call(id, Value::array());
        ASSERT_TRUE(r.ok()) << id << ": " << r.error->message;
        EXPECT_EQ(r.value, str("fine")) << id;
    }
};

class LuaCStackPath : public LuaCStack, public ::testing::WithParamInterface<const char*> {};

// Each path: once on the caller's thread (inline pool), once on a static pool's worker.
TEST_P(LuaCStackPath, EndsInAnErrorOnTheCallersThreadAndOnAWorker) {
    if (modrt::test::kUnderTsan)
        GTEST_SKIP()
            << "native-stack recursion under TSan takes minutes (its runtime's frames); plain and ASan builds run this";
    std::string id = std::string("hostile_a1:") + GetParam();
    expect_overflow(id);
    expect_fine("hostile_a1:fine");
    expect_overflow(id + "_on_worker");
    expect_fine("hostile_a1:fine_on_worker");
    expect_overflow(id);  // and again on the same state
}

INSTANTIATE_TEST_SUITE_P(Paths, LuaCStackPath,
                         ::testing::Values("gsub_function", "gsub_table_index", "pcall", "xpcall", "resume", "wrap",
                                           "sort_comparator", "sort_lt", "print_tostring", "format_tostring",
                                           "format_method_tostring", "tostring_nested", "os_time_index", "mutual",
                                           "in_coroutine"));

// The paths that only our own C stack check can stop name it (LuaJIT's own stack
// limit stops the others first on an 8 MiB stack, see the small-stack test).
TEST_F(LuaCStack, PathsThroughCOnlyHitTheNativeStackCheck) {
    if (modrt::test::kUnderTsan)
        GTEST_SKIP()
            << "native-stack recursion under TSan takes minutes (its runtime's frames); plain and ASan builds run this";
    for (const char* v : {"gsub_function", "resume", "wrap", "print_tostring", "mutual", "in_coroutine"}) {
        expect_overflow(std::string("hostile_a1:") + v, Value::array(), "C stack overflow");
        expect_overflow(std::string("hostile_a1:") + v + "_on_worker", Value::array(), "C stack overflow");
    }
}

TEST_F(LuaCStack, OverflowMessageSaysWhereAndWhatLimit) {
    if (modrt::test::kUnderTsan)
        GTEST_SKIP()
            << "native-stack recursion under TSan takes minutes (its runtime's frames); plain and ASan builds run this";
    CallResult r = rt_->call("hostile_a1:gsub_function", Value::array());
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error->message.find("cstack.lua:14: C stack overflow"), std::string::npos) << r.error->message;
    EXPECT_NE(r.error->message.find("KiB a call keeps free"), std::string::npos) << r.error->message;
}

// Our C functions read error tables raw, so an __index cannot recurse through them.
TEST_F(LuaCStack, ErrorTablesAreReadRawNotThroughIndex) {
    if (modrt::test::kUnderTsan)
        GTEST_SKIP()
            << "native-stack recursion under TSan takes minutes (its runtime's frames); plain and ASan builds run this";
    CallResult made = rt_->call("hostile_a1:errors_new_index", Value::array());
    ASSERT_FALSE(made.ok());
    EXPECT_NE(made.error->message.find("needs a string 'message' field"), std::string::npos) << made.error->message;
    CallResult returned = rt_->call("hostile_a1:returned_error_index_on_worker", Value::array());
    ASSERT_FALSE(returned.ok());
    EXPECT_NE(returned.error->message.find("error table without a message"), std::string::npos)
        << returned.error->message;
}

// funcs.call of itself, with max_depth raised to 100000 by the registry: the
// native stack check, not the kernel's depth limit, ends it.
TEST_F(LuaCStack, NestedCallsEndAtTheNativeStackNotInACrash) {
    if (modrt::test::kUnderTsan)
        GTEST_SKIP()
            << "native-stack recursion under TSan takes minutes (its runtime's frames); plain and ASan builds run this";
    // With the JIT on, LuaJIT's own stack limit ("stack overflow") may end it before ours
    // ("C stack overflow"): either way an error, never a crash.
    expect_overflow("hostile_a1:nested_call", args({str("hostile_a1:nested_call")}), "stack overflow");
    expect_overflow("hostile_a1:nested_call_on_worker", args({str("hostile_a1:nested_call_on_worker")}),
                    "stack overflow");
    expect_fine("hostile_a1:fine");
    expect_fine("hostile_a1:fine_on_worker");
}

// A caller's thread with a small stack (512 KiB): the check keeps a quarter of it.
TEST_F(LuaCStack, WorksOnACallersThreadWithASmallStack) {
    if (modrt::test::kUnderTsan)
        GTEST_SKIP()
            << "native-stack recursion under TSan takes minutes (its runtime's frames); plain and ASan builds run this";
    std::vector<std::string> messages;
    std::function<void()> body = [&] {
        for (const char* v : {"gsub_function", "pcall", "xpcall", "wrap", "resume", "sort_comparator",
                              "format_tostring", "print_tostring", "mutual", "fine"}) {
            CallResult r = rt_->call(std::string("hostile_a1:") + v, Value::array());
            messages.push_back(r.ok() ? "ok " + json(r.value) : r.error->message);
        }
    };
    pthread_attr_t attr;
    ASSERT_EQ(pthread_attr_init(&attr), 0);
    ASSERT_EQ(pthread_attr_setstacksize(&attr, 512 * 1024), 0);
    pthread_t thread;
    ASSERT_EQ(pthread_create(
                  &thread, &attr,
                  [](void* p) -> void* {
                      (*static_cast<std::function<void()>*>(p))();
                      return nullptr;
                  },
                  &body),
              0);
    pthread_attr_destroy(&attr);
    pthread_join(thread, nullptr);
    ASSERT_EQ(messages.size(), 10u);
    // pcall and xpcall (1, 2) are Lua functions over the VM's own: recursion through them
    // takes no native stack and ends at Lua's stack limit instead.
    for (size_t i = 0; i + 1 < messages.size(); ++i)
        EXPECT_NE(messages[i].find(i == 1 || i == 2 ? "stack overflow" : "C stack overflow"), std::string::npos)
            << i << ": " << messages[i];
    EXPECT_EQ(messages.back(), "ok \"fine\"");
}

// At a module's top level: registry load reports every entry, and ends.
TEST(LuaHostileTopLevel, RecursionAndLoopingHandlersFailTheLoadWithinItsBudget) {
    if (modrt::test::kUnderTsan)
        GTEST_SKIP()
            << "native-stack recursion under TSan takes minutes (its runtime's frames); plain and ASan builds run this";
    auto errors = modrt::test::run_within(
        [] {
            auto rt = make_runtime();
            std::vector<std::string> out;
            for (const auto& e : rt->load(fixture("hostile_a1/toplevel"))) out.push_back(e.format());
            return out;
        },
        60s);
    ASSERT_TRUE(errors.has_value()) << "registry load hung";
    ASSERT_EQ(errors->size(), 8u);
    const std::pair<const char*, const char*> expected[] = {
        {"cstack_gsub", "C stack overflow"},
        {"cstack_wrap", "C stack overflow"},
        {"cstack_sort", "stack overflow"},
        {"xpcall_loop", "ran for more than 100 million instructions"},
        {"xpcall_nested", "ran for more than 100 million instructions"},
        {"handler_pcall", "ran for more than 100 million instructions"},
        {"pcall_loop", "ran for more than 100 million instructions"},
        {"wrap_in_xpcall", "ran for more than 100 million instructions"},
    };
    for (const auto& [entry, says] : expected) {
        bool found = false;
        for (const auto& text : *errors)
            if (text.find(std::string("'hostile_top:") + entry + "'") != std::string::npos) {
                found = true;
                EXPECT_NE(text.find(says), std::string::npos) << text;
            }
        EXPECT_TRUE(found) << entry;
    }
}
