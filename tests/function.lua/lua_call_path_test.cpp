// function.lua: the two call paths (plugins/function.lua/vm/call_paths.cpp). A call whose arguments
// are all nil, booleans or numbers (and at most 16) takes the fast path, one
// lua_pcall; anything else, and the first call of an entry on a thread, the
// slow path. Both must give the same results, errors and globals behaviour.
#include "lua_test_util.hpp"

#include <cmath>

using namespace lua_test;

class LuaCallPath : public BasicRegistry {
protected:
    static CallResult fast(int64_t op, const Value& x) { return call("test.lua:fast", args({Value::integer(op), x})); }
    static CallResult fail_n(int64_t n) { return call("test.lua:fail_n", args({Value::integer(n)})); }
};

TEST_F(LuaCallPath, ScalarResults) {
    for (int round = 0; round < 2; ++round) {  // the first call loads the module (slow path)
        EXPECT_EQ(fast(0, Value::integer(7)).value, Value::integer(7));
        EXPECT_EQ(fast(1, Value::integer(3)).value, str("ababab"));
        EXPECT_EQ(fast(1, Value::integer(0)).value, str(""));
        EXPECT_EQ(fast(2, Value::integer(3)).value, Value::number(0.75));
        EXPECT_EQ(fast(2, Value::integer(8)).value, Value::integer(2));  // 2.0 is integral
        EXPECT_EQ(fast(3, Value::integer(0)).value, Value::boolean(true));
        EXPECT_EQ(fast(3, Value::number(0.5)).value, Value::boolean(false));
        auto n = fast(4, Value::integer(1));
        ASSERT_TRUE(n.ok());
        EXPECT_EQ(n.value.type, MODRT_NIL);
        auto big = fast(6, Value());
        ASSERT_TRUE(big.ok());
        EXPECT_EQ(big.value.type, MODRT_NUMBER);
        EXPECT_EQ(big.value.scalar.n, std::ldexp(1.0, 60));
    }
}

TEST_F(LuaCallPath, TableResultAfterScalarArguments) {
    auto r = fast(5, Value::integer(4));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, args({Value::integer(4), Value::integer(5)}));
}

TEST_F(LuaCallPath, UnconvertibleResultAfterScalarArguments) {
    auto r = fast(7, Value());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    EXPECT_NE(r.error->message.find("cannot convert a function"), std::string::npos) << r.error->message;
    EXPECT_EQ(r.value.type, MODRT_NIL);
    EXPECT_EQ(fast(0, Value::integer(1)).value, Value::integer(1));  // the state is fine
}

TEST_F(LuaCallPath, ScalarArgumentsArriveAsLuaValues) {
    auto r = call("test.lua:count", args({Value(), Value::boolean(true), Value::number(1.5), Value::integer(7),
                                          Value::integer(-(int64_t(1) << 53))}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const char* expected[] = {"nil", "boolean", "number", "number", "number"};
    ASSERT_EQ(r.value.items.size(), std::size(expected));
    for (size_t i = 0; i < std::size(expected); ++i) EXPECT_EQ(r.value.items[i], str(expected[i])) << i;
}

TEST_F(LuaCallPath, ArgumentCountAtTheFastPathLimitAndBeyond) {
    for (int n : {16, 17}) {
        Value a = Value::array();
        for (int i = 0; i < n; ++i) a.push() = Value::integer(i);
        auto r = call("test.lua:echo", a);
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(r.value, a) << n;
    }
}

TEST_F(LuaCallPath, StringArgumentsAndResultsTakeTheSlowPath) {
    for (int i = 0; i < 3; ++i) {
        auto r = call("test.lua:echo", args({str("hello")}));
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(r.value, str("hello"));
        auto mixed = call("test.lua:echo", args({Value::integer(1), str("two")}));
        ASSERT_TRUE(mixed.ok()) << mixed.error->message;
        EXPECT_EQ(mixed.value, args({Value::integer(1), str("two")}));
    }
}

TEST_F(LuaCallPath, RaisedErrorKeepsTraceback) {
    auto r = fail_n(1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INTERNAL);
    EXPECT_FALSE(r.error->retryable);
    EXPECT_NE(r.error->message.find("errors.lua:81: boom 1"), std::string::npos) << r.error->message;
    EXPECT_NE(r.error->stack.find("stack traceback"), std::string::npos) << r.error->stack;
    EXPECT_NE(r.error->stack.find("errors.lua:81"), std::string::npos) << r.error->stack;

    auto rt = fail_n(4);
    ASSERT_FALSE(rt.ok());
    EXPECT_NE(rt.error->message.find("errors.lua:84:"), std::string::npos) << rt.error->message;
    EXPECT_NE(rt.error->stack.find("errors.lua:84"), std::string::npos) << rt.error->stack;
}

TEST_F(LuaCallPath, ReturnedErrors) {
    auto s = fail_n(2);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error->kind, MODRT_ERR_INTERNAL);
    EXPECT_EQ(s.error->message, "failed 2");
    EXPECT_EQ(s.value.type, MODRT_NIL);

    auto e = fail_n(3);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.error->kind, MODRT_ERR_NOT_FOUND);
    EXPECT_EQ(e.error->message, "nf");
    ASSERT_NE(e.error->details, nullptr);
    EXPECT_EQ(at(*e.error->details, "n"), Value::integer(3));

    EXPECT_EQ(fail_n(5).value, Value::integer(5));
}

TEST_F(LuaCallPath, GlobalsWrittenOnTheFastPathDoNotPersist) {
    for (int i = 0; i < 3; ++i) {
        auto r = call("test.lua:bump", args({Value::integer(5)}));
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(r.value, Value::integer(10)) << "call " << i;  // total = 5, pairs = 5
        auto after = call("test.lua:after_bump");
        ASSERT_TRUE(after.ok()) << after.error->message;
        EXPECT_EQ(at(after.value, "total_gone"), Value::boolean(true));
        EXPECT_EQ(at(after.value, "pairs"), str("function"));     // the sandbox's again
        EXPECT_EQ(at(after.value, "seed"), Value::integer(100));  // module-level global stays
    }
}

TEST_F(LuaCallPath, GlobalsDoNotLeakAfterAnError) {
    // bump raises (nil + number) after writing a global; the next call starts clean.
    auto r = call("test.lua:bump", args({Value()}));
    ASSERT_FALSE(r.ok());
    auto after = call("test.lua:after_bump");
    ASSERT_TRUE(after.ok()) << after.error->message;
    EXPECT_EQ(at(after.value, "total_gone"), Value::boolean(true));
    EXPECT_EQ(at(after.value, "pairs"), str("function"));
}
