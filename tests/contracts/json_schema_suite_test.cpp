// The JSON Schema draft-07 validator (libs/json_schema) against the official
// JSON-Schema-Test-Suite, then focused tests of what the contract plugin relies on:
// violation paths and messages, collecting every violation, schema errors, threads.
#include "json_schema/schema.hpp"

#include <modrt/kernel/json.hpp>
#include <modrt/kernel/runtime.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace js = modrt::contract::json_schema;
using modrt::kernel::Value;

const fs::path kSuite = JSON_SCHEMA_SUITE_DIR;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Value parse(std::string_view text) {
    Value v;
    auto error = modrt::kernel::parse_json(text, v);
    EXPECT_EQ(error, nullptr) << (error ? error->message : "") << " in " << text;
    return v;
}

std::string text_of(const Value* v) { return v ? modrt::kernel::to_json(*v) : "(none)"; }

// "path keyword: message", one per violation, for readable comparisons.
std::vector<std::string> lines(const std::vector<js::Violation>& violations) {
    std::vector<std::string> out;
    for (const js::Violation& v : violations) out.push_back("'" + v.path + "' " + v.keyword + ": " + v.message);
    return out;
}

// --- the official suite ---

// The suite's remote documents, served (as its tests expect) from http://localhost:1234/.
class Remotes {
public:
    explicit Remotes(const fs::path& dir) {
        if (!fs::is_directory(dir)) return;
        for (const auto& entry : fs::recursive_directory_iterator(dir)) {
            if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
            uris_.push_back("http://localhost:1234/" + fs::relative(entry.path(), dir).generic_string());
            values_.push_back(parse(read_file(entry.path())));
        }
        for (size_t i = 0; i < uris_.size(); ++i) documents_.push_back({uris_[i], &values_[i]});
    }
    std::span<const js::Document> documents() const { return documents_; }

private:
    std::deque<std::string> uris_;
    std::deque<Value> values_;
    std::vector<js::Document> documents_;
};

struct FileResult {
    int passed = 0;
    int total = 0;
    std::vector<std::string> failures;
};

FileResult run_file(const modrt_host_api& host, const fs::path& file, const Remotes& remotes) {
    FileResult result;
    Value groups;
    if (auto error = modrt::kernel::parse_json(read_file(file), groups)) {
        result.failures.push_back("cannot parse the file: " + error->message);
        return result;
    }
    for (const Value& group : groups.items) {
        std::string error;
        auto schema = js::Schema::compile(host, group.find("schema"), remotes.documents(), &error);
        const Value* tests = group.find("tests");
        for (const Value& test : tests->items) {
            ++result.total;
            const bool expected = test.find("valid")->scalar.b;
            const Value* data = test.find("data");
            std::string why;
            if (!schema) {
                why = "schema rejected: " + error;
            } else {
                // Both modes must agree, and an invalid instance must say why.
                const bool fast = schema->validate(data, nullptr);
                std::vector<js::Violation> violations;
                const bool full = schema->validate(data, &violations);
                if (fast != full) why = "fast and collecting validation disagree";
                else if (full != violations.empty())
                    why = full ? "valid, yet violations reported" : "invalid, yet no violation";
                else if (full != expected) why = expected ? "rejected: " + lines(violations).front() : "accepted";
            }
            if (why.empty()) ++result.passed;
            else
                result.failures.push_back(group.find("description")->str + " / " + test.find("description")->str +
                                          " (data " + text_of(data) + "): " + why);
        }
    }
    return result;
}

// Everything outside optional/ must pass (optional/ is the suite's own "not required by
// the spec" folder: formats, bignum, ...), refRemote.json included: it needs the remotes,
// which Remotes serves.
bool required(const fs::path& relative) { return *relative.begin() != "optional"; }

