// function.lua: Lua <-> modrt value conversion.
#include "lua_test_util.hpp"

#include <cmath>
#include <limits>

using namespace lua_test;

class LuaValues : public BasicRegistry {};

static Value echo(const Value& v) {
    Value a = Value::array();
    a.push() = v;
    return a;
}

TEST_F(LuaValues, ScalarsRoundTrip) {
    for (const Value& v : {Value(), Value::boolean(true), Value::boolean(false), Value::integer(0), Value::integer(-7),
                           Value::integer(42), Value::number(1.5), Value::number(-0.25), str(""), str("hello"),
                           str(std::string("nul\0byte", 8))}) {
        auto r = call("test.lua:echo", echo(v));
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(r.value, v) << "type " << modrt::kernel::type_name(v.type);
    }
}

TEST_F(LuaValues, BytesBecomeStrings) {
    auto r = call("test.lua:echo", echo(Value::bytes(std::string("\x01\xff", 2))));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.type, MODRT_STRING);
    EXPECT_EQ(r.value.str, std::string("\x01\xff", 2));
}

TEST_F(LuaValues, IntegersStayIntegers) {
    for (int64_t i : {int64_t(1), int64_t(1) << 53, -(int64_t(1) << 53), (int64_t(1) << 53) + 1,
                      std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(),
                      int64_t(1152921504606846977)}) {
        auto r = call("test.lua:echo", echo(Value::integer(i)));
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(r.value.type, MODRT_INT) << i;
        EXPECT_EQ(r.value.scalar.i, i);
    }
}

TEST_F(LuaValues, BigIntegersArriveAsInt64Cdata) {
    auto r = call("test.lua:count", args({Value::integer(int64_t(1) << 60), Value::integer(5), str("s"), Value(),
                                          Value::boolean(true), Value::array()}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_EQ(r.value.type, MODRT_ARRAY);
    ASSERT_EQ(r.value.items.size(), 6u);
    EXPECT_EQ(r.value.items[0].str, "cdata");
    EXPECT_EQ(r.value.items[1].str, "number");
    EXPECT_EQ(r.value.items[2].str, "string");
    EXPECT_EQ(r.value.items[3].str, "nil");
    EXPECT_EQ(r.value.items[4].str, "boolean");
    EXPECT_EQ(r.value.items[5].str, "table");
}

TEST_F(LuaValues, NumbersFromLua) {
    auto r = make("int");
    EXPECT_EQ(r.value, Value::integer(42));
    r = make("two");  // 2.0 is integral: becomes an integer
    EXPECT_EQ(r.value, Value::integer(2));
    r = make("float");
    EXPECT_EQ(r.value, Value::number(1.5));
    r = make("big");  // 2^60 as a Lua number: beyond 2^53, stays a number
    EXPECT_EQ(r.value.type, MODRT_NUMBER);
    EXPECT_EQ(r.value.scalar.n, std::ldexp(1.0, 60));
    r = make("nan");
    EXPECT_EQ(r.value.type, MODRT_NUMBER);
    EXPECT_TRUE(std::isnan(r.value.scalar.n));
    r = make("inf");
    EXPECT_EQ(r.value.type, MODRT_NUMBER);
    EXPECT_TRUE(std::isinf(r.value.scalar.n));
    r = make("nil");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.type, MODRT_NIL);
}

TEST_F(LuaValues, ArraysAndMapsRoundTrip) {
    Value nested = Value::map();
    nested.insert("name") = str("x");
    Value& list = nested.insert("list");
    list = Value::array();
    list.push() = Value::integer(1);
    list.push() = Value::number(2.5);
    Value& inner = list.push();
    inner = Value::map();
    inner.insert("deep") = Value::boolean(true);
    auto r = call("test.lua:echo", echo(nested));
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_EQ(r.value.type, MODRT_MAP);
    EXPECT_EQ(at(r.value, "name"), str("x"));
    EXPECT_EQ(at(r.value, "list"), list);
}

TEST_F(LuaValues, TableShapeRule) {
    auto r = make("array");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.value.type, MODRT_ARRAY);
    EXPECT_EQ(r.value.items.size(), 3u);

    r = make("empty");  // an empty table is an empty map
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value.type, MODRT_MAP);
    EXPECT_EQ(r.value.size(), 0u);

    r = make("holes");  // keys 1 and 3: not a sequence -> map with string keys
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.value.type, MODRT_MAP);
    EXPECT_EQ(at(r.value, "1"), str("a"));
    EXPECT_EQ(at(r.value, "3"), str("c"));

    r = make("mixed");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.value.type, MODRT_MAP);
    EXPECT_EQ(at(r.value, "1"), Value::integer(1));
    EXPECT_EQ(at(r.value, "x"), str("y"));

    r = make("numkeys");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(at(r.value, "10"), str("ten"));
    EXPECT_EQ(at(r.value, "2.5"), str("x"));

    r = make("nested");
    ASSERT_TRUE(r.ok());
    const Value& c = at(at(at(r.value, "a"), "b"), "c");
    ASSERT_EQ(c.type, MODRT_ARRAY);
    EXPECT_EQ(at(c.items.at(2), "d"), str("deep"));

    r = make("shared");  // the same table twice is not a cycle
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "a"), at(r.value, "b"));
}

TEST_F(LuaValues, MapKeysAreSorted) {
    auto r = make("mixed");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.value.keys.size(), 3u);
    EXPECT_EQ(r.value.keys[0], "1");
    EXPECT_EQ(r.value.keys[1], "2");
    EXPECT_EQ(r.value.keys[2], "x");
}

TEST_F(LuaValues, UnconvertibleResultsAreInvalid) {
    struct Case {
        const char* what;
        const char* needle;
    };
    for (const Case& c : {Case{"cycle", "cycle"}, Case{"deep", "deeper than 200"}, Case{"function", "function"},
                          Case{"nested_function", "function"}, Case{"boolkey", "key of type boolean"},
                          Case{"dupkey", "twice"}}) {
        auto r = make(c.what);
        ASSERT_FALSE(r.ok()) << c.what;
        EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID) << c.what;
        EXPECT_NE(r.error->message.find(c.needle), std::string::npos) << c.what << ": " << r.error->message;
        EXPECT_EQ(r.value.type, MODRT_NIL);
    }
}

TEST_F(LuaValues, ErrorInsideAResultBecomesAMap) {
    auto r = make("error_value");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& e = at(r.value, "err");
    EXPECT_EQ(at(e, "kind"), str("NotFound"));
    EXPECT_EQ(at(e, "message"), str("inside"));
}

TEST_F(LuaValues, ManyArguments) {
    Value a = Value::array();
    for (int i = 0; i < 50; ++i) a.push() = Value::integer(i);
    auto r = call("test.lua:echo", a);
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, a);
}
