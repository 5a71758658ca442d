// The call path: id validation, lookup, non-callable entries, depth limit,
// deadlines, and what a function sees of its frame (context, actor, scope).
#include "kernel_test_util.hpp"

#include <chrono>
#include <thread>

namespace kt {
namespace {

using modrt::kernel::CallOptions;
using namespace std::chrono_literals;

const char* kDispatchRegistry = R"(version: "1.0"
namespace: d
entries:
  - name: add
    kind: function.native
    source: file://@LIB@
    method: add
  - name: data
    kind: test.data
  - name: recurse
    kind: function.native
    source: file://@LIB@
    method: recurse
  - name: wait_cancel
    kind: function.native
    source: file://@LIB@
    method: wait_cancel
  - name: deadline
    kind: function.native
    source: file://@LIB@
    method: deadline
  - name: stoppable
    kind: function.native
    source: file://@LIB@
    method: stoppable
  - name: context
    kind: function.native
    source: file://@LIB@
    method: context
  - name: whole_context
    kind: function.native
    source: file://@LIB@
    method: whole_context
  - name: actor
    kind: function.native
    source: file://@LIB@
    method: actor
  - name: scope
    kind: function.native
    source: file://@LIB@
    method: scope
  - name: target
    kind: function.native
    source: file://@LIB@
    method: target
  - name: call
    kind: function.native
    source: file://@LIB@
    method: call_other
  - name: call_with
    kind: function.native
    source: file://@LIB@
    method: call_with
  - name: runs
    kind: function.native
    source: file://@LIB@
    method: runs
  - name: runs_pool
    kind: function.native
    source: file://@LIB@
    method: runs
    pool: {workers: 1}
)";

class KernelDispatch : public ::testing::Test {
protected:
    void SetUp() override {
        fs::path dir = scratch_dir("dispatch");
        write_file(dir / "d.yaml", with_lib(kDispatchRegistry));
        rt_ = std::make_unique<Runtime>(default_options());
        auto errs = rt_->load(dir);
        ASSERT_TRUE(errs.empty()) << format_all(errs);
    }
    std::unique_ptr<Runtime> rt_;
};

TEST_F(KernelDispatch, EmptyIdIsInvalid) {
    auto r = rt_->call("", Value::array());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
}

TEST_F(KernelDispatch, IdWithoutColonIsInvalid) {
    for (std::string_view id : {"nocolon", ":name", "ns:", "a:b:c"}) {
        auto r = rt_->call(id, Value::array());
        ASSERT_FALSE(r.ok()) << id;
        EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID) << id;
        KT_EXPECT_CONTAINS(r.error->message, "namespace:name");
    }
}

TEST_F(KernelDispatch, UnknownIdIsNotFound) {
    auto r = rt_->call("d:nope", Value::array());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_NOT_FOUND);
    KT_EXPECT_CONTAINS(r.error->message, "d:nope");
}

TEST_F(KernelDispatch, NonCallableEntryIsInvalid) {
    auto r = rt_->call("d:data", Value::array());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    KT_EXPECT_CONTAINS(r.error->message, "test.data");
}

TEST_F(KernelDispatch, ArgsMustBeAnArray) {
    auto r = rt_->call("d:add", Value::map());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    KT_EXPECT_CONTAINS(r.error->message, "array");
}

TEST_F(KernelDispatch, UnboundedRecursionHitsTheDepthLimit) {
    auto r = rt_->call("d:recurse", Value::array());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    KT_EXPECT_CONTAINS(r.error->message, "depth");
    // The runtime is still fine afterwards.
    auto ok = rt_->call("d:add", array_of({Value::integer(1), Value::integer(1)}));
    EXPECT_TRUE(ok.ok());
}

// runs([true]) reports how often runs() ran, without running itself.
int64_t dispatch_runs_so_far(Runtime& rt) {
    auto r = rt.call("d:runs", array_of({Value::boolean(true)}));
    EXPECT_TRUE(r.ok()) << r.error->message;
    return r.ok() ? r.value.scalar.i : -1;
}

