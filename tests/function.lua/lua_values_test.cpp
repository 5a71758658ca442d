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
    for (int64_t i :
         {int64_t(1), int64_t(1) << 53, -(int64_t(1) << 53), (int64_t(1) << 53) + 1,
          std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(), int64_t(1152921504606846977)}) {
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
    for (const Case& c :
         {Case{"cycle", "cycle"}, Case{"deep", "deeper than 200"}, Case{"function", "function"},
          Case{"nested_function", "function"}, Case{"boolkey", "key of type boolean"}, Case{"dupkey", "twice"}}) {
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

// ---- Values that share subtables (fixtures/values_b: max_value_size 1MiB) ----

#include "support/bounded_run.hpp"

#include <chrono>

// Outside the anonymous namespace: a fixture's base names them (unity builds, -Wsubobject-linkage).
struct ValuesBFixture {
    static constexpr std::string_view dirs[] = {"values_b"};
};
struct ValuesBBigFixture {
    static constexpr std::string_view dirs[] = {"values_b_big"};
};

namespace {

constexpr auto kValuesBBound = std::chrono::milliseconds(2000);
constexpr const char* kValuesBLimitText = "value too large: more than 1048576 bytes (runtime.limits max_value_size)";

}  // namespace

class LuaValuesShared : public SharedRuntime<ValuesBFixture> {
protected:
    // The call on its own thread, bounded: an exponential conversion fails the test instead of running for minutes.
    static CallResult bounded(std::string_view id, Value a, const modrt::kernel::CallOptions& o = {}) {
        std::string target(id);
        auto r = modrt::test::run_within([target, a, o] { return call(target, a, o); }, kValuesBBound);
        if (!r) {
            ADD_FAILURE() << target << " did not end within " << kValuesBBound.count() << " ms";
            return CallResult{};
        }
        return std::move(*r);
    }
    static void expect_too_large(const CallResult& r, std::string_view what) {
        ASSERT_FALSE(r.ok()) << what << " succeeded";
        EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID) << r.error->message;
        EXPECT_NE(r.error->message.find(kValuesBLimitText), std::string::npos) << r.error->message;
        EXPECT_FALSE(r.error->retryable);
    }
};

class LuaValuesSharedBig : public SharedRuntime<ValuesBBigFixture> {};

TEST_F(LuaValuesShared, SharedSubtablesAsResultStopAtTheLimit) {
    for (int levels : {20, 40, 60, 1000}) {  // 1000: deeper than 200 levels of nesting, still stopped by size first
        auto r = bounded("values_b:result", args({Value::integer(std::min(levels, 150))}));
        expect_too_large(r, "result");
        EXPECT_NE(r.error->message.find("result: value too large"), std::string::npos) << r.error->message;
    }
    auto maps = bounded("values_b:result", args({Value::integer(60), Value::boolean(true)}));
    expect_too_large(maps, "map result");
    auto strings = bounded("values_b:result_strings", args({Value::integer(60)}));
    expect_too_large(strings, "string leaves");
}

TEST_F(LuaValuesShared, SharingBelowTheLimitStillConverts) {
    // 2^10 leaves {1}: 2047 arrays + 1024 ints, far below 1 MiB; sharing itself is fine.
    auto r = bounded("values_b:result", args({Value::integer(10)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value* v = &r.value;
    for (int i = 0; i < 10; ++i) {
        ASSERT_EQ(v->type, MODRT_ARRAY);
        ASSERT_EQ(v->items.size(), 2u);
        EXPECT_EQ(v->items[0], v->items[1]);
        v = &v->items[0];
    }
}

TEST_F(LuaValuesShared, SharedSubtablesAsCallArgumentStopAtTheLimit) {
    for (const char* id : {"values_b:as_argument", "values_b:as_async_argument"}) {
        for (int levels : {30, 60}) {
            auto r = bounded(id, args({Value::integer(levels)}));
            ASSERT_TRUE(r.ok()) << id << ": " << r.error->message;
            EXPECT_EQ(at(r.value, "kind").str, "Invalid") << id;
            EXPECT_NE(at(r.value, "message").str.find(kValuesBLimitText), std::string::npos)
                << at(r.value, "message").str;
        }
    }
}

TEST_F(LuaValuesShared, SharedSubtablesAsContextStopAtTheLimit) {
    for (int levels : {30, 60}) {
        auto r = bounded("values_b:as_context", args({Value::integer(levels)}));
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_FALSE(at(r.value, "made").scalar.b);
        EXPECT_EQ(at(r.value, "kind").str, "Invalid");
        EXPECT_NE(at(r.value, "message").str.find(kValuesBLimitText), std::string::npos) << at(r.value, "message").str;
    }
}

TEST_F(LuaValuesShared, SharedSubtablesAsErrorDetailsStopAtTheLimit) {
    for (int levels : {30, 60}) {
        auto r = bounded("values_b:as_details", args({Value::integer(levels)}));
        ASSERT_FALSE(r.ok());
        // The details cannot be carried: the function's own error still arrives, saying why they were dropped.
        EXPECT_EQ(r.error->kind, MODRT_ERR_NOT_FOUND) << r.error->message;
        EXPECT_TRUE(r.error->message.starts_with("with details (its details were dropped: error details: "))
            << r.error->message;
        EXPECT_TRUE(!r.error->details || r.error->details->type == MODRT_NIL);
        EXPECT_NE(r.error->message.find("value too large"), std::string::npos) << r.error->message;
        EXPECT_NE(r.error->message.find("max_value_size"), std::string::npos) << r.error->message;
    }
}

TEST_F(LuaValuesShared, SharedPayloadsStopAtTheLimit) {
    for (const char* id : {"values_b:through_payload", "values_b:through_channel"}) {
        auto r = bounded(id, args({Value::integer(60)}));
        expect_too_large(r, id);
        // Few levels: every copy of the payload's data arrives.
        auto small = bounded(id, args({Value::integer(3)}));
        ASSERT_TRUE(small.ok()) << id << ": " << small.error->message;
        EXPECT_EQ(small.value.type, MODRT_ARRAY);
    }
}

TEST_F(LuaValuesShared, WideValueJustUnderTheLimitPasses) {
    // {string of n - 192 bytes}: 96 (array) + 96 (string) + n - 192 = n bytes as the kernel counts.
    auto under = bounded("values_b:wide", args({Value::integer(1 << 20)}));
    ASSERT_TRUE(under.ok()) << under.error->message;
    ASSERT_EQ(under.value.type, MODRT_ARRAY);
    EXPECT_EQ(under.value.items[0].str.size(), (1u << 20) - 192);
    expect_too_large(bounded("values_b:wide", args({Value::integer((1 << 20) + 1)})), "one byte over");
}

TEST_F(LuaValuesShared, ManyKeysConvertInLinearTime) {
    // 9000 keys (~0.9 MiB of the fixture's 1 MiB limit at 96 bytes a value): quadratic key
    // insertion would be 4*10^7 string compares each way. KernelJsonLinear covers 100k keys.
    auto r = bounded("values_b:many_keys", args({Value::integer(9000)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_EQ(r.value.type, MODRT_MAP);
    EXPECT_EQ(r.value.items.size(), 9000u);
    ASSERT_NE(r.value.find("k777"), nullptr);
    EXPECT_EQ(r.value.find("k777")->scalar.i, 777);
    auto back = bounded("values_b:echo", args({r.value}));
    ASSERT_TRUE(back.ok()) << back.error->message;
    EXPECT_EQ(back.value, r.value);
}

TEST_F(LuaValuesShared, NegativeZeroStaysANumber) {
    auto r = bounded("values_b:number", args({str("neg_zero")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& n = at(at(r.value, "stats"), "mean");
    ASSERT_EQ(n.type, MODRT_NUMBER);
    EXPECT_TRUE(std::signbit(n.scalar.n));
    auto two63 = bounded("values_b:number", args({str("two63")}));
    ASSERT_TRUE(two63.ok());
    EXPECT_EQ(at(at(two63.value, "stats"), "mean").type, MODRT_NUMBER);
    EXPECT_EQ(at(at(two63.value, "stats"), "mean").scalar.n, 9223372036854775808.0);
}

TEST_F(LuaValuesSharedBig, ConversionUnderADeadlineIsCanceled) {
    modrt::kernel::CallOptions o;
    o.timeout = std::chrono::milliseconds(100);
    for (const char* id : {"values_b:result", "values_b:as_argument"}) {
        auto started = std::chrono::steady_clock::now();
        auto r = modrt::test::run_within([&] { return call(id, args({Value::integer(60)}), o); },
                                         std::chrono::milliseconds(5000));
        ASSERT_TRUE(r.has_value()) << id << " ignored its deadline";
        auto took = std::chrono::steady_clock::now() - started;
        ASSERT_FALSE(r->ok()) << id;
        EXPECT_EQ(r->error->kind, MODRT_ERR_TIMEOUT) << id << ": " << r->error->message;
        EXPECT_LT(took, std::chrono::milliseconds(2000)) << id;
    }
}
