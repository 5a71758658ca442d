// function.lua: the data modules json, base64, uuid, hash and logger. Wippy's
// pages (lua/data/json.md, lua/data/base64.md, lua/security/uuid.md,
// lua/security/hash.md, lua/system/logger.md) run as written
// (fixtures/data_modules/*_docs.lua); edge cases and the RFC/NIST test vectors
// go through `invoke` (one module function, its result and error).
#include "lua_test_util.hpp"
#include "support/bounded_run.hpp"

#include <modrt/kernel/json.hpp>
#include <modrt/kernel/runtime.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace lua_test;
using modrt::kernel::CallOptions;

struct DataModulesDirs {
    static constexpr std::string_view dirs[] = {"data_modules"};
};

/// The kernel's log lines written while it lives, at `level` (the kernel's level is
/// process-wide: it goes back to the default, warn, afterwards).
class DataModulesLogCapture {
public:
    explicit DataModulesLogCapture(const char* level) {
        modrt::kernel::set_log_level(level);
        testing::internal::CaptureStderr();
    }
    ~DataModulesLogCapture() {
        if (!finished_) finish();
    }
    DataModulesLogCapture(const DataModulesLogCapture&) = delete;
    DataModulesLogCapture& operator=(const DataModulesLogCapture&) = delete;

    std::string finish() {
        finished_ = true;
        std::string out = testing::internal::GetCapturedStderr();
        modrt::kernel::set_log_level("warn");
        return out;
    }

private:
    bool finished_ = false;
};

std::vector<std::string> log_lines_with(const std::string& log, std::string_view needle) {
    std::vector<std::string> out;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);)
        if (line.find(needle) != std::string::npos) out.push_back(line);
    return out;
}

class LuaDataModules : public SharedRuntime<DataModulesDirs> {
protected:
    static Value integer(int64_t i) { return Value::integer(i); }
    static Value boolean(bool b) { return Value::boolean(b); }
    static Value nil() { return Value(); }

    /// `v` with every map's keys in byte order, for comparing JSON whose member order is unspecified.
    static Value sorted(const Value& v) {
        if (v.type == MODRT_ARRAY) {
            Value a = Value::array();
            for (const auto& item : v.items) a.push() = sorted(item);
            return a;
        }
        if (v.type != MODRT_MAP) return v;
        std::vector<size_t> order(v.keys.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v.keys[a] < v.keys[b]; });
        Value m = Value::map();
        for (size_t i : order) m.insert(v.keys[i]) = sorted(v.items[i]);
        return m;
    }

    /// Lower-case hex of `bytes`.
    static std::string hex(std::string_view bytes) {
        static constexpr char kDigits[] = "0123456789abcdef";
        std::string out;
        for (unsigned char c : bytes) {
            out += kDigits[c >> 4];
            out += kDigits[c & 0x0f];
        }
        return out;
    }

    /// The string content of `v` ("" for anything else).
    static std::string text(const Value& v) {
        return v.type == MODRT_STRING || v.type == MODRT_BYTES ? v.str : std::string();
    }

    /// module[fn](args...) in Lua: {value =, kind =, message =, retryable =}.
    static Value invoke(std::string_view module, std::string_view fn, std::initializer_list<Value> a = {}) {
        Value all = args({str(module), str(fn)});
        for (const auto& v : a) all.push() = v;
        auto r = call("test.data:invoke", all);
        EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error->message);
        return r.ok() ? std::move(r.value) : Value::map();
    }
    /// The string a module function returned, failing the test on an error.
    static std::string value_of(std::string_view module, std::string_view fn, std::initializer_list<Value> a) {
        Value o = invoke(module, fn, a);
        EXPECT_EQ(o.find("kind"), nullptr) << module << "." << fn << ": " << json(o);
        const Value* v = o.find("value");
        return v != nullptr ? text(*v) : std::string();
    }
    /// Expect `o` (an outcome) to be nil plus a non-retryable error of `kind` whose message contains `part`.
    static void expect_error(const Value& o, std::string_view kind, std::string_view part) {
        EXPECT_EQ(o.find("value"), nullptr) << json(o);
        EXPECT_EQ(at(o, "kind"), str(kind)) << json(o);
        EXPECT_NE(text(at(o, "message")).find(part), std::string::npos) << json(o);
        EXPECT_EQ(at(o, "retryable"), boolean(false)) << json(o);
    }
    /// Expect `o` to be false plus an INVALID error whose message contains `part` (json.validate).
    static void expect_invalid(const Value& o, std::string_view part) {
        EXPECT_EQ(at(o, "value"), boolean(false)) << json(o);
        EXPECT_EQ(at(o, "kind"), str("Invalid")) << json(o);
        EXPECT_NE(text(at(o, "message")).find(part), std::string::npos) << json(o);
    }
};

// ---------------------------------------------------------------- json

