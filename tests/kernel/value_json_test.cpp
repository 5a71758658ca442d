// kernel::parse_json / to_json and the value model's equality and map rules.
#include "kernel_test_util.hpp"

#include <modrt/kernel/json.hpp>

#include <cmath>
#include <limits>

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
    for (std::string_view bad : {"", "[1, 2", "tru", "{\"a\" 1}", "[1] [2]", "'single'", "\"unterminated",
                                 "{1: 2}", "NaN"}) {
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