std::vector<fs::path> suite_files(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

TEST(JsonSchemaSuite, Draft7) {
    const fs::path dir = kSuite / "tests" / "draft7";
    if (!fs::is_directory(dir))
        FAIL() << "JSON-Schema-Test-Suite not found at " << dir << ": apt-get install json-schema-test-suite";
    modrt::kernel::Runtime rt({});
    const Remotes remotes(kSuite / "remotes");
    ASSERT_FALSE(remotes.documents().empty()) << "no remote documents under " << kSuite / "remotes";
    int required_cases = 0;
    int ref_remote_cases = 0;
    for (const fs::path& file : suite_files(dir)) {
        const fs::path relative = fs::relative(file, dir);
        FileResult r = run_file(rt.host_api(), file, remotes);
        std::cout << relative.generic_string() << ": " << r.passed << "/" << r.total << "\n";
        for (const std::string& f : r.failures) std::cout << "    " << f << "\n";
        if (!required(relative)) {
            EXPECT_EQ(*relative.begin(), "optional") << relative << ": only optional/ may be skipped";
            continue;
        }
        required_cases += r.total;
        if (relative == "refRemote.json") ref_remote_cases = r.total;
        for (const std::string& f : r.failures) ADD_FAILURE() << relative.generic_string() << ": " << f;
    }
    EXPECT_GT(required_cases, 300);
    EXPECT_GT(ref_remote_cases, 0) << "refRemote.json was not run";
}

// Each suite schema is a valid draft-07 schema: the embedded metaschema must agree.
TEST(JsonSchemaSuite, EverySuiteSchemaMatchesTheMetaschema) {
    const fs::path dir = kSuite / "tests" / "draft7";
    if (!fs::is_directory(dir))
        FAIL() << "JSON-Schema-Test-Suite not found at " << dir << ": apt-get install json-schema-test-suite";
    modrt::kernel::Runtime rt({});
    std::string error;
    Value meta = parse(R"({"$ref": "http://json-schema.org/draft-07/schema#"})");
    auto metaschema = js::Schema::compile(rt.host_api(), &meta, &error);
    ASSERT_TRUE(metaschema) << error;
    for (const fs::path& file : suite_files(dir)) {
        Value groups = parse(read_file(file));
        for (const Value& group : groups.items) {
            std::vector<js::Violation> violations;
            EXPECT_TRUE(metaschema->validate(group.find("schema"), &violations))
                << file.filename() << " / " << group.find("description")->str << ": "
                << (violations.empty() ? "" : lines(violations).front());
        }
    }
}

// --- focused tests ---

class JsonSchema : public ::testing::Test {
protected:
    std::unique_ptr<js::Schema> compile(std::string_view schema_text) {
        Value schema = parse(schema_text);  // freed on return: the Schema must not need it
        std::string error;
        auto compiled = js::Schema::compile(host(), &schema, &error);
        EXPECT_TRUE(compiled) << error;
        return compiled;
    }

    std::string compile_error(std::string_view schema_text) {
        Value schema = parse(schema_text);
        std::string error;
        EXPECT_EQ(js::Schema::compile(host(), &schema, &error), nullptr) << schema_text;
        return error;
    }

    // The violations, after checking that the fast path reaches the same verdict.
    std::vector<std::string> violations(const js::Schema& schema, std::string_view instance_text) {
        Value instance = parse(instance_text);
        std::vector<js::Violation> found;
        bool valid = schema.validate(&instance, &found);
        EXPECT_EQ(schema.validate(&instance, nullptr), valid) << instance_text;
        EXPECT_EQ(valid, found.empty()) << instance_text;
        return lines(found);
    }

    const modrt_host_api& host() const { return rt_.host_api(); }

private:
    modrt::kernel::Runtime rt_{modrt::kernel::RuntimeOptions{}};
};

using Lines = std::vector<std::string>;

TEST_F(JsonSchema, ViolationsCarryInstancePathsIntoNestedObjectsAndArrays) {
    auto schema = compile(R"({
        "type": "object",
        "properties": {
            "user": {"type": "object", "properties": {
                "name": {"type": "string", "minLength": 2},
                "age": {"type": "integer", "minimum": 0}}},
            "items": {"type": "array", "items": {"type": "integer"}}
        }})");
    ASSERT_TRUE(schema);
    EXPECT_EQ(violations(*schema, R"({"user": {"name": 5, "age": -1}, "items": [1, "x", 3.5]})"),
              (Lines{"'/user/name' type: expected string, got integer", "'/user/age' minimum: must be >= 0, got -1",
                     "'/items/1' type: expected integer, got string",
                     "'/items/2' type: expected integer, got number"}));
    EXPECT_EQ(violations(*schema, R"({"user": {"name": "A"}})"),
              (Lines{"'/user/name' minLength: must be at least 2 characters long, got 1"}));
    EXPECT_EQ(violations(*schema, R"({"user": {"name": "Ada", "age": 36}, "items": [1, 2.0]})"), Lines{});
    EXPECT_EQ(violations(*schema, "[]"), (Lines{"'' type: expected object, got array"}));
}

TEST_F(JsonSchema, CollectsEveryViolationAtOnceButTheFastPathStopsAtTheFirst) {
    auto schema = compile(R"({
        "type": "object",
        "required": ["id", "name", "email"],
        "properties": {
            "email": {"type": "string", "format": "email"},
            "profile": {"properties": {"tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}}}
        }})");
    ASSERT_TRUE(schema);
    EXPECT_EQ(violations(*schema, R"({"email": "ada@example.com", "profile": {"tags": ["a", 1, "a"]}})"),
              (Lines{"'' required: missing required property 'id'", "'' required: missing required property 'name'",
                     "'/profile/tags/1' type: expected string, got integer",
                     "'/profile/tags' uniqueItems: items 0 and 2 are equal"}));
    Value instance = parse(R"({"email": "nope"})");
    EXPECT_FALSE(schema->validate(&instance));
}

TEST_F(JsonSchema, PathTokensAreEscapedAsJsonPointers) {
    auto schema = compile(R"({"additionalProperties": {"type": "integer"}})");
    ASSERT_TRUE(schema);
    EXPECT_EQ(violations(*schema, R"({"a/b": "x", "m~n": "y", "": "z"})"),
              (Lines{"'/a~1b' type: expected integer, got string", "'/m~0n' type: expected integer, got string",
                     "'/' type: expected integer, got string"}));
}

TEST_F(JsonSchema, MessagesSayWhy) {
    auto closed = compile(R"({"properties": {"a": true}, "additionalProperties": false,
                              "propertyNames": {"maxLength": 3}})");
    ASSERT_TRUE(closed);
    EXPECT_EQ(violations(*closed, R"({"a": 1, "long": 2})"),
              (Lines{"'/long' additionalProperties: property 'long' is not allowed",
                     "'/long' propertyNames: invalid property name 'long': must be at most 3 characters long, got 4"}));

    auto choice = compile(R"({"anyOf": [{"type": "string"}, {"type": "null"}]})");
    ASSERT_TRUE(choice);
    EXPECT_EQ(violations(*choice, "7"),
              (Lines{"'' anyOf: matches none of the anyOf schemas (0: expected string, got integer; "
                     "1: expected null, got integer)"}));

    auto one = compile(R"({"oneOf": [{"type": "integer"}, {"minimum": 2}]})");
    ASSERT_TRUE(one);
    EXPECT_EQ(violations(*one, "3"), (Lines{"'' oneOf: matches oneOf schemas 0 and 1, but must match exactly one"}));

    auto literal = compile(R"({"properties": {"e": {"enum": ["a", 1, null]}, "c": {"const": {"k": [1]}}},
                               "dependencies": {"card": ["billing"]}})");
    ASSERT_TRUE(literal);
    EXPECT_EQ(violations(*literal, R"({"e": "b", "c": {"k": [2]}, "card": 1})"),
              (Lines{"'/e' enum: must be one of [\"a\",1,null]", "'/c' const: must be {\"k\":[1]}",
                     "'' dependencies: property 'card' requires property 'billing'"}));
    // JSON equality: 1 == 1.0, member order does not count.
    EXPECT_EQ(violations(*literal, R"({"e": 1.0, "c": {"k": [1.0]}})"), Lines{});

    auto tuple = compile(R"({"items": [{"type": "string"}], "additionalItems": false, "contains": {"const": 5}})");
    ASSERT_TRUE(tuple);
    EXPECT_EQ(violations(*tuple, R"(["a", 1])"), (Lines{"'' additionalItems: must have at most 1 item, got 2",
                                                        "'' contains: no item matches the \"contains\" schema"}));

    auto never = compile(R"({"properties": {"x": false}, "not": {"required": ["y"]}})");
    ASSERT_TRUE(never);
    EXPECT_EQ(violations(*never, R"({"x": 1, "y": 2})"),
              (Lines{"'/x' false: no value is allowed here", "'' not: must not match the \"not\" schema"}));
}

