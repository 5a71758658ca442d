// kernel::parse_json / to_json and the value model's equality and map rules.
#include "kernel_test_util.hpp"
#include "support/sanitizer.hpp"

#include <modrt/kernel/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace kt {
namespace {

using modrt::kernel::parse_json;
using modrt::kernel::to_json;

Value parse_ok(std::string_view text) {
    Value v;
    auto err = parse_json(text, v);
    EXPECT_EQ(err, nullptr) << text << ": " << (err ? err->message : "");
    return v;
}

TEST(KernelJson, IntegersStayIntegers) {
    Value v = parse_ok("[0, -1, 42, 9223372036854775807, -9223372036854775808]");
    ASSERT_EQ(v.items.size(), 5u);
    for (const auto& i : v.items) EXPECT_EQ(i.type, MODRT_INT);
    EXPECT_EQ(v.items[3].scalar.i, std::numeric_limits<int64_t>::max());
    EXPECT_EQ(v.items[4].scalar.i, std::numeric_limits<int64_t>::min());
    EXPECT_EQ(to_json(v), "[0,-1,42,9223372036854775807,-9223372036854775808]");
}

TEST(KernelJson, BigUnsignedBecomesNumber) {
    Value v = parse_ok("18446744073709551615");
    EXPECT_EQ(v.type, MODRT_NUMBER);
    EXPECT_DOUBLE_EQ(v.scalar.n, 18446744073709551615.0);
    Value edge = parse_ok("9223372036854775808");  // INT64_MAX + 1
    EXPECT_EQ(edge.type, MODRT_NUMBER);
}

TEST(KernelJson, FloatsStayFloats) {
    Value v = parse_ok("[1.0, 0.5, -2.5e-3, 1e300]");
    for (const auto& i : v.items) EXPECT_EQ(i.type, MODRT_NUMBER);
    EXPECT_EQ(v.items[0].scalar.n, 1.0);
    EXPECT_EQ(v.items[2].scalar.n, -2.5e-3);
    // 1.0 keeps a fractional marker so it parses back as a number, not an integer.
    Value back = parse_ok(to_json(v));
    EXPECT_EQ(back, v);
}

TEST(KernelJson, NonFiniteNumbersBecomeNull) {
    Value v = Value::array();
    v.items.push_back(Value::number(std::numeric_limits<double>::infinity()));
    v.items.push_back(Value::number(std::nan("")));
    EXPECT_EQ(to_json(v), "[null,null]");
}

TEST(KernelJson, NestedRoundTripKeepsKeyOrder) {
    const std::string text = R"({"z":1,"a":{"list":[true,false,null,"s",{"k":[]}],"empty":{}},"m":-0.5})";
    Value v = parse_ok(text);
    ASSERT_EQ(v.type, MODRT_MAP);
    EXPECT_EQ(v.keys, (std::vector<std::string>{"z", "a", "m"}));
    EXPECT_EQ(v.find("a")->find("list")->items[2].type, MODRT_NIL);
    EXPECT_EQ(to_json(v), text);
    EXPECT_EQ(parse_ok(to_json(v, 2)), v);
}

TEST(KernelJson, UnicodeAndEscapes) {
    Value v = parse_ok(R"(["caf\u00e9", "\ud83d\ude00", "tab\there", "nul\u0000byte", "\u20ac"])");
    EXPECT_EQ(v.items[0].str, "caf\xc3\xa9");
    EXPECT_EQ(v.items[1].str, "\xf0\x9f\x98\x80");
    EXPECT_EQ(v.items[2].str, "tab\there");
    EXPECT_EQ(v.items[3].str, std::string("nul\0byte", 8));
    EXPECT_EQ(v.items[4].str, "\xe2\x82\xac");
    EXPECT_EQ(parse_ok(to_json(v)), v);
    // Raw UTF-8 is written as is.
    EXPECT_EQ(to_json(Value::string("\xc3\xa9")), "\"\xc3\xa9\"");
}

TEST(KernelJson, BytesBecomeBase64) {
    EXPECT_EQ(to_json(Value::bytes("")), "\"\"");
    EXPECT_EQ(to_json(Value::bytes("f")), "\"Zg==\"");
    EXPECT_EQ(to_json(Value::bytes("fo")), "\"Zm8=\"");
    EXPECT_EQ(to_json(Value::bytes("foo")), "\"Zm9v\"");
    EXPECT_EQ(to_json(Value::bytes(std::string("\x00\xff", 2))), "\"AP8=\"");
}

TEST(KernelJson, InvalidJsonIsInvalidWithByteOffset) {
    Value v = Value::integer(7);
    auto err = parse_json(R"({"a": 1,})", v);
    ASSERT_NE(err, nullptr);
    EXPECT_EQ(err->kind, MODRT_ERR_INVALID);
    KT_EXPECT_CONTAINS(err->message, "byte");
    KT_EXPECT_CONTAINS(err->message, "9");
    EXPECT_EQ(v.type, MODRT_NIL);  // output reset on failure
}

TEST(KernelJson, InvalidJsonCases) {
    for (std::string_view bad :
         {"", "[1, 2", "tru", "{\"a\" 1}", "[1] [2]", "'single'", "\"unterminated", "{1: 2}", "NaN"}) {
        Value v;
        auto err = parse_json(bad, v);
        ASSERT_NE(err, nullptr) << "accepted: " << bad;
        EXPECT_EQ(err->kind, MODRT_ERR_INVALID) << bad;
        KT_EXPECT_CONTAINS(err->message, "invalid JSON");
    }
}

TEST(KernelJson, DeepNestingIsRejectedNotACrash) {
    std::string deep(100000, '[');
    deep += std::string(100000, ']');
    Value v;
    auto err = parse_json(deep, v);
    ASSERT_NE(err, nullptr);
    EXPECT_EQ(err->kind, MODRT_ERR_INVALID);
    KT_EXPECT_CONTAINS(err->message, "nested");
}

TEST(KernelJson, ModerateNestingIsFine) {
    std::string text(200, '[');
    text += std::string(200, ']');
    Value v = parse_ok(text);
    EXPECT_EQ(to_json(v), text);
}

TEST(KernelJson, DuplicateKeysKeepOneKey) {
    Value v = parse_ok(R"({"a": 1, "a": 2})");
    ASSERT_EQ(v.keys.size(), 1u);
    EXPECT_EQ(v.find("a")->scalar.i, 2);
}

TEST(KernelValue, EqualityComparesTypeAndContent) {
    EXPECT_EQ(Value(), Value());
    EXPECT_EQ(Value::integer(1), Value::integer(1));
    EXPECT_NE(Value::integer(1), Value::number(1.0));  // different types
    EXPECT_NE(Value::string("a"), Value::bytes("a"));
    EXPECT_NE(Value::boolean(false), Value());
    EXPECT_NE(Value::array(), Value::map());
    Value a = Value::map(), b = Value::map();
    a.insert("x") = Value::integer(1);
    a.insert("y") = Value::integer(2);
    b.insert("y") = Value::integer(2);
    b.insert("x") = Value::integer(1);
    EXPECT_NE(a, b);  // maps are insertion ordered
    Value c = a;
    EXPECT_EQ(a, c);
    c.insert("x") = Value::integer(9);
    EXPECT_NE(a, c);
}

TEST(KernelValue, MapInsertReplacesInPlace) {
    Value m = Value::map();
    m.insert("a") = Value::integer(1);
    m.insert("b") = Value::integer(2);
    Value& slot = m.insert("a");
    EXPECT_EQ(slot.type, MODRT_NIL);  // reset on replace
    slot = Value::string("new");
    EXPECT_EQ(m.keys, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(m.size(), 2u);
    EXPECT_EQ(m.find("a")->str, "new");
    EXPECT_EQ(m.find("missing"), nullptr);
}

TEST(KernelValue, PushAndInsertConvertOtherTypes) {
    Value v = Value::integer(3);
    v.push() = Value::integer(1);
    EXPECT_EQ(v.type, MODRT_ARRAY);
    EXPECT_EQ(v.size(), 1u);
    v.insert("k");
    EXPECT_EQ(v.type, MODRT_MAP);
    EXPECT_EQ(v.size(), 1u);
    EXPECT_EQ(Value::string("abc").size(), 0u);  // size() counts items only
}

TEST(KernelValue, TypeNames) {
    EXPECT_EQ(modrt::kernel::type_name(MODRT_INT), "integer");
    EXPECT_EQ(modrt::kernel::type_name(MODRT_MAP), "map");
    EXPECT_EQ(modrt::kernel::type_name(MODRT_BYTES), "bytes");
}

TEST(KernelErrors, KindNamesParseBothSpellings) {
    using namespace modrt::kernel;
    EXPECT_EQ(kind_name(MODRT_ERR_NOT_FOUND), "NotFound");
    EXPECT_EQ(parse_kind("NotFound"), MODRT_ERR_NOT_FOUND);
    EXPECT_EQ(parse_kind("PERMISSION_DENIED"), MODRT_ERR_PERMISSION_DENIED);
    EXPECT_EQ(parse_kind("nope"), std::nullopt);
    EXPECT_TRUE(make_error(MODRT_ERR_TIMEOUT, "t")->retryable);
    EXPECT_FALSE(make_error(MODRT_ERR_INVALID, "i")->retryable);
    EXPECT_EQ(describe(*make_error(MODRT_ERR_INVALID, "bad")), "Invalid: bad");
}

}  // namespace
}  // namespace kt