TEST_F(LuaDataModules, JsonDocsRunAsWritten) {
    auto r = call("test.data:json_docs");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& encoded = at(r.value, "encoded");
    ASSERT_EQ(encoded.size(), 8u) << json(encoded);
    EXPECT_EQ(encoded.items[0], str(R"("hello")"));
    EXPECT_EQ(encoded.items[1], str("42"));
    EXPECT_EQ(encoded.items[2], str("true"));
    EXPECT_EQ(encoded.items[3], str("null"));
    EXPECT_EQ(encoded.items[4], str("[1,2,3]"));
    EXPECT_EQ(encoded.items[5], str(R"(["a","b"])"));
    // Objects: member order is unspecified, so compare what the text reads back as.
    Value user;
    ASSERT_EQ(modrt::kernel::parse_json(text(encoded.items[6]), user), nullptr);
    EXPECT_EQ(json(sorted(user)), R"({"age":30,"name":"Alice"})");
    Value order;
    ASSERT_EQ(modrt::kernel::parse_json(text(encoded.items[7]), order), nullptr);
    EXPECT_EQ(json(sorted(order)),
              R"({"id":"ord-123","items":[{"qty":2,"sku":"ABC"},{"qty":1,"sku":"XYZ"}],"total":99.5})");
    EXPECT_NE(text(encoded.items[7]).find("99.5"), std::string::npos);
    EXPECT_EQ(text(encoded.items[7]).find("99.50"), std::string::npos);

    const Value& printed = at(r.value, "printed");
    ASSERT_EQ(printed.size(), 9u) << json(printed);
    EXPECT_EQ(printed.items[0], str("Bob"));
    EXPECT_EQ(printed.items[1], str("true"));
    EXPECT_EQ(printed.items[2], str("10"));
    EXPECT_EQ(printed.items[3], str("3"));
    EXPECT_EQ(printed.items[4], str("Alice"));
    EXPECT_EQ(printed.items[5], str("Internal"));  // "Internal" (errors.INTERNAL)
    EXPECT_NE(text(printed.items[6]).find("json.decode: invalid JSON at byte"), std::string::npos)
        << json(printed.items[6]);
    EXPECT_EQ(printed.items[7], str("true"));
    // Both reasons: the empty name and the email that is not one.
    std::string violations = text(printed.items[8]);
    EXPECT_NE(violations.find("/name"), std::string::npos) << violations;
    EXPECT_NE(violations.find("minLength"), std::string::npos) << violations;
    EXPECT_NE(violations.find("/email"), std::string::npos) << violations;
    EXPECT_NE(violations.find("format"), std::string::npos) << violations;
    EXPECT_EQ(at(r.value, "invalid_kind"), str("Invalid"));
    EXPECT_EQ(at(r.value, "number_valid"), boolean(true));
    EXPECT_EQ(at(r.value, "body_valid"), boolean(true));
    EXPECT_EQ(at(r.value, "action"), str("create"));
}

TEST_F(LuaDataModules, JsonEncodeErrorsAndRules) {
    auto r = call("test.data:json_cases");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& c = r.value;
    expect_error(at(c, "mixed"), "Internal", "json.encode: cannot encode a table with both string and number keys");
    expect_error(at(c, "sparse"), "Internal", "json.encode: cannot encode a sparse array");
    expect_error(at(c, "recursive"), "Internal", "json.encode: cannot encode a table that contains itself");
    expect_error(at(c, "depth_129"), "Internal", "nested deeper than 128 levels");
    expect_error(at(c, "func"), "Internal", "json.encode: cannot encode a function");
    EXPECT_EQ(at(at(c, "depth_128"), "value"), str(std::string(128, '[') + std::string(128, ']')));
    EXPECT_EQ(at(at(c, "nan"), "value"), str("null"));
    EXPECT_EQ(at(at(c, "inf"), "value"), str("[null,null]"));
    EXPECT_EQ(at(at(c, "empty"), "value"), str("[]"));
    EXPECT_EQ(at(at(c, "numbers"), "value"), str("[0.1,9007199254740992,-0.5,1e+300,3]"));
    EXPECT_EQ(at(at(c, "text"), "value"), str("\"h\xC3\xA9llo \\\"q\\\"\\n\\t\\u0001\""));
    EXPECT_EQ(at(at(c, "no_argument"), "value"), str("null"));
}

TEST_F(LuaDataModules, JsonDecodeErrorsAndValues) {
    auto r = call("test.data:json_cases");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& c = r.value;
    // json.md: invalid syntax is INTERNAL; a non-string or empty input INVALID.
    expect_error(at(c, "decode_invalid"), "Internal", "json.decode: invalid JSON at byte 2: ");
    expect_error(at(c, "decode_trailing_comma"), "Internal", "json.decode: invalid JSON at byte");
    expect_error(at(c, "decode_number_arg"), "Invalid", "json.decode: the input must be a string, got number");
    expect_error(at(c, "decode_empty"), "Invalid", "json.decode: the input is an empty string");
    expect_error(at(c, "decode_nil"), "Invalid", "got nil");
    expect_error(at(c, "decode_deep"), "Internal", "nested deeper than 128 levels");
    EXPECT_EQ(json(at(c, "decode_null")), R"({"count":1,"is_nil":true,"no_error":true})");
    Value round_trip;
    ASSERT_EQ(modrt::kernel::parse_json(text(at(at(c, "decode_round_trip"), "value")), round_trip), nullptr);
    EXPECT_EQ(json(sorted(round_trip)), R"({"a":[1,2,{"b":"é"}],"c":true,"d":1.5})");
    EXPECT_EQ(json(at(c, "decode_values")), R"({"a3b":"é","c":true,"d":1.5,"n":3})");
    EXPECT_EQ(json(at(c, "decode_nulls")), R"({"a_is_nil":true,"b1":1,"b2_is_nil":true,"b3":3})");
}