TEST_F(JsonSchema, IntegerAcceptsIntegralNumbersAndLengthsCountCodePoints) {
    auto integer = compile(R"({"type": "integer", "multipleOf": 2})");
    ASSERT_TRUE(integer);
    EXPECT_EQ(violations(*integer, "4.0"), Lines{});
    EXPECT_EQ(violations(*integer, "4.5"),
              (Lines{"'' type: expected integer, got number", "'' multipleOf: must be a multiple of 2, got 4.5"}));
    auto decimal = compile(R"({"multipleOf": 0.1})");
    ASSERT_TRUE(decimal);
    EXPECT_EQ(violations(*decimal, "0.3"), Lines{});

    auto text = compile(R"({"maxLength": 2, "pattern": "b"})");
    ASSERT_TRUE(text);
    EXPECT_EQ(violations(*text, R"("éb")"), Lines{});  // three bytes, two code points
    EXPECT_EQ(violations(*text, R"("日本語")"), (Lines{"'' maxLength: must be at most 2 characters long, got 3",
                                                       "'' pattern: must match the pattern 'b'"}));

    // BYTES are strings to a schema (JSON has no other place for them), measured in bytes.
    Value bytes = modrt_value::bytes("\xff\xfe\xfd");
    std::vector<js::Violation> found;
    EXPECT_FALSE(text->validate(&bytes, &found));
    EXPECT_EQ(lines(found), (Lines{"'' maxLength: must be at most 2 characters long, got 3",
                                   "'' pattern: must match the pattern 'b'"}));
}