// ---- Numbers on output, linear maps (issue 19) ----

namespace kt {
namespace {

using modrt::kernel::write_json;

Value vjb_numbers(std::initializer_list<double> ds) {
    Value v = Value::array();
    for (double d : ds) v.items.push_back(Value::number(d));
    return v;
}

bool vjb_same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST(KernelJsonNumbers, IntegralDoublesBeyondTwoToThe53PrintTheirExactDigits) {
    EXPECT_EQ(to_json(vjb_numbers({9223372036854775808.0})), "[9223372036854775808.0]");
    EXPECT_EQ(to_json(vjb_numbers({-9223372036854775808.0})), "[-9223372036854775808.0]");
    EXPECT_EQ(to_json(vjb_numbers({18446744073709551616.0})), "[18446744073709551616.0]");
    EXPECT_EQ(to_json(vjb_numbers({9007199254740994.0})), "[9007199254740994.0]");
    // Past 10^21 and below 2^53: the shortest text, as before.
    EXPECT_EQ(to_json(vjb_numbers({1e308, 5e-324, -0.0, 0.1, 1.0, 1e21})), "[1e+308,5e-324,-0.0,0.1,1.0,1e+21]");
}

TEST(KernelJsonNumbers, EveryFiniteDoubleAndInt64RoundTrips) {
    std::vector<double> ds = {0.0,
                              -0.0,
                              0.1,
                              1.0 / 3,
                              1e308,
                              -1e308,
                              5e-324,
                              -5e-324,
                              2.2250738585072014e-308,
                              9007199254740992.0,
                              9007199254740993.0,
                              9223372036854775808.0,
                              -9223372036854775808.0,
                              18446744073709551616.0,
                              1e21,
                              999999999999999868928.0,
                              123456789.125,
                              std::numeric_limits<double>::max(),
                              std::numeric_limits<double>::lowest()};
    uint64_t bits = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 20000; ++i) {  // random bit patterns: every exponent
        bits ^= bits << 13, bits ^= bits >> 7, bits ^= bits << 17;
        double d;
        std::memcpy(&d, &bits, sizeof d);
        if (std::isfinite(d)) ds.push_back(d);
    }
    for (double d : ds) {
        Value back = parse_ok(to_json(Value::number(d)));
        ASSERT_EQ(back.type, MODRT_NUMBER) << to_json(Value::number(d));
        EXPECT_TRUE(vjb_same_bits(back.scalar.n, d)) << to_json(Value::number(d));
    }
    for (int64_t i : {int64_t{0}, int64_t{-1}, std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(),
                      int64_t{1} << 53, (int64_t{1} << 53) + 1}) {
        Value back = parse_ok(to_json(Value::integer(i)));
        ASSERT_EQ(back.type, MODRT_INT);
        EXPECT_EQ(back.scalar.i, i);
    }
}

TEST(KernelJsonNumbers, IntegersBeyondInt64ReadAsTheNearestDouble) {
    for (const char* text :
         {"9223372036854775808", "18446744073709551615", "18446744073709551616", "123456789012345678901234567890"}) {
        Value v = parse_ok(text);
        ASSERT_EQ(v.type, MODRT_NUMBER) << text;
        EXPECT_TRUE(vjb_same_bits(v.scalar.n, std::strtod(text, nullptr))) << text;
        EXPECT_TRUE(vjb_same_bits(parse_ok(to_json(v)).scalar.n, v.scalar.n)) << text << " -> " << to_json(v);
    }
}

TEST(KernelJsonNumbers, NumbersTooLargeForADoubleAreRefused) {
    for (const char* text : {"1e400", "-1e400", "[1, 2e999]"}) {
        Value v;
        auto err = parse_json(text, v);
        ASSERT_NE(err, nullptr) << text;
        EXPECT_EQ(err->kind, MODRT_ERR_INVALID);
        KT_EXPECT_CONTAINS(err->message, "number overflow");
    }
}

TEST(KernelJsonNumbers, NaNAndInfinityAreAnErrorNamingTheirPath) {
    struct Case {
        double n;
        const char* name;
    };
    for (Case c : {Case{std::nan(""), "NaN"}, Case{std::numeric_limits<double>::infinity(), "Infinity"},
                   Case{-std::numeric_limits<double>::infinity(), "-Infinity"}}) {
        Value stats = Value::map();
        stats.insert("count") = Value::integer(3);
        stats.insert("mean") = Value::number(c.n);
        Value result = Value::map();
        result.insert("items").push() = Value::string("a");
        result.insert("stats") = stats;
        std::string out = "left over";
        auto err = write_json(result, out, 2, "result");
        ASSERT_NE(err, nullptr) << c.name;
        EXPECT_EQ(err->kind, MODRT_ERR_INVALID);
        EXPECT_EQ(err->message, std::string("result.stats.mean is ") + c.name + "; JSON has no NaN or Infinity");
        EXPECT_TRUE(out.empty());
        Value list = vjb_numbers({1.0, c.n});
        err = write_json(list, out, -1, "value");
        ASSERT_NE(err, nullptr);
        EXPECT_EQ(err->message, std::string("value[1] is ") + c.name + "; JSON has no NaN or Infinity");
    }
    std::string out;
    EXPECT_EQ(write_json(vjb_numbers({1.5}), out), nullptr);
    EXPECT_EQ(out, "[1.5]");
}

TEST(KernelJsonNumbers, PrettyOutputKeepsItsLayout) {
    Value v = parse_ok(R"({"a":[1,{"b":[]}],"c":{},"d":"x"})");
    EXPECT_EQ(to_json(v, 2),
              "{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n    }\n  ],\n  \"c\": {},\n  \"d\": \"x\"\n}");
    EXPECT_EQ(to_json(Value::string("bad \xff utf8 \"q\"\n")), "\"bad \xEF\xBF\xBD utf8 \\\"q\\\"\\n\"");
}

TEST(KernelJsonLinear, BigObjectsInAnyKeyOrderParseAndPrintQuickly) {
    constexpr int kKeys = 100000;  // quadratic key handling: 5*10^9 compares
    for (bool reversed : {false, true}) {
        std::string text = "{";
        for (int i = 0; i < kKeys; ++i) {
            int k = reversed ? kKeys - 1 - i : i;
            if (i > 0) text += ',';
            char key[16];
            std::snprintf(key, sizeof key, "k%07d", k);
            text += "\"" + std::string(key) + "\":" + std::to_string(k);
        }
        text += ",\"k0000007\":-7}";  // a duplicate: the last wins
        auto started = std::chrono::steady_clock::now();
        Value v = parse_ok(text);
        ASSERT_EQ(v.keys.size(), static_cast<size_t>(kKeys));
        ASSERT_NE(v.find("k0000007"), nullptr);
        EXPECT_EQ(v.find("k0000007")->scalar.i, -7);
        EXPECT_EQ(v.find("k0099999")->scalar.i, 99999);
        std::string out = to_json(v);
        EXPECT_EQ(parse_ok(out), v);
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5) * modrt::test::kTimeScale)
            << (reversed ? "reversed" : "sorted");
    }
}