TEST_F(KernelDispatch, ExpiredTimeoutIsTimeoutBeforeRunning) {
    for (const char* id : {"d:runs", "d:runs_pool"}) {
        const int64_t before = dispatch_runs_so_far(*rt_);
        CallOptions o;
        o.timeout = 1ns;
        std::this_thread::sleep_for(1ms);
        auto r = rt_->call(id, array_of({Value::boolean(false)}), o);
        ASSERT_FALSE(r.ok()) << id;
        EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT) << id;
        EXPECT_TRUE(r.error->retryable) << id;
        EXPECT_EQ(dispatch_runs_so_far(*rt_), before) << id << " ran although its deadline had passed";
        // The same function runs (and is counted) with time to spare: the counter works.
        auto ok = rt_->call(id, array_of({Value::boolean(false)}));
        ASSERT_TRUE(ok.ok()) << id << ": " << ok.error->message;
        EXPECT_EQ(dispatch_runs_so_far(*rt_), before + 1) << id;
    }
}

TEST_F(KernelDispatch, CanceledBeforeTheCallIsCanceledBeforeRunning) {
    for (const char* id : {"d:runs", "d:runs_pool"}) {
        const int64_t before = dispatch_runs_so_far(*rt_);
        CallOptions o;
        o.canceler = std::make_shared<modrt::kernel::CallCanceler>();
        o.canceler->cancel();
        auto r = rt_->call(id, array_of({Value::boolean(false)}), o);
        ASSERT_FALSE(r.ok()) << id;
        EXPECT_EQ(r.error->kind, MODRT_ERR_CANCELED) << id;
        EXPECT_EQ(dispatch_runs_so_far(*rt_), before) << id << " ran although its call was canceled";
    }
}

TEST_F(KernelDispatch, RunningFunctionSeesItsDeadlinePass) {
    CallOptions o;
    o.timeout = 30ms;
    auto start = std::chrono::steady_clock::now();
    auto r = rt_->call("d:wait_cancel", array_of({Value::integer(5000)}), o);
    auto took = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT);
    EXPECT_LT(took, 3s);
}

TEST_F(KernelDispatch, CancelerStopsARunningCallFromAnotherThread) {
    CallOptions o;
    o.canceler = std::make_shared<modrt::kernel::CallCanceler>();
    std::thread canceler([c = o.canceler] {
        std::this_thread::sleep_for(50ms);
        c->cancel();
    });
    auto start = std::chrono::steady_clock::now();
    auto r = rt_->call("d:call", array_of({Value::string("d:wait_cancel"), array_of({Value::integer(10000)})}), o);
    auto took = std::chrono::steady_clock::now() - start;
    canceler.join();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_CANCELED);
    EXPECT_EQ(r.error->message, "observed cancellation");  // the nested call saw it while running
    EXPECT_LT(took, 5s);
    EXPECT_TRUE(o.canceler->canceled());
}

TEST_F(KernelDispatch, CancelerUsedBeforeTheCallFailsItAtOnce) {
    CallOptions o;
    o.canceler = std::make_shared<modrt::kernel::CallCanceler>();
    o.canceler->cancel();
    auto r = rt_->call("d:wait_cancel", array_of({Value::integer(10000)}), o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_CANCELED);
    EXPECT_NE(r.error->message.find("before 'd:wait_cancel' ran"), std::string::npos) << r.error->message;
}

TEST_F(KernelDispatch, NoTimeoutMeansNoDeadline) {
    auto r = rt_->call("d:deadline", Value::array());
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.scalar.i, 0);
    auto w = rt_->call("d:wait_cancel", array_of({Value::integer(5)}));
    ASSERT_TRUE(w.ok()) << w.error->message;
    EXPECT_EQ(w.value.str, "not canceled");
}