TEST_F(LuaDataModules, JsonValidate) {
    auto r = call("test.data:json_cases");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& c = r.value;
    EXPECT_EQ(json(at(c, "valid")), R"({"value":true})");
    EXPECT_EQ(json(at(c, "valid_again")), R"({"value":true})");
    expect_invalid(at(c, "violations"), "json.validate: the value does not match the schema: /n:");
    EXPECT_NE(text(at(at(c, "violations"), "message")).find("(type)"), std::string::npos);
    const Value& details = at(c, "violation_details");
    EXPECT_EQ(at(details, "ok"), boolean(false));
    EXPECT_EQ(json(at(details, "details")),
              R"({"violations":[{"keyword":"required","message":"missing required property 'n'","path":""}]})");
    expect_invalid(at(c, "bad_schema"), "json.validate: the schema does not compile:");
    expect_invalid(at(c, "bad_schema_json"), "json.validate: the schema is not valid JSON: at byte 3:");
    expect_invalid(at(c, "schema_not_table"), "json.validate: the schema must be a table or a JSON string, got number");
    expect_invalid(at(c, "data_not_encodable"), "json.validate: cannot encode a function");
    // JSON text keeps what a Lua table cannot: a null member, an empty object.
    EXPECT_EQ(json(at(c, "string_valid")), R"({"value":true})");
    EXPECT_EQ(json(at(c, "string_empty_object")), R"({"value":true})");
    expect_invalid(at(c, "string_invalid_json"), "json.validate_string: the data is not valid JSON: at byte 2:");
    expect_invalid(at(c, "string_not_string"), "json.validate_string: the data must be a JSON string, got table");
    // A Lua value is read as json.encode writes it: an empty table is [].
    EXPECT_EQ(json(at(c, "empty_table_is_array")), R"({"value":true})");
}

// ---------------------------------------------------------------- base64