TEST(KernelJsonLinear, InsertAndFindAgreeWhateverTheKeyOrder) {
    for (const std::vector<std::string>& order :
         {std::vector<std::string>{"a", "b", "c", "d"}, std::vector<std::string>{"d", "c", "b", "a"},
          std::vector<std::string>{"b", "d", "a", "c"}}) {
        Value m = Value::map();
        for (size_t i = 0; i < order.size(); ++i) m.insert(order[i]) = Value::integer(static_cast<int64_t>(i));
        for (const auto& k : order) m.insert(k) = Value::string(k);  // replace, never add
        ASSERT_EQ(m.keys.size(), order.size());
        EXPECT_EQ(m.keys, order);  // insertion order kept
        for (const auto& k : order) {
            ASSERT_NE(m.find(k), nullptr) << k;
            EXPECT_EQ(m.find(k)->str, k);
        }
        EXPECT_EQ(m.find("e"), nullptr);
        EXPECT_EQ(m.find(""), nullptr);
        Value copy = m;
        copy.insert("a0") = Value::integer(1);
        EXPECT_EQ(copy.keys.size(), order.size() + 1);
        EXPECT_NE(copy.find("a0"), nullptr);
        EXPECT_NE(copy.find("c"), nullptr);
    }
}

}  // namespace kt