// frame_stoppable: what a kind reads to decide whether to watch for cancellation while it runs.
TEST_F(KernelDispatch, OnlyACallSomethingCanStopIsStoppable) {
    auto stoppable = [&](const Value& args, const CallOptions& o) {
        auto r = rt_->call("d:call", args, o);
        EXPECT_TRUE(r.ok()) << r.error->message;
        return r.ok() && r.value == Value::boolean(true);
    };
    Value direct = array_of({Value::string("d:stoppable"), Value::array()});
    EXPECT_FALSE(stoppable(direct, CallOptions{}));  // nothing above it can cancel it, no deadline
    CallOptions timed;
    timed.timeout = 10s;
    EXPECT_TRUE(stoppable(direct, timed));
    CallOptions cancelable;
    cancelable.canceler = std::make_shared<modrt::kernel::CallCanceler>();
    EXPECT_TRUE(stoppable(direct, cancelable));
    // A nested call with its own timeout, under a caller nothing can stop.
    Value nested_timed = array_of(
        {Value::string("d:call_with"), array_of({Value::string("d:stoppable"), Value::array(), Value::map(),
                                                 Value::string(""), Value::integer(10'000'000'000)})});
    EXPECT_TRUE(stoppable(nested_timed, CallOptions{}));
}

TEST_F(KernelDispatch, NestedCallInheritsTheDeadline) {
    CallOptions o;
    o.timeout = 30ms;
    auto r = rt_->call("d:call", array_of({Value::string("d:wait_cancel"), array_of({Value::integer(5000)})}), o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT);
}

TEST_F(KernelDispatch, NestedTimeoutCannotExtendTheParentDeadline) {
    CallOptions o;
    o.timeout = 10s;
    // child asks for 20 ms: the shorter one wins
    auto r = rt_->call("d:call_with",
                       array_of({Value::string("d:wait_cancel"), array_of({Value::integer(5000)}), Value::map(),
                                 Value::string(""), Value::integer(20'000'000)}),
                       o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_TIMEOUT);
}

TEST_F(KernelDispatch, ContextIsVisibleToTheFunction) {
    CallOptions o;
    o.context.insert("user") = Value::string("bob");
    o.context.insert("n") = Value::integer(3);
    auto r = rt_->call("d:context", array_of({Value::string("user")}), o);
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::string("bob"));
    auto missing = rt_->call("d:context", array_of({Value::string("absent")}), o);
    ASSERT_TRUE(missing.ok());
    EXPECT_EQ(missing.value.type, MODRT_NIL);
}

TEST_F(KernelDispatch, ContextIsInheritedAndMergedByNestedCalls) {
    CallOptions o;
    o.context.insert("user") = Value::string("bob");
    o.context.insert("tenant") = Value::string("t1");
    Value child_ctx = Value::map();
    child_ctx.insert("tenant") = Value::string("t2");
    child_ctx.insert("extra") = Value::boolean(true);
    auto r = rt_->call("d:call_with",
                       array_of({Value::string("d:whole_context"), Value::array(), child_ctx, Value::string(""),
                                 Value::integer(0)}),
                       o);
    ASSERT_TRUE(r.ok()) << r.error->message;
    Value want = Value::map();
    want.insert("user") = Value::string("bob");
    want.insert("tenant") = Value::string("t2");
    want.insert("extra") = Value::boolean(true);
    EXPECT_EQ(r.value, want);
    // Plain nested call: inherited unchanged.
    auto plain = rt_->call("d:call", array_of({Value::string("d:context"), array_of({Value::string("tenant")})}), o);
    ASSERT_TRUE(plain.ok()) << plain.error->message;
    EXPECT_EQ(plain.value, Value::string("t1"));
}

TEST_F(KernelDispatch, ActorIsVisibleToTheFunction) {
    CallOptions o;
    o.actor_id = "alice";
    o.actor_meta.insert("role") = Value::string("admin");
    auto r = rt_->call("d:actor", Value::array(), o);
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_EQ(r.value.type, MODRT_MAP);
    EXPECT_EQ(r.value.find("id")->str, "alice");
    EXPECT_EQ(r.value.find("meta")->find("role")->str, "admin");
    // ...and to nested calls.
    auto nested = rt_->call("d:call", array_of({Value::string("d:actor"), Value::array()}), o);
    ASSERT_TRUE(nested.ok()) << nested.error->message;
    EXPECT_EQ(nested.value.find("id")->str, "alice");
}

TEST_F(KernelDispatch, AnonymousCallerHasNoActor) {
    auto r = rt_->call("d:actor", Value::array());
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.type, MODRT_NIL);
}

TEST_F(KernelDispatch, ScopeIsVisibleAndOverridable) {
    CallOptions o;
    o.scope = "admin-zone";
    auto r = rt_->call("d:scope", Value::array(), o);
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.str, "admin-zone");
    auto child = rt_->call("d:call_with",
                           array_of({Value::string("d:scope"), Value::array(), Value::map(), Value::string("inner"),
                                     Value::integer(0)}),
                           o);
    ASSERT_TRUE(child.ok()) << child.error->message;
    EXPECT_EQ(child.value.str, "inner");
}

TEST_F(KernelDispatch, TargetIsTheCalledId) {
    auto r = rt_->call("d:target", Value::array());
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.str, "d:target");
}

TEST_F(KernelDispatch, AFoundFunctionCallsAsItsIdDoes) {
    modrt::kernel::FunctionRef add = rt_->find("d:add");
    ASSERT_TRUE(add);
    EXPECT_EQ(add.id(), "d:add");
    Value args = Value::array();
    args.push() = Value::integer(20);
    args.push() = Value::integer(22);
    for (int n = 0; n < 3; ++n) {
        auto r = rt_->call(add, args);
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(r.value.scalar.i, 42);
    }
    auto bad = rt_->call(add, Value::map());  // the same checks as a call by id
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error->kind, MODRT_ERR_INVALID);
    // Through a ref, the function still sees the call it is in.
    auto target = rt_->call(rt_->find("d:target"), Value::array());
    ASSERT_TRUE(target.ok()) << target.error->message;
    EXPECT_EQ(target.value.str, "d:target");
}