TEST_F(LuaDataModules, Base64DocsRunAsWritten) {
    std::string encoded_image = "/9j/4AAQ";  // \xff\xd8\xff\xe0\x00\x10
    auto r = call("test.data:base64_docs",
                  args({str("ann"), str("s3cret"), str("aGVsbG8="), str(encoded_image), str("eyJvayI6dHJ1ZX0=")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& printed = at(r.value, "printed");
    ASSERT_EQ(printed.size(), 2u) << json(printed);
    EXPECT_EQ(printed.items[0], str("SGVsbG8sIFdvcmxkIQ=="));
    EXPECT_EQ(printed.items[1], str("Hello, World!"));
    EXPECT_EQ(at(r.value, "image_b64"), str("/9j/4HBob3RvOmFwcDpkYXRhL3Bob3RvLmpwZw=="));
    // The JSON text's member order is the table's: decode what the token carries.
    std::string token = text(at(r.value, "token_part"));
    EXPECT_TRUE(token == "eyJ1c2VyIjoiYWxpY2UiLCJhY3Rpb24iOiJsb2dpbiJ9" ||
                token == "eyJhY3Rpb24iOiJsb2dpbiIsInVzZXIiOiJhbGljZSJ9")
        << token;
    EXPECT_EQ(at(r.value, "auth_header"), str("Basic YW5uOnMzY3JldA=="));
    EXPECT_EQ(at(r.value, "user_data"), str("hello"));
    EXPECT_EQ(at(at(r.value, "files"), "output.jpg"), str(std::string("\xff\xd8\xff\xe0\x00\x10", 6)));
    EXPECT_EQ(json(at(r.value, "doc")), R"({"ok":true})");
}

TEST_F(LuaDataModules, Base64Rfc4648Vectors) {
    const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                           {"f", "Zg=="},
                                                           {"fo", "Zm8="},
                                                           {"foo", "Zm9v"},
                                                           {"foob", "Zm9vYg=="},
                                                           {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(value_of("base64", "encode", {str(plain)}), encoded) << plain;
        EXPECT_EQ(value_of("base64", "decode", {str(encoded)}), plain) << encoded;
    }
}

TEST_F(LuaDataModules, Base64AllBytesLargeTextsAndLineBreaks) {
    auto r = call("test.data:base64_cases");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(
        at(r.value, "all_bytes_encoded"),
        str("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xN"
            "Tk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqb"
            "nJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp"
            "6uvs7e7v8PHy8/T19vf4+fr7/P3+/w=="));
    EXPECT_EQ(at(r.value, "all_bytes_round_trip"), boolean(true));
    EXPECT_EQ(at(r.value, "big_encoded_length"), integer(((4 << 20) + 3 + 2) / 3 * 4));
    EXPECT_EQ(at(r.value, "big_round_trip"), boolean(true));
    EXPECT_EQ(at(r.value, "wrapped"), str("foobarb"));
}

TEST_F(LuaDataModules, Base64RejectsInvalidTextAndPadding) {
    // Bytes outside the alphabet, with the offset of the first one.
    expect_error(invoke("base64", "decode", {str("Zm9v!")}), "Invalid", "illegal base64 data at input byte 4");
    expect_error(invoke("base64", "decode", {str(" Zm9v")}), "Invalid", "illegal base64 data at input byte 0");
    expect_error(invoke("base64", "decode", {str("Zm9v\tYmFy")}), "Invalid", "at input byte 4");
    expect_error(invoke("base64", "decode", {str("Zm-_")}), "Invalid", "at input byte 2");  // URL-safe alphabet
    // Padding: missing, too much, in the middle.
    for (const char* bad : {"Zg", "Zg=", "Z", "Zm9", "Z===", "====", "Zg==="}) {
        expect_error(invoke("base64", "decode", {str(bad)}), "Invalid", "base64.decode: corrupted padding");
    }
    expect_error(invoke("base64", "decode", {str("Zg==Zg==")}), "Invalid", "at input byte 4");
    expect_error(invoke("base64", "decode", {str("Zg=a")}), "Invalid", "at input byte 3");
    // Not a string.
    expect_error(invoke("base64", "decode", {integer(12)}), "Invalid",
                 "base64.decode: data must be a string, got number");
    expect_error(invoke("base64", "encode", {nil()}), "Invalid", "base64.encode: data must be a string, got nil");
    expect_error(invoke("base64", "encode", {Value::map()}), "Invalid", "got table");
}

// ---------------------------------------------------------------- uuid

TEST_F(LuaDataModules, UuidDocsRunAsWritten) {
    std::string id = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";  // RFC 4122's DNS namespace: a v1 UUID
    auto r = call("test.data:uuid_docs", args({str(id), str("www.example.com"), str(id), str(id)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& o = r.value;
    for (const char* v : {"v1", "v4", "v7"}) {
        ASSERT_EQ(at(o, v).size(), 1u) << v << ": " << json(at(o, v));  // no error
        EXPECT_EQ(text(at(o, v).items[0]).size(), 36u) << v;
    }
    EXPECT_EQ(json(at(o, "v3")), R"(["5df41881-3aed-3515-88a7-2f4a814cf09e"])");  // RFC 9562 A.2
    EXPECT_EQ(json(at(o, "v5")), R"(["1f70cc9d-a4b1-5e16-844a-32742876cc95"])");
    EXPECT_EQ(at(o, "valid"), boolean(true));
    EXPECT_EQ(json(at(o, "version")), "[1]");
    EXPECT_EQ(json(at(o, "variant")), R"(["RFC4122"])");
    // 0x1d19dad6ba7b810 * 100 ns after 1582-10-15: 1998-02-04 22:13:53 UTC.
    EXPECT_EQ(json(at(o, "parse")),
              R"([{"node":"00c04fd430c8","timestamp":886630433,"variant":"RFC4122","version":1}])");
    EXPECT_EQ(json(at(o, "format")), R"({"simple":["6ba7b8109dad11d180b400c04fd430c8"],)"
                                     R"("standard":["6ba7b810-9dad-11d1-80b4-00c04fd430c8"],)"
                                     R"("urn":["urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8"]})");
}

TEST_F(LuaDataModules, UuidGeneratedIdsAreUniqueCanonicalAndOrdered) {
    constexpr int kCount = 2000;
    auto r = call("test.data:uuid_cases", args({integer(kCount)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& o = r.value;
    for (const char* v : {"v4", "v7", "v1"}) {
        const Value& b = at(o, v);
        EXPECT_EQ(at(b, "distinct"), integer(kCount)) << v;
        EXPECT_EQ(at(b, "canonical"), integer(kCount)) << v;
        EXPECT_EQ(json(at(b, "variants")), R"(["RFC4122"])") << v;
    }
    EXPECT_EQ(json(at(at(o, "v4"), "versions")), "[4]");
    EXPECT_EQ(json(at(at(o, "v7"), "versions")), "[7]");
    EXPECT_EQ(json(at(at(o, "v1"), "versions")), "[1]");
    // v7 sorts by creation, also within one millisecond.
    EXPECT_EQ(at(at(o, "v7"), "increasing"), boolean(true));
    int64_t now = at(o, "now").scalar.i;
    for (const char* p : {"v7_parse", "v1_parse"}) {
        int64_t ts = at(at(o, p), "timestamp").scalar.i;
        EXPECT_LE(std::llabs(ts - now), 5) << p << ": " << json(at(o, p));
    }
    EXPECT_EQ(at(at(o, "v1_parse"), "version"), integer(1));
    EXPECT_EQ(text(at(at(o, "v1_parse"), "node")).size(), 12u);
    EXPECT_EQ(at(o, "v7_parse").find("node"), nullptr);
    EXPECT_EQ(at(o, "v1_node_stable"), boolean(true));
    EXPECT_EQ(at(o, "v1_multicast"), boolean(true));  // a random node id, never a MAC address
}

TEST_F(LuaDataModules, UuidNameBasedVectors) {
    const char* dns = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
    EXPECT_EQ(value_of("uuid", "v3", {str(dns), str("www.example.com")}), "5df41881-3aed-3515-88a7-2f4a814cf09e");
    EXPECT_EQ(value_of("uuid", "v5", {str(dns), str("www.example.com")}), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
    EXPECT_EQ(value_of("uuid", "v3", {str(dns), str("python.org")}), "6fa459ea-ee8a-3ca4-894e-db77e160355e");
    EXPECT_EQ(value_of("uuid", "v5", {str(dns), str("python.org")}), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    // The namespace in any accepted form.
    EXPECT_EQ(value_of("uuid", "v5", {str("{6BA7B810-9DAD-11D1-80B4-00C04FD430C8}"), str("python.org")}),
              "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    expect_error(invoke("uuid", "v5", {str("not-a-uuid"), str("x")}), "Invalid",
                 "uuid.v5: invalid UUID format (namespace)");
    expect_error(invoke("uuid", "v3", {integer(1), str("x")}), "Invalid", "uuid.v3: namespace must be a string");
    expect_error(invoke("uuid", "v5", {str(dns), nil()}), "Invalid", "uuid.v5: name must be a string, got nil");
}

TEST_F(LuaDataModules, UuidParsingFormsVariantsAndFormats) {
    const char* id = "550e8400-e29b-41d4-a716-446655440000";
    for (const char* form : {"550e8400-e29b-41d4-a716-446655440000", "550E8400-E29B-41D4-A716-446655440000",
                             "{550e8400-e29b-41d4-a716-446655440000}", "urn:uuid:550e8400-e29b-41d4-a716-446655440000",
                             "URN:UUID:550e8400-e29b-41d4-a716-446655440000", "550e8400e29b41d4a716446655440000"}) {
        EXPECT_EQ(at(invoke("uuid", "validate", {str(form)}), "value"), boolean(true)) << form;
        EXPECT_EQ(value_of("uuid", "format", {str(form)}), id) << form;
    }
    for (Value bad : {str("not-a-uuid"), str(""), str("550e8400-e29b-41d4-a716-44665544000"),
                      str("550e8400-e29b-41d4-a716-4466554400000"), str("550e8400e-29b-41d4-a716-446655440000"),
                      str("550e8400-e29b-41d4-a716-44665544000g"), str("(550e8400-e29b-41d4-a716-446655440000)"),
                      integer(5), Value::map(), nil()}) {
        EXPECT_EQ(at(invoke("uuid", "validate", {bad}), "value"), boolean(false)) << json(bad);
    }
    EXPECT_EQ(at(invoke("uuid", "version", {str(id)}), "value"), integer(4));
    expect_error(invoke("uuid", "version", {str("nope")}), "Invalid", "uuid.version: invalid UUID format");
    expect_error(invoke("uuid", "variant", {integer(1)}), "Invalid", "uuid.variant: uuid must be a string");
    expect_error(invoke("uuid", "parse", {str("nope")}), "Invalid", "uuid.parse: invalid UUID format");
    // The variant field (byte 8): 0xxx NCS, 10xx RFC 4122, 110x Microsoft, 111x future.
    EXPECT_EQ(value_of("uuid", "variant", {str("00000000-0000-0000-0000-000000000000")}), "NCS");
    EXPECT_EQ(value_of("uuid", "variant", {str("00000000-0000-0000-7fff-000000000000")}), "NCS");
    EXPECT_EQ(value_of("uuid", "variant", {str("00000000-0000-0000-bfff-000000000000")}), "RFC4122");
    EXPECT_EQ(value_of("uuid", "variant", {str("00000000-0000-0000-c000-000000000000")}), "Microsoft");
    EXPECT_EQ(value_of("uuid", "variant", {str("00000000-0000-0000-e000-000000000000")}), "Future");
    // RFC 9562 A.6's v7: unix_ts_ms 0x017F22E279B0 = 2022-02-22 19:22:22 UTC.
    EXPECT_EQ(json(at(invoke("uuid", "parse", {str("017F22E2-79B0-7CC3-98C4-DC0C0C07398F")}), "value")),
              R"({"timestamp":1645557742,"variant":"RFC4122","version":7})");
    EXPECT_EQ(json(at(invoke("uuid", "parse", {str(id)}), "value")), R"({"variant":"RFC4122","version":4})");
    EXPECT_EQ(value_of("uuid", "format", {str(id), nil()}), id);
    EXPECT_EQ(value_of("uuid", "format", {str(id), str("simple")}), "550e8400e29b41d4a716446655440000");
    EXPECT_EQ(value_of("uuid", "format", {str(id), str("urn")}), std::string("urn:uuid:") + id);
    expect_error(invoke("uuid", "format", {str(id), str("braces")}), "Invalid",
                 "uuid.format: unsupported format 'braces' (standard, simple or urn)");
    expect_error(invoke("uuid", "format", {str(id), integer(3)}), "Invalid", "unsupported format");
}

// ---------------------------------------------------------------- hash

TEST_F(LuaDataModules, HashDocsRunAsWritten) {
    auto r = call("test.data:hash_docs", args({str("password"), str("salt"), integer(4096), integer(40)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& o = r.value;
    const std::pair<const char*, const char*> expected[] = {
        {"md5", "8d777f385d3dfec8815d20f7496026dc"},
        {"sha1", "a17c9aaa61e80a1bf71d0d850af4e5baa9800bbd"},
        {"sha256", "3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7"},
        {"sha512", "77c7ce9a5d86bb386d443bb96390faa120633158699c8844c30b13ab0bf92760b7e4416aea397db91b4ac0e5dd56b8ef7e4"
                   "b066162ab1fdc0883"
                   "19ce6defc876"},
        {"hmac_md5", "7e0d0767775312154ba16fd3af9771a2"},
        {"hmac_sha1", "0caf649feee4953d87bf903ac1176c45e028df16"},
        {"hmac_sha256", "8b5f48702995c1598c573db1e21866a9b825d4a794d169d7060a03605796360b"},
        {"hmac_sha512", "1bba587c730eedba31f53abb0b6ca589e09de4e894ee455e6140807399759adaafa069eec7c01647bb173dcb17f55d"
                        "22af49a18071b748c5c2"
                        "edd7f7a829c632"},
    };
    for (const auto& [fn, digest] : expected) {
        EXPECT_EQ(at(at(o, fn), "hex"), str(digest)) << fn;
        EXPECT_EQ(hex(text(at(at(o, fn), "raw"))), digest) << fn;
    }
    EXPECT_EQ(at(o, "fnv32"), integer(0x74cb23bd));  // FNV-1 32 of "data"
    EXPECT_EQ(at(o, "fnv64").scalar.n, static_cast<double>(0x14dfb87eecce7a1dull));
    // PBKDF2-HMAC-SHA256 ("password", "salt", 4096, 40) and its SHA-512 twin.
    EXPECT_EQ(hex(text(at(o, "pbkdf2").items.at(0))),
              "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134af7ad98c1b458ce3f");
    EXPECT_EQ(at(o, "pbkdf2_sha512").size(), 1u);
    EXPECT_EQ(text(at(o, "pbkdf2_sha512").items.at(0)).size(), 40u);
}

TEST_F(LuaDataModules, HashDigestVectors) {
    // RFC 1321 (MD5), FIPS 180-4 examples (SHA-1, SHA-256, SHA-512): "", "abc", the
    // two-block messages and a million 'a'.
    const std::string m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    const std::string m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrl"
                             "mnopqrsmnopqrstnopqrstu";
    const std::string million(1000000, 'a');
    struct Vector {
        const char* fn;
        std::string data;
        const char* digest;
    };
    const Vector vectors[] = {
        {"md5", "", "d41d8cd98f00b204e9800998ecf8427e"},
        {"md5", "abc", "900150983cd24fb0d6963f7d28e17f72"},
        {"md5", "message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
        {"md5", million, "7707d6ae4e027c70eea2a935c2296f21"},
        {"sha1", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
        {"sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
        {"sha1", m448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
        {"sha1", million, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
        {"sha256", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"sha256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"sha256", m448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"sha256", million, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
        {"sha512", "",
         "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417"
         "a81a53832"
         "7af927da3e"},
        {"sha512", "abc",
         "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce"
         "80e2a9ac9"
         "4fa54ca49f"},
        {"sha512", m896,
         "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd2"
         "6545e96e5"
         "5b874be909"},
        {"sha512", million,
         "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49a"
         "a2e4eadb2"
         "17ad8cc09b"},
    };
    for (const auto& v : vectors) {
        EXPECT_EQ(value_of("hash", v.fn, {str(v.data)}), v.digest) << v.fn << " of " << v.data.size() << " bytes";
        EXPECT_EQ(hex(value_of("hash", v.fn, {str(v.data), boolean(true)})), v.digest) << v.fn << " raw";
    }
}

TEST_F(LuaDataModules, HashHmacVectors) {
    // RFC 2202 (HMAC-MD5, HMAC-SHA1) and RFC 4231 (HMAC-SHA256, HMAC-SHA512): test cases
    // 1 (0x0b key), 2 ("Jefe") and 6 (a key longer than the block).
    const std::string hi = "Hi There";
    const std::string jefe = "what do ya want for nothing?";
    const std::string big = "Test Using Larger Than Block-Size Key - Hash Key First";
    struct Vector {
        const char* fn;
        std::string key;
        std::string data;
        const char* mac;
    };
    const Vector vectors[] = {
        {"hmac_md5", std::string(16, '\x0b'), hi, "9294727a3638bb1c13f48ef8158bfc9d"},
        {"hmac_md5", "Jefe", jefe, "750c783e6ab0b503eaa86e310a5db738"},
        {"hmac_md5", std::string(80, '\xaa'), big, "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd"},
        {"hmac_sha1", std::string(20, '\x0b'), hi, "b617318655057264e28bc0b6fb378c8ef146be00"},
        {"hmac_sha1", "Jefe", jefe, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
        {"hmac_sha1", std::string(80, '\xaa'), big, "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
        {"hmac_sha256", std::string(20, '\x0b'), hi,
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"hmac_sha256", "Jefe", jefe, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {"hmac_sha256", std::string(131, '\xaa'), big,
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
        {"hmac_sha512", std::string(20, '\x0b'), hi,
         "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f"
         "1702e69"
         "6c203a126854"},
        {"hmac_sha512", "Jefe", jefe,
         "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6"
         "b4b636e"
         "070a38bce737"},
        {"hmac_sha512", std::string(131, '\xaa'), big,
         "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0"
         "aec8b91"
         "5a985d786598"},
    };
    for (const auto& v : vectors) {
        EXPECT_EQ(value_of("hash", v.fn, {str(v.data), str(v.key)}), v.mac) << v.fn << " key " << v.key.size();
        EXPECT_EQ(hex(value_of("hash", v.fn, {str(v.data), str(v.key), boolean(true)})), v.mac) << v.fn << " raw";
    }
    // An empty secret is a key like any other.
    EXPECT_EQ(value_of("hash", "hmac_sha256", {str(""), str("")}),
              "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_F(LuaDataModules, HashFnv1Vectors) {
    // FNV-1 (hash.md), from the FNV reference's test suite: "", "a", "foobar".
    EXPECT_EQ(at(invoke("hash", "fnv32", {str("")}), "value"), integer(0x811c9dc5));
    EXPECT_EQ(at(invoke("hash", "fnv32", {str("a")}), "value"), integer(0x050c5d7e));
    EXPECT_EQ(at(invoke("hash", "fnv32", {str("foobar")}), "value"), integer(0x31f0b262));
    // fnv64 is a Lua number: the nearest double to the 64-bit value.
    EXPECT_EQ(at(invoke("hash", "fnv64", {str("")}), "value").scalar.n, static_cast<double>(0xcbf29ce484222325ull));
    EXPECT_EQ(at(invoke("hash", "fnv64", {str("a")}), "value").scalar.n, static_cast<double>(0xaf63bd4c8601b7beull));
    EXPECT_EQ(at(invoke("hash", "fnv64", {str("foobar")}), "value").scalar.n,
              static_cast<double>(0x340d8765a4dda9c2ull));
}

TEST_F(LuaDataModules, HashPbkdf2Vectors) {
    // RFC 7914 section 11 (PBKDF2-HMAC-SHA256).
    EXPECT_EQ(hex(value_of("hash", "pbkdf2", {str("passwd"), str("salt"), integer(1), integer(64)})),
              "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845"
              "b1e30bd50911"
              "2041d3a19783");
    EXPECT_EQ(hex(value_of("hash", "pbkdf2", {str("Password"), str("NaCl"), integer(80000), integer(64)})),
              "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bde"
              "bba1d078478f"
              "62b397f33c8d");
    // SHA-512, a length that ends inside a block (checked against Python's hashlib.pbkdf2_hmac).
    EXPECT_EQ(hex(value_of("hash", "pbkdf2",
                           {str("password"), str("salt"), integer(1000), integer(40), str("sha512")})),
              "afe6c5530785b6cc6b1c6453384731bd5ee432ee549fd42fb6695779ad8a1c5bf59de69c48f774ef");
}

TEST_F(LuaDataModules, HashRejectsBadArguments) {
    expect_error(invoke("hash", "md5", {integer(123)}), "Invalid", "hash.md5: data must be a string");
    expect_error(invoke("hash", "sha512", {nil()}), "Invalid", "hash.sha512: data must be a string");
    expect_error(invoke("hash", "hmac_sha256", {str("m"), integer(1)}), "Invalid",
                 "hash.hmac_sha256: secret must be a string");
    expect_error(invoke("hash", "hmac_md5", {Value::map(), str("k")}), "Invalid",
                 "hash.hmac_md5: data must be a string");
    expect_error(invoke("hash", "fnv32", {integer(1)}), "Invalid", "hash.fnv32: data must be a string");
    expect_error(invoke("hash", "fnv64", {nil()}), "Invalid", "hash.fnv64: data must be a string");
    auto pbkdf2 = [&](Value p, Value s, Value i, Value k, Value h = Value()) {
        return invoke("hash", "pbkdf2", {std::move(p), std::move(s), std::move(i), std::move(k), std::move(h)});
    };
    expect_error(pbkdf2(str(""), str("s"), integer(1), integer(8)), "Invalid", "password must not be empty");
    expect_error(pbkdf2(str("p"), str(""), integer(1), integer(8)), "Invalid", "salt must not be empty");
    expect_error(pbkdf2(integer(1), str("s"), integer(1), integer(8)), "Invalid", "password must be a string");
    for (Value bad : {integer(0), integer(10000001), Value::number(1.5), str("10"), nil()}) {
        expect_error(pbkdf2(str("p"), str("s"), bad, integer(8)), "Invalid",
                     "iterations must be an integer from 1 to 10000000");
    }
    for (Value bad : {integer(0), integer(4097), Value::number(2.5)}) {
        expect_error(pbkdf2(str("p"), str("s"), integer(1), bad), "Invalid",
                     "key_length must be an integer from 1 to 4096");
    }
    expect_error(pbkdf2(str("p"), str("s"), integer(1), integer(8), str("md5")), "Invalid",
                 "hash must be \"sha256\" or \"sha512\"");
    // The upper bound itself is allowed.
    EXPECT_EQ(value_of("hash", "pbkdf2", {str("p"), str("s"), integer(1), integer(4096)}).size(), 4096u);
}

TEST_F(LuaDataModules, HashPbkdf2StopsAtTheDeadline) {
    // 10 million iterations take seconds; the call's deadline ends it.
    CallOptions o;
    o.timeout = std::chrono::milliseconds(200);
    auto started = std::chrono::steady_clock::now();
    auto r = modrt::test::run_within([&] { return call("test.data:pbkdf2_long", Value::array(), o); },
                                     std::chrono::seconds(20));
    ASSERT_TRUE(r.has_value()) << "pbkdf2 ran past its deadline for 20 s";
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->error->kind, MODRT_ERR_TIMEOUT) << r->error->message;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

// ---------------------------------------------------------------- logger

TEST_F(LuaDataModules, LoggerDocsWriteThroughTheKernelLogger) {
    DataModulesLogCapture capture("debug");
    auto r = call("test.data:logger_docs", args({str("req-42")}));
    std::string log = capture.finish();
    ASSERT_TRUE(r.ok()) << r.error->message;
    auto lines = log_lines_with(log, "[test.data:logger_docs]");
    ASSERT_EQ(lines.size(), 6u) << log;
    EXPECT_EQ(lines[0], R"([debug] [test.data:logger_docs] message {"key":"value"})");
    EXPECT_EQ(lines[1], R"([info] [test.data:logger_docs] message {"key":"value"})");
    EXPECT_EQ(lines[2], R"([warning] [test.data:logger_docs] message {"key":"value"})");
    EXPECT_EQ(lines[3], R"([error] [test.data:logger_docs] message {"key":"value"})");
    EXPECT_EQ(lines[4], R"([info] [test.data:logger_docs] message {"request_id":"req-42"})");
    EXPECT_EQ(lines[5], R"([info] [test.data:logger_docs] auth: message)");
}

TEST_F(LuaDataModules, LoggerLevelsFollowTheKernelLevel) {
    for (const char* level : {"warn", "error", "off"}) {
        DataModulesLogCapture capture(level);
        auto r = call("test.data:logger_docs", args({str("req-1")}));
        std::string log = capture.finish();
        ASSERT_TRUE(r.ok()) << r.error->message;
        auto lines = log_lines_with(log, "[test.data:logger_docs]");
        std::string want = level == std::string("warn")    ? "[warning] [error] "
                           : level == std::string("error") ? "[error] "
                                                           : "";
        std::string got;
        for (const auto& l : lines) got += l.substr(0, l.find(']') + 1) + " ";
        EXPECT_EQ(got, want) << level << "\n" << log;
    }
}

TEST_F(LuaDataModules, LoggerFieldsNamesAndErrors) {
    DataModulesLogCapture capture("debug");
    auto r = call("test.data:logger_cases", args({str("lc")}));
    std::string log = capture.finish();
    ASSERT_TRUE(r.ok()) << r.error->message;
    auto line = [&](std::string_view needle) {
        auto found = log_lines_with(log, needle);
        EXPECT_EQ(found.size(), 1u) << needle << "\n" << log;
        return found.empty() ? std::string() : found[0];
    };
    const std::string src = "[test.data:logger_cases] ";
    EXPECT_EQ(line("lc debug line"), "[debug] " + src + "lc debug line");
    EXPECT_EQ(line("lc dot call"), "[info] " + src + "lc dot call");
    // The call's fields win over the logger's on the same key; keys are sorted.
    EXPECT_EQ(line("lc with"), "[info] " + src + R"(lc with {"request_id":"r-1","step":2,"user":"bob"})");
    EXPECT_EQ(line("lc named"),
              "[warning] " + src + R"(auth.db: lc named {"list":[1,2],"nested":{"k":"v"},"ok":true,"pool":3})");
    EXPECT_EQ(line("lc special"),
              "[error] " + src + R"(lc special {"error":{"kind":"NotFound","message":"gone"},"f":"<function>"})");
    EXPECT_EQ(line("lc escaped"), "[info] " + src + R"(lc escaped {"7":"seven","quo\"te":"line\nbreak"})");
    EXPECT_EQ(line("lc copy"), "[info] " + src + R"(lc copy {"a":1,"b":2})");
    EXPECT_EQ(line("lc parent"), "[info] " + src + R"(lc parent {"a":1})");

    const Value& o = r.value;
    EXPECT_EQ(at(o, "tostring_named"), str("Logger(auth.db)"));
    EXPECT_EQ(at(o, "tostring_child"), str("Logger"));
    EXPECT_EQ(json(at(o, "empty_name")),
              R"({"kind":"Invalid","message":"logger:named: the name must not be empty","ok":false})");
    for (const char* bad : {"name_not_string", "message_not_string", "fields_not_table", "with_not_table"}) {
        EXPECT_EQ(at(at(o, bad), "ok"), boolean(false)) << bad;
        EXPECT_NE(text(at(at(o, bad), "message")).find("expected"), std::string::npos)
            << bad << ": " << json(at(o, bad));
    }
}

TEST_F(LuaDataModules, LoggerBelowTheLevelWritesNothing) {
    DataModulesLogCapture capture("error");
    auto r = call("test.data:logger_cases", args({str("quiet")}));
    std::string log = capture.finish();
    ASSERT_TRUE(r.ok()) << r.error->message;
    auto lines = log_lines_with(log, "quiet");
    ASSERT_EQ(lines.size(), 2u) << log;  // the two error lines
    EXPECT_EQ(lines[0], "[error] [test.data:logger_cases] quiet error line");
    EXPECT_EQ(lines[1].rfind("[error] [test.data:logger_cases] quiet special", 0), 0u) << lines[1];
}

// ---------------------------------------------------------------- all five

TEST_F(LuaDataModules, ModulesAreReadOnlyAndNeedModulesList) {
    auto r = call("test.data:sealed");
    ASSERT_TRUE(r.ok()) << r.error->message;
    for (const char* m : {"json", "base64", "uuid", "hash", "logger"}) {
        EXPECT_EQ(at(at(r.value, m), "ok"), boolean(false)) << m;
        EXPECT_EQ(at(at(r.value, m), "type"), str("userdata")) << m;
        EXPECT_NE(text(at(at(r.value, m), "message")).find("read-only"), std::string::npos)
            << m << ": " << json(at(r.value, m));
    }
    auto denied = call("test.data:not_listed");
    ASSERT_TRUE(denied.ok()) << denied.error->message;
    EXPECT_EQ(at(denied.value, "ok"), boolean(false));
    EXPECT_NE(text(at(denied.value, "message")).find("module 'json' is not allowed for entry 'test.data:not_listed'"),
              std::string::npos)
        << json(denied.value);
}

}  // namespace