TEST_F(JsonSchema, UniqueItemsOnLongArraysFindsEqualItemsOfAnyShape) {
    auto schema = compile(R"({"uniqueItems": true})");
    ASSERT_TRUE(schema);
    std::string items;
    for (int i = 0; i < 40; ++i) items += std::to_string(i) + ",";
    EXPECT_EQ(violations(*schema, "[" + items + R"({"a": 1, "b": [2]}, {"b": [2.0], "a": 1}])"),
              (Lines{"'' uniqueItems: items 40 and 41 are equal"}));
    EXPECT_EQ(violations(*schema, "[" + items + "3.0]"), (Lines{"'' uniqueItems: items 3 and 40 are equal"}));
    EXPECT_EQ(violations(*schema, "[" + items + R"("3", [3], {"3": 3}, true, null])"), Lines{});
}

TEST_F(JsonSchema, InvalidSchemasAreRejectedWithTheirLocation) {
    EXPECT_EQ(compile_error(R"({"properties": {"a": {"type": "strin"}}})"),
              "invalid schema at /properties/a/type: unknown type \"strin\" "
              "(expected null, boolean, integer, number, string, array or object)");
    EXPECT_EQ(
        compile_error(R"({"type": ["string", 5]})"),
        "invalid schema at /type/1: unknown type 5 (expected null, boolean, integer, number, string, array or object)");
    std::string regex = compile_error(R"({"patternProperties": {"(open": {}}})");
    EXPECT_TRUE(regex.starts_with("invalid schema at /patternProperties/(open: invalid regular expression \"(open\": "))
        << regex;
    regex = compile_error(R"({"items": {"pattern": "[z-a]"}})");
    EXPECT_TRUE(regex.starts_with("invalid schema at /items/pattern: invalid regular expression")) << regex;
    EXPECT_EQ(compile_error(R"({"properties": {"a": {"$ref": "#/definitions/missing"}}, "definitions": {}})"),
              "invalid schema at /properties/a/$ref: cannot resolve $ref \"#/definitions/missing\": "
              "/definitions has no \"missing\"");
    EXPECT_EQ(compile_error(R"({"$ref": "other.json#/x"})"),
              "invalid schema at /$ref: cannot resolve $ref \"other.json#/x\": no such document "
              "(remote schemas are never fetched)");
    EXPECT_EQ(compile_error(R"({"$id": "http://example.com/root.json", "items": {"$ref": "#nowhere"}})"),
              "invalid schema at /items/$ref: cannot resolve $ref \"#nowhere\" (http://example.com/root.json#nowhere): "
              "no schema has that \"$id\"");
    EXPECT_EQ(compile_error(R"({"minLength": -1})"),
              "invalid schema at /minLength: must be a non-negative integer, got -1");
    EXPECT_EQ(compile_error(R"({"required": "name"})"),
              "invalid schema at /required: must be an array of strings, got \"name\"");
    EXPECT_EQ(compile_error(R"({"maximum": "10"})"), "invalid schema at /maximum: must be a number, got \"10\"");
    EXPECT_EQ(compile_error(R"({"anyOf": []})"), "invalid schema at /anyOf: must be a non-empty array of schemas");
    EXPECT_EQ(compile_error(R"({"properties": {"a": 5}})"),
              "invalid schema at /properties/a: a schema must be an object or a boolean, got integer");
    EXPECT_EQ(compile_error("5"),
              "invalid schema at the schema root: a schema must be an object or a boolean, got integer");
    // Would recurse forever on any instance.
    EXPECT_EQ(compile_error(R"({"definitions": {"a": {"allOf": [{"$ref": "#"}]}}, "$ref": "#/definitions/a"})"),
              "invalid schema at the schema root: this schema applies itself to the same value without end (a \"$ref\" "
              "loop)");
    // Recursion through properties and items ends with the instance: fine.
    EXPECT_TRUE(compile(R"({"properties": {"next": {"$ref": "#"}}, "items": {"$ref": "#"}})"));
}

TEST_F(JsonSchema, RefsResolveThroughIdsDocumentsAndTheMetaschema) {
    auto tree = compile(R"({
        "$id": "http://example.com/schemas/tree.json",
        "definitions": {
            "node": {"$id": "#node", "type": "object", "required": ["value"],
                     "properties": {"value": {"$ref": "leaf.json"}, "children": {"items": {"$ref": "#node"}}}},
            "leaf": {"$id": "leaf.json", "type": "integer"}
        },
        "$ref": "#node"})");
    ASSERT_TRUE(tree);
    EXPECT_EQ(violations(*tree, R"({"value": 1, "children": [{"value": 2}, {"value": "x", "children": [{}]}]})"),
              (Lines{"'/children/1/value' type: expected integer, got string",
                     "'/children/1/children/0' required: missing required property 'value'"}));

    Value shared = parse(R"({"definitions": {"id": {"type": "string", "pattern": "^[a-z]+:[a-z]+$"}}})");
    Value schema = parse(R"({"properties": {"target": {"$ref": "https://modrt.dev/shared.json#/definitions/id"}}})");
    const js::Document documents[] = {{"https://modrt.dev/shared.json", &shared}};
    std::string error;
    auto with_documents = js::Schema::compile(host(), &schema, documents, &error);
    ASSERT_TRUE(with_documents) << error;
    EXPECT_EQ(violations(*with_documents, R"({"target": "app:greet"})"), Lines{});
    EXPECT_EQ(violations(*with_documents, R"({"target": "greet"})"),
              (Lines{"'/target' pattern: must match the pattern '^[a-z]+:[a-z]+$'"}));

    auto meta = compile(R"({"$ref": "http://json-schema.org/draft-07/schema#"})");
    ASSERT_TRUE(meta);
    EXPECT_EQ(violations(*meta, R"({"type": "string", "properties": {"a": {"minLength": 1}}})"), Lines{});
    EXPECT_EQ(violations(*meta, R"({"properties": {"a": {"minLength": -1}}})"),
              (Lines{"'/properties/a/minLength' minimum: must be >= 0, got -1"}));
}

TEST_F(JsonSchema, OutlivesTheRuntimeWhoseTableCompiledIt) {
    std::unique_ptr<js::Schema> schema;
    {
        modrt::kernel::Runtime other({});
        Value text = parse(R"({"type": "string"})");
        std::string error;
        schema = js::Schema::compile(other.host_api(), &text, &error);
        ASSERT_TRUE(schema) << error;
    }
    Value ok = parse(R"("yes")"), bad = parse("1");
    EXPECT_TRUE(schema->validate(&ok));
    EXPECT_FALSE(schema->validate(&bad));
}

TEST_F(JsonSchema, OneSchemaValidatesFromManyThreads) {
    auto schema = compile(R"({
        "type": "object", "required": ["id", "tags"],
        "properties": {"id": {"type": "integer", "minimum": 1},
                       "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}, "uniqueItems": true},
                       "match": {"type": "string", "format": "regex"}},
        "additionalProperties": false})");
    ASSERT_TRUE(schema);
    // Format "regex" compiles a std::regex per validation: concurrent compiles must not race either.
    const Value valid = parse(R"({"id": 7, "tags": ["a", "b", "c"], "match": "^\\w+$"})");
    const Value invalid = parse(R"({"id": 0, "tags": ["a", "B", "a"], "match": "(", "extra": true})");
    const Lines expected = {"'/id' minimum: must be >= 1, got 0",
                            "'/tags/1' pattern: must match the pattern '^[a-z]+$'",
                            "'/tags' uniqueItems: items 0 and 2 are equal", "'/match' format: is not a valid regex",
                            "'/extra' additionalProperties: property 'extra' is not allowed"};
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 500; ++i) {
                std::vector<js::Violation> found;
                if (!schema->validate(&valid) || schema->validate(&invalid)) ++wrong;
                if (schema->validate(&invalid, &found) || lines(found) != expected) ++wrong;
            }
        });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