TEST_F(KernelDispatch, WhatCannotBeCalledIsNotFoundAndSaysWhy) {
    modrt::kernel::ErrorPtr why;
    modrt::kernel::FunctionRef nope = rt_->find("d:nope", &why);
    EXPECT_FALSE(nope);
    ASSERT_TRUE(why);
    EXPECT_EQ(why->kind, MODRT_ERR_NOT_FOUND);
    auto r = rt_->call(nope, Value::array());  // fails as the id does
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_NOT_FOUND);
    KT_EXPECT_CONTAINS(r.error->message, "d:nope");
    EXPECT_FALSE(rt_->find("d:data", &why));
    EXPECT_EQ(why->kind, MODRT_ERR_INVALID);
    auto empty = rt_->call(modrt::kernel::FunctionRef{}, Value::array());
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error->kind, MODRT_ERR_INVALID);
}

TEST_F(KernelDispatch, ARefOfAnotherRuntimeIsRefused) {
    fs::path dir = scratch_dir("other");
    write_file(dir / "d.yaml", with_lib(kDispatchRegistry));
    Runtime other(default_options());
    ASSERT_TRUE(other.load(dir).empty());
    auto r = other.call(rt_->find("d:add"), Value::array());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    KT_EXPECT_CONTAINS(r.error->message, "another runtime");
}

}  // namespace
}  // namespace kt

namespace kt {
namespace {

// An entry whose kind accepted it but whose binding then failed (entry_create error,
// bad pool) stays in the runtime. Calling it must return an error, not crash.
// Such an entry once kept `kind` set and `pool` null, and the call path dereferenced the
// pool; now binding records why it failed (Entry::load_error, binding/binder.cpp) and
// resolve_callable refuses the entry. Each call runs in a child process, so a regression
// to a crash fails this test only.
void expect_call_returns_error(const std::string& yaml, const std::string& id) {
    fs::path dir = scratch_dir("halfbound");
    write_file(dir / "r.yaml", with_lib(yaml));
    EXPECT_EXIT(
        {
            Runtime rt(default_options());
            auto errs = rt.load(dir);
            if (errs.empty()) std::_Exit(3);  // the registry was meant to fail
            auto r = rt.call(id, Value::array());
            std::_Exit(r.ok() ? 4 : 0);
        },
        ::testing::ExitedWithCode(0), "")
        << "calling '" << id << "' after its load failed must return an error";
}

TEST(KernelDispatchRobustness, CallingAnEntryWhoseSymbolWasMissingReturnsAnError) {
    expect_call_returns_error("namespace: h\n"
                              "entries:\n"
                              "  - name: ghost\n"
                              "    kind: function.native\n"
                              "    source: file://@LIB@\n"
                              "    method: no_such_symbol\n",
                              "h:ghost");
}

TEST(KernelDispatchRobustness, CallingAnEntryWhosePoolFailedReturnsAnError) {
    expect_call_returns_error("namespace: h\n"
                              "entries:\n"
                              "  - name: badpool\n"
                              "    kind: function.native\n"
                              "    source: file://@LIB@\n"
                              "    method: add\n"
                              "    pool: {type: nosuch}\n",
                              "h:badpool");
}

TEST(KernelDispatchRobustness, CallingAnEntryWhoseKindIsMissingReturnsAnError) {
    expect_call_returns_error("namespace: h\n"
                              "entries:\n"
                              "  - name: cobol\n"
                              "    kind: function.cobol\n",
                              "h:cobol");
}

}  // namespace
}  // namespace kt
