// Plugins that misbehave mid-call (bad_plugins/faulty_*.cpp, written against
// abi.h only): a hook that throws, returns an error, returns a malformed value
// or never finishes a task must end the call with an error value, never a
// crash or a hang, and the runtime must go on serving other calls.
//
// The kernel names the plugin for the faults it detects itself (a throw, an
// error of a kind that does not exist, bad arguments to next, a pool's
// refusal). An error a function returns on purpose is the function's own
// value and passes through unchanged.
#include "kernel_test_util.hpp"
#include "support/bounded_run.hpp"

#include <chrono>
#include <cmath>
#include <memory>
#include <optional>

namespace kt {
namespace {

using modrt::kernel::CallOptions;
using modrt::kernel::CallResult;
using namespace std::chrono_literals;

fs::path fault_dir() { return fs::path(KT_FAULT_PLUGIN_DIR); }
std::string fault_file(const std::string& stem) { return (fault_dir() / (stem + ".so")).string(); }

// Entries named after what they exercise; @LIB@ is the native test library.
constexpr const char* kFaultRegistry = R"(version: "1.0"
namespace: kt
entries:
  - {name: ok, kind: function.native, source: file://@LIB@, method: add}
  - {name: ok_static, kind: function.native, source: file://@LIB@, method: add, pool: {workers: 1}}
  - {name: call_other, kind: function.native, source: file://@LIB@, method: call_other}
  - {name: wait_child, kind: function.native, source: file://@LIB@, method: wait_child}
  - {name: k_echo, kind: test.fault.kind, method: echo}
  - {name: k_throws, kind: test.fault.kind, method: throws}
  - {name: k_throws_int, kind: test.fault.kind, method: throws_int}
  - {name: k_throws_static, kind: test.fault.kind, method: throws, pool: {workers: 1}}
  - {name: k_bogus, kind: test.fault.kind, method: bogus_kind}
  - {name: k_bogus_static, kind: test.fault.kind, method: bogus_kind, pool: {workers: 1}}
  - {name: k_no_result, kind: test.fault.kind, method: no_result}
  - {name: k_error_and_result, kind: test.fault.kind, method: error_and_result}
  - {name: k_error_and_result_static, kind: test.fault.kind, method: error_and_result, pool: {workers: 1}}
  - {name: k_odd, kind: test.fault.kind, method: odd_values}
  - {name: p_throw, kind: function.native, source: file://@LIB@, method: add, pool: {type: fault_throw}}
  - {name: p_refuse, kind: function.native, source: file://@LIB@, method: add, pool: {type: fault_refuse}}
  - {name: p_blackhole, kind: function.native, source: file://@LIB@, method: add, pool: {type: fault_blackhole}}
  - {name: p_drop, kind: function.native, source: file://@LIB@, method: add, pool: {type: fault_drop}}
  - name: i_throw
    kind: function.native
    source: file://@LIB@
    method: add
    meta: {options: {fault_throw: {}}}
  - {name: k_count, kind: test.fault.kind, method: count}
  - name: i_twice
    kind: test.fault.kind
    method: count
    meta: {options: {fault_twice: {}}}
  - name: i_twice_nested
    kind: function.native
    source: file://@LIB@
    method: add_via
    meta: {options: {fault_twice: {}}}
  - name: i_null
    kind: function.native
    source: file://@LIB@
    method: add
    pool: {workers: 1}
    meta: {options: {fault_null: {}}}
  - name: i_badargs
    kind: function.native
    source: file://@LIB@
    method: add
    meta: {options: {fault_badargs: {}}}
)";

class KernelPluginFault : public ::testing::Test {
protected:
    void SetUp() override { load(kFaultRegistry); }

    void load(const std::string& yaml) {
        RuntimeOptions o = default_options();
        o.plugin_path.push_back(fault_dir());
        rt = std::make_shared<Runtime>(o);
        fs::path dir = scratch_dir("fault");
        write_file(dir / "registry.yaml", with_lib(yaml));
        auto errs = rt->load(dir);
        ASSERT_TRUE(errs.empty()) << format_all(errs);
    }

    /// The call on another thread, given at most `limit` to return: nullopt when it hangs.
    /// The thread holds the runtime until the call returns, so a hung call leaks it
    /// rather than having it freed underneath; a returned one is joined, which lets go of it.
    std::optional<CallResult> call_within(const std::string& id, Value args, CallOptions o = {},
                                          std::chrono::seconds limit = 20s) {
        auto call = [rt = rt, id, args = std::move(args), o = std::move(o)] { return rt->call(id, args, o); };
        return modrt::test::run_within(std::move(call), limit);
    }

    /// The runtime answers healthy calls on the caller's thread and on a worker.
    void expect_still_serving() {
        for (const char* id : {"kt:ok", "kt:ok_static"}) {
            auto r = rt->call(id, array_of({Value::integer(2), Value::integer(3)}));
            ASSERT_TRUE(r.ok()) << id << ": " << r.error->message;
            EXPECT_EQ(r.value.scalar.i, 5) << id;
        }
    }

    /// The call failed with `kind`, and the message names `plugin` and its file.
    static void expect_names(const CallResult& r, modrt_error_kind kind, const std::string& plugin,
                             const std::string& stem) {
        ASSERT_FALSE(r.ok()) << "the faulty call succeeded";
        EXPECT_EQ(r.error->kind, kind) << r.error->message;
        KT_EXPECT_CONTAINS(r.error->message, plugin);
        KT_EXPECT_CONTAINS(r.error->message, fault_file(stem));
    }

    std::shared_ptr<Runtime> rt;
};

Value no_args() { return Value::array(); }

// -- function kinds ---------------------------------------------------------

TEST_F(KernelPluginFault, KindThatThrowsFailsNamingThePlugin) {
    for (const char* id : {"kt:k_throws", "kt:k_throws_int", "kt:k_throws_static"}) {
        SCOPED_TRACE(id);
        auto r = rt->call(id, no_args());
        expect_names(r, MODRT_ERR_INTERNAL, "test.fault.kind", "faulty_kind");
        KT_EXPECT_CONTAINS(r.error->message, "invoke threw an exception");
    }
    expect_still_serving();
}

TEST_F(KernelPluginFault, KindThatThrowsUnderANestedCallFailsOnlyThatCall) {
    // Synchronously through a native caller, and asynchronously on a worker through a future.
    auto sync = rt->call("kt:call_other", array_of({Value::string("kt:k_throws"), no_args()}));
    expect_names(sync, MODRT_ERR_INTERNAL, "test.fault.kind", "faulty_kind");
    auto async = rt->call("kt:wait_child", array_of({Value::string("kt:k_throws_static"), Value::integer(0)}));
    expect_names(async, MODRT_ERR_INTERNAL, "test.fault.kind", "faulty_kind");
    expect_still_serving();
}

TEST_F(KernelPluginFault, ErrorOfAKindThatDoesNotExistBecomesUnknownNamingThePlugin) {
    for (const char* id : {"kt:k_bogus", "kt:k_bogus_static"}) {
        SCOPED_TRACE(id);
        auto r = rt->call(id, no_args());
        expect_names(r, MODRT_ERR_UNKNOWN, "test.fault.kind", "faulty_kind");
        KT_EXPECT_CONTAINS(r.error->message, "invalid kind 999");
        KT_EXPECT_CONTAINS(r.error->message, "made-up kind");  // the plugin's own words survive
    }
    // Through a future: the kind is valid by the time the error is copied to the caller.
    auto async = rt->call("kt:wait_child", array_of({Value::string("kt:k_bogus_static"), Value::integer(0)}));
    expect_names(async, MODRT_ERR_UNKNOWN, "test.fault.kind", "faulty_kind");
    expect_still_serving();
}

TEST_F(KernelPluginFault, KindThatWritesNoResultReturnsNil) {
    // Not a fault: the kernel resets the result slot, so "nothing written" reads as nil.
    auto r = rt->call("kt:k_no_result", no_args());
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.type, MODRT_NIL);
}

TEST_F(KernelPluginFault, ErrorWinsOverAResultWrittenBeforeIt) {
    for (const char* id : {"kt:k_error_and_result", "kt:k_error_and_result_static"}) {
        auto r = rt->call(id, no_args());
        ASSERT_FALSE(r.ok()) << id;
        EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
        // A function's own error is its value: passed through unchanged, not attributed.
        EXPECT_EQ(r.error->message, "failed after writing a result");
    }
    // A future carries the error only: the half-written result is not handed out.
    auto async = rt->call("kt:wait_child",
                          array_of({Value::string("kt:k_error_and_result_static"), Value::integer(0)}));
    ASSERT_FALSE(async.ok());
    EXPECT_EQ(async.value.type, MODRT_NIL);
    expect_still_serving();
}

TEST_F(KernelPluginFault, OddButLegalValuesArriveIntact) {
    auto r = rt->call("kt:k_odd", no_args());
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_EQ(r.value.type, MODRT_MAP);
    const std::string raw("a\0\xff\xfez", 5);
    EXPECT_EQ(r.value.find("bad_utf8")->str, raw);
    EXPECT_EQ(r.value.find("bytes")->type, MODRT_BYTES);
    EXPECT_TRUE(std::isnan(r.value.find("nan")->scalar.n));
    EXPECT_TRUE(std::isinf(r.value.find("inf")->scalar.n));
    EXPECT_EQ(r.value.find("dup")->scalar.i, 2);
    EXPECT_EQ(r.value.keys.size(), 8u);  // "dup" once
    const Value* deep = r.value.find("deep");
    for (int i = 0; i < 64 && deep; ++i) deep = deep->items.empty() ? nullptr : &deep->items[0];
    ASSERT_NE(deep, nullptr);
    EXPECT_EQ(deep->scalar.i, 64);
}

// -- pools ------------------------------------------------------------------

TEST_F(KernelPluginFault, PoolWhoseSubmitThrowsFailsNamingThePlugin) {
    auto sync = rt->call("kt:p_throw", array_of({Value::integer(1), Value::integer(2)}));
    expect_names(sync, MODRT_ERR_INTERNAL, "test.fault.pool", "faulty_pool");
    KT_EXPECT_CONTAINS(sync.error->message, "submit threw an exception");
    // call_async submits too: the start fails, and so does the caller that waited for it.
    auto async = rt->call("kt:wait_child", array_of({Value::string("kt:p_throw"), Value::integer(0)}));
    expect_names(async, MODRT_ERR_INTERNAL, "test.fault.pool", "faulty_pool");
    expect_still_serving();
}

TEST_F(KernelPluginFault, PoolThatRefusesFailsNamingThePool) {
    auto r = rt->call("kt:p_refuse", array_of({Value::integer(1), Value::integer(2)}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_UNAVAILABLE);  // the pool's kind is kept
    KT_EXPECT_CONTAINS(r.error->message, "test.fault.pool");
    KT_EXPECT_CONTAINS(r.error->message, "no capacity");
    expect_still_serving();
}

TEST_F(KernelPluginFault, PoolThatDropsWithoutAReasonFailsNamingTheEntry) {
    // The kernel's drop hook does not know the pool (call_task.cpp), so the entry is named.
    auto r = rt->call("kt:p_drop", array_of({Value::integer(1), Value::integer(2)}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_UNAVAILABLE);
    KT_EXPECT_CONTAINS(r.error->message, "pool dropped the call to 'kt:p_drop'");
    expect_still_serving();
}

TEST_F(KernelPluginFault, PoolThatNeverRunsTheTaskIsEndedByTheDeadline) {
    // What the kernel guarantees: a deadline ends the wait of a queued call. With no
    // deadline and no cancellation a caller waits until the runtime shuts down.
    CallOptions o;
    o.timeout = 50ms;
    auto start = std::chrono::steady_clock::now();
    auto r = call_within("kt:p_blackhole", array_of({Value::integer(1), Value::integer(2)}), o);
    ASSERT_TRUE(r.has_value()) << "the call hung past its deadline";
    EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error->kind, MODRT_ERR_TIMEOUT) << r->error->message;
    KT_EXPECT_CONTAINS(r->error->message, "'kt:p_blackhole' was queued");
    expect_still_serving();
}

TEST_F(KernelPluginFault, AsyncCallOnAPoolThatNeverRunsItIsEndedByTheWaitersDeadline) {
    CallOptions o;
    o.timeout = 50ms;
    auto r = call_within("kt:wait_child", array_of({Value::string("kt:p_blackhole"), Value::integer(0)}), o);
    ASSERT_TRUE(r.has_value()) << "the wait hung past its deadline";
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error->kind, MODRT_ERR_TIMEOUT) << r->error->message;
    KT_EXPECT_CONTAINS(r->error->message, "waiting for 'kt:p_blackhole'");
    expect_still_serving();
    // Destroying the runtime makes the pool drop what it still holds (the abandoned
    // synchronous task and the canceled future): nothing leaks (ASan), nothing crashes.
    rt.reset();
}

// -- interceptors -----------------------------------------------------------

TEST_F(KernelPluginFault, InterceptorThatThrowsFailsNamingThePlugin) {
    auto r = rt->call("kt:i_throw", array_of({Value::integer(1), Value::integer(2)}));
    expect_names(r, MODRT_ERR_INTERNAL, "test.fault.interceptor", "faulty_interceptor");
    KT_EXPECT_CONTAINS(r.error->message, "intercept threw an exception");
    expect_still_serving();
}

TEST_F(KernelPluginFault, InterceptorWhoseCreateThrowsIsARegistryErrorNamingThePlugin) {
    Runtime fresh([] {
        RuntimeOptions o = default_options();
        o.plugin_path.push_back(fault_dir());
        return o;
    }());
    fs::path dir = scratch_dir("create_throws");
    write_file(dir / "registry.yaml", with_lib("version: \"1.0\"\nnamespace: kt\nentries:\n"
                                               "  - {name: f, kind: function.native, source: file://@LIB@, method: add,"
                                               " meta: {options: {fault_create: {}}}}\n"));
    std::string errs = format_all(fresh.load(dir));  // must not throw out of load
    KT_EXPECT_CONTAINS(errs,
                       "test.fault.interceptor (" + fault_file("faulty_interceptor") + "): interceptor create threw");
    auto r = fresh.call("kt:f", array_of({Value::integer(1), Value::integer(2)}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_UNAVAILABLE);  // the entry did not load
}

TEST_F(KernelPluginFault, StatsAndDestroyHooksThatThrowCostOnlyTheirAnswer) {
    // Off the call path, a throwing hook is logged: stats read as unknown, destroy leaks
    // what it failed to free, and the runtime keeps serving and then lets go of the rest.
    auto fresh = std::make_unique<Runtime>([] {
        RuntimeOptions o = default_options();
        o.plugin_path.push_back(fault_dir());
        return o;
    }());
    fs::path dir = scratch_dir("hooks_throw");
    write_file(dir / "registry.yaml", with_lib("version: \"1.0\"\nnamespace: kt\nentries:\n"
                                               "  - {name: f, kind: function.native, source: file://@LIB@, method: add,"
                                               " pool: {type: fault_hooks}, meta: {options: {fault_hooks: {}}}}\n"));
    auto errs = fresh->load(dir);
    ASSERT_TRUE(errs.empty()) << format_all(errs);
    for (int i = 0; i < 3; ++i) {
        auto r = fresh->call("kt:f", array_of({Value::integer(2), Value::integer(3)}));
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(r.value.scalar.i, 5);
    }
    bool seen = false;
    for (const auto& p : fresh->pool_stats())
        if (p.id == "kt:f") {
            seen = true;
            EXPECT_EQ(p.type, "fault_hooks");
            EXPECT_EQ(p.stats.completed, 0u);  // the pool's own counters are unknown: zeros
            EXPECT_EQ(p.stats.busy, 0u);       // the kernel's count: nothing in flight
        }
    EXPECT_TRUE(seen) << "kt:f's pool is missing from pool_stats()";
    for (const auto& s : fresh->interceptor_stats())
        EXPECT_NE(s.interceptor, "interceptor.fault_hooks") << "a stats hook that threw reported something";
    fresh.reset();  // both destroy hooks throw: logged, not fatal
    expect_still_serving();
}

TEST_F(KernelPluginFault, InterceptorCallingNextTwiceRunsTheFunctionTwice) {
    // Allowed by the ABI (a retry does it): the function runs twice, the second run's result is the call's.
    auto before = rt->call("kt:k_count", no_args());
    ASSERT_TRUE(before.ok()) << before.error->message;
    auto twice = rt->call("kt:i_twice", no_args());
    ASSERT_TRUE(twice.ok()) << twice.error->message;
    EXPECT_EQ(twice.value.scalar.i, before.value.scalar.i + 2);
    auto after = rt->call("kt:k_count", no_args());
    EXPECT_EQ(after.value.scalar.i, before.value.scalar.i + 3);
    // Nested calls made by both runs, the second one failing: its error is the call's.
    auto nested = rt->call("kt:i_twice_nested",
                           array_of({Value::string("kt:ok"), Value::integer(4), Value::integer(5)}));
    ASSERT_TRUE(nested.ok()) << nested.error->message;
    EXPECT_EQ(nested.value.scalar.i, 1009);
    auto failing = rt->call("kt:i_twice_nested",
                            array_of({Value::string("kt:k_throws"), Value::integer(0), Value::integer(0)}));
    expect_names(failing, MODRT_ERR_INTERNAL, "test.fault.kind", "faulty_kind");
    expect_still_serving();
}

TEST_F(KernelPluginFault, InterceptorPassingANullResultSlotFailsNamingThePlugin) {
    auto r = rt->call("kt:i_null", array_of({Value::integer(1), Value::integer(2)}));
    expect_names(r, MODRT_ERR_INTERNAL, "test.fault.interceptor", "faulty_interceptor");
    KT_EXPECT_CONTAINS(r.error->message, "interceptor.fault_null called next with a null result slot");
    expect_still_serving();
}

TEST_F(KernelPluginFault, InterceptorPassingArgumentsThatAreNotAnArrayFailsNamingThePlugin) {
    auto r = rt->call("kt:i_badargs", array_of({Value::integer(1), Value::integer(2)}));
    expect_names(r, MODRT_ERR_INTERNAL, "test.fault.interceptor", "faulty_interceptor");
    KT_EXPECT_CONTAINS(r.error->message, "arguments that are not an array");
    expect_still_serving();
}

// -- contract providers -----------------------------------------------------

constexpr const char* kContractRegistry = R"(version: "1.0"
namespace: kt
entries:
  - {name: provider, kind: @PROVIDER@}
  - {name: ok, kind: function.native, source: file://@LIB@, method: add}
  - {name: ok_static, kind: function.native, source: file://@LIB@, method: add, pool: {workers: 1}}
  - {name: guarded_in, kind: function.native, source: file://@LIB@, method: add}
  - {name: guarded_out, kind: function.native, source: file://@LIB@, method: add, pool: {workers: 1}}
  - {name: wait_child, kind: function.native, source: file://@LIB@, method: wait_child}
)";

std::string contract_registry(const std::string& provider) {
    std::string text = kContractRegistry;
    text.replace(text.find("@PROVIDER@"), 10, provider);
    return text;
}

TEST_F(KernelPluginFault, ContractValidationThatThrowsFailsNamingThePlugin) {
    load(contract_registry("test.fault.contract"));
    auto in = rt->call("kt:guarded_in", array_of({Value::integer(1), Value::integer(2)}));
    expect_names(in, MODRT_ERR_INTERNAL, "test.fault.contract", "faulty_contract");
    KT_EXPECT_CONTAINS(in.error->message, "validate_input threw an exception");
    auto out = rt->call("kt:guarded_out", array_of({Value::integer(1), Value::integer(2)}));
    expect_names(out, MODRT_ERR_INTERNAL, "test.fault.contract", "faulty_contract");
    KT_EXPECT_CONTAINS(out.error->message, "validate_output threw an exception");
    // On a worker thread, inside an asynchronous call: an exception there would end the process.
    auto async = rt->call("kt:wait_child", array_of({Value::string("kt:guarded_in"), Value::integer(0)}));
    expect_names(async, MODRT_ERR_INTERNAL, "test.fault.contract", "faulty_contract");
    expect_still_serving();
}

TEST_F(KernelPluginFault, ContractProviderWithoutValidateHooksValidatesNothing) {
    // NULL hooks mean "not provided" (abi.h): calls go on as if no contract covered them.
    load(contract_registry("test.fault.contract_null"));
    auto r = rt->call("kt:guarded_in", array_of({Value::integer(1), Value::integer(2)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.scalar.i, 3);
    expect_still_serving();
}

// -- triggers ---------------------------------------------------------------

/// A runtime with the fault plugins and one test.fault.trigger entry of `mode` (kt:t, line 4).
std::unique_ptr<Runtime> fault_trigger_runtime(const std::string& mode, std::string& errors) {
    RuntimeOptions o = default_options();
    o.plugin_path.push_back(fault_dir());
    auto rt = std::make_unique<Runtime>(o);
    fs::path dir = scratch_dir("trigger_" + mode);
    write_file(dir / "registry.yaml", "version: \"1.0\"\nnamespace: kt\nentries:\n"
                                      "  - name: t\n"
                                      "    kind: test.fault.trigger\n"
                                      "    mode: " +
                                          mode +
                                          "\n"
                                          "    port: 1\n");
    errors = format_all(rt->load(dir));
    return rt;
}

TEST(KernelTriggerFault, StartThatThrowsIsAStartErrorNamingThePlugin) {
    std::string load_errors;
    auto rt = fault_trigger_runtime("start_throws", load_errors);
    ASSERT_EQ(load_errors, "");
    auto errors = rt->start_triggers();
    ASSERT_EQ(errors.size(), 1u);
    KT_EXPECT_CONTAINS(errors[0].message,
                       "test.fault.trigger (" + fault_file("faulty_trigger") + "): trigger start threw");
    KT_EXPECT_CONTAINS(errors[0].message, "start exploded");
    EXPECT_FALSE(rt->triggers().at(0).running);
}

TEST(KernelTriggerFault, StartErrorPointsAtItsField) {
    std::string load_errors;
    auto rt = fault_trigger_runtime("start_fails", load_errors);
    ASSERT_EQ(load_errors, "");
    auto errors = rt->start_triggers();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 7);  // `port:`
    EXPECT_EQ(errors[0].message, "start: port 1 is taken");
}

TEST(KernelTriggerFault, StopAndDestroyThatThrowAreLoggedNotFatal) {
    std::string load_errors;
    auto rt = fault_trigger_runtime("stop_throws", load_errors);
    ASSERT_EQ(load_errors, "");
    ASSERT_TRUE(rt->start_triggers().empty());
    EXPECT_TRUE(rt->triggers().at(0).running);
    rt->stop_triggers();
    EXPECT_FALSE(rt->triggers().at(0).running);
    rt.reset();  // destroy throws: logged
}

TEST(KernelTriggerFault, CreateThatThrowsIsARegistryError) {
    std::string load_errors;
    auto rt = fault_trigger_runtime("create_throws", load_errors);
    KT_EXPECT_CONTAINS(load_errors, "registry.yaml:4");
    KT_EXPECT_CONTAINS(load_errors, "trigger create threw");
    EXPECT_TRUE(rt->start_triggers().empty());  // the entry did not load: nothing to start
}

}  // namespace
}  // namespace kt
