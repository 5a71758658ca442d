// function.lua: the sandbox, per-call globals, require and imports.
#include "lua_test_util.hpp"

#include <atomic>
#include <thread>
#include <vector>

using namespace lua_test;

class LuaSandbox : public BasicRegistry {};

TEST_F(LuaSandbox, DangerousGlobalsAreAbsent) {
    auto r = call("test.lua:sandbox");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& present = at(r.value, "present");
    ASSERT_EQ(present.type, MODRT_MAP);
    EXPECT_GE(present.keys.size(), 19u);
    for (size_t i = 0; i < present.keys.size(); ++i)
        EXPECT_EQ(present.items[i], Value::boolean(false)) << present.keys[i] << " is reachable";
    const Value& have = at(r.value, "have");
    for (size_t i = 0; i < have.keys.size(); ++i)
        EXPECT_EQ(have.items[i], Value::boolean(true)) << have.keys[i] << " is missing";
    EXPECT_EQ(at(r.value, "metatable_hidden"), Value::boolean(true));
}

TEST_F(LuaSandbox, RequireOfAnUnlistedModuleIsRefused) {
    auto r = call("test.lua:sandbox");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "require_ok"), Value::boolean(false));
    EXPECT_NE(at(r.value, "require_msg")
                  .str.find("module 'io' is not allowed for entry 'test.lua:sandbox' (add it to modules: or imports:)"),
              std::string::npos)
        << at(r.value, "require_msg").str;

    auto d = call("test.lua:no_require");  // a library imported by another entry, not by this one
    ASSERT_FALSE(d.ok());
    EXPECT_NE(d.error->message.find("module 'util' is not allowed for entry 'test.lua:no_require'"), std::string::npos)
        << d.error->message;
}

TEST_F(LuaSandbox, ListedHostModuleIsAValueNotData) {
    // require("funcs") works once listed; the module itself cannot leave the call as a value.
    auto r = call("test.lua:wants_funcs");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    EXPECT_NE(r.error->message.find("cannot convert a userdata"), std::string::npos) << r.error->message;
}

TEST_F(LuaSandbox, StdlibIsReadOnly) {
    auto r = call("test.lua:tamper");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_NE(at(r.value, "string_write").str.find("read-only table 'string'"), std::string::npos);
    // The proxies are userdata (issue 19 class 10): raw writers refuse them outright.
    EXPECT_NE(at(r.value, "rawset_string").str.find("bad argument #1 to 'rawset' (table expected, got userdata)"),
              std::string::npos)
        << at(r.value, "rawset_string").str;
    EXPECT_NE(at(r.value, "setmetatable_string").str.find("table expected, got userdata"), std::string::npos)
        << at(r.value, "setmetatable_string").str;
    EXPECT_NE(at(r.value, "errors_write").str.find("read-only table 'errors'"), std::string::npos);
    EXPECT_NE(at(r.value, "os_write").str.find("read-only table 'os'"), std::string::npos);
    EXPECT_EQ(at(r.value, "format_ok"), Value::boolean(true));
    EXPECT_NE(at(r.value, "gc").str.find("only \"count\""), std::string::npos);
    EXPECT_EQ(at(r.value, "gc_count"), str("number"));
    // And string.format still works for the next call.
    auto again = call("test.lua:tamper");
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(at(again.value, "format_ok"), Value::boolean(true));
}

TEST_F(LuaSandbox, GlobalsDoNotPersistBetweenCalls) {
    for (int i = 0; i < 5; ++i) {
        auto r = call("test.lua:globals");
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(at(r.value, "counter"), Value::integer(1)) << "call " << i;
        EXPECT_EQ(at(r.value, "seed"), Value::integer(100));  // module-level global stays
    }
}

TEST_F(LuaSandbox, ModuleLocalsArePerWorker) {
    auto first = call("test.lua:module_local");
    auto second = call("test.lua:module_local");
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_EQ(second.value.scalar.i, first.value.scalar.i + 1);
}

TEST_F(LuaSandbox, ImportedLibraryWorks) {
    auto r = call("test.lua:use_lib", args({str("bob")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "greeting"), str("HELLO BOB!"));  // util requires its own import strutil
    EXPECT_EQ(at(r.value, "same"), Value::boolean(true));   // loaded once per state
    EXPECT_EQ(at(r.value, "loads"), Value::integer(1));
    auto again = call("test.lua:use_lib", args({str("ann")}));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(at(again.value, "loads"), Value::integer(1));
}

TEST_F(LuaSandbox, LibraryEntriesAreNotCallable) {
    auto r = call("test.lua:util");
    EXPECT_FALSE(r.ok());
}

TEST_F(LuaSandbox, EachThreadHasItsOwnState) {
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 100; ++i) {
                auto r = rt_->call("test.lua:globals", Value::array());
                const Value* c = r.ok() ? r.value.find("counter") : nullptr;
                if (c == nullptr || !(*c == Value::integer(1))) ++failures;
                auto e = rt_->call("test.lua:use_lib", args({str("x")}));
                if (!e.ok()) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
}

TEST(LuaRuntimes, ANewRuntimeGetsFreshStates) {
    for (int round = 0; round < 3; ++round) {
        auto rt = make_runtime();
        auto errs = rt->load(fixture("basic"));
        ASSERT_TRUE(errs.empty()) << errs.front().format();
        auto r = rt->call("test.lua:module_local", Value::array());
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(r.value, Value::integer(1)) << "round " << round;
    }
}

// Issue 19 class 10: no standard function can write to the shared library proxies
// (raw writers included), and a later call of another entry sees nothing changed.
struct LuaReadOnlyFixtureDirs {
    static constexpr std::string_view dirs[] = {"hostile_a1/calls"};
};

class LuaReadOnlyProxies : public SharedRuntime<LuaReadOnlyFixtureDirs>,
                           public ::testing::WithParamInterface<const char*> {};

TEST_P(LuaReadOnlyProxies, EveryWriterFailsAndAnotherEntrySeesNothing) {
    CallResult w = call("hostile_a1:write", args({str(GetParam())}));
    ASSERT_TRUE(w.ok()) << w.error->message;
    const Value& succeeded = at(w.value, "succeeded");
    EXPECT_TRUE(succeeded.items.empty()) << GetParam() << ": these writers succeeded: " << json(succeeded);
    EXPECT_EQ(at(w.value, "hidden"), Value::boolean(true));
    // Inline pool: the same thread and lua_State run the other entry.
    CallResult o = call("hostile_a1:observe");
    ASSERT_TRUE(o.ok()) << o.error->message;
    EXPECT_TRUE(o.value.items.empty()) << "after writes to " << GetParam() << ": " << json(o.value);
}

INSTANTIATE_TEST_SUITE_P(Libraries, LuaReadOnlyProxies,
                         ::testing::Values("string", "math", "table", "bit", "coroutine", "os", "errors", "channel"));
