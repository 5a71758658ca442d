// function.lua: typed Lua sources (fixtures/typed), run through the real plugin:
// Wippy's types.md examples, declared types at run time, error lines, libraries' types.
#include "lua_test_util.hpp"

using namespace lua_test;

struct TypedFixture {
    static constexpr std::string_view dirs[] = {"typed"};
};

class LuaTyped : public SharedRuntime<TypedFixture> {};

namespace typed_test {

void expect_contains(const std::string& text, std::string_view needle) {
    EXPECT_NE(text.find(needle), std::string::npos) << "expected '" << needle << "' in: " << text;
}

}  // namespace typed_test

using typed_test::expect_contains;

TEST_F(LuaTyped, DocsExamplesRun) {
    auto r = call("test.typed:docs");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value),
              R"({"a":"anything","add":5,"b":true,"cast1":"bob","cast2":3,"cfg":8080,"div":[3,2],"double":42,)"
              R"("email":"test@example.com","greet":"Hello, Alice","i":42,"id":1,"identity":"hello","n":3.14,)"
              R"("name":"alice","new_function":2,"p":30,"process":[0,7],"render":"Hello, alice",)"
              R"("render_error":"Error: x","s":"hello","scores":2,"st":"pending","sum":6,"x":50,"y":true})");
}

TEST_F(LuaTyped, DeclaredTypesValidate) {
    auto ok = call("test.typed:validate", args({str("user_ok")}));
    ASSERT_TRUE(ok.ok()) << ok.error->message;
    EXPECT_EQ(ok.value, str("a"));

    auto bad = call("test.typed:validate", args({str("user_bad")}));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error->kind, MODRT_ERR_INVALID);
    EXPECT_EQ(bad.error->message, "User: age: expected number, got string");

    auto r = call("test.typed:validate", args({str("all")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "point_ok"), Value::integer(3));
    EXPECT_EQ(at(r.value, "point_bad"), str("Point: y: missing"));
    EXPECT_EQ(at(r.value, "point_kind"), str("Invalid"));
    EXPECT_EQ(at(r.value, "pcall_message"), str("User: expected a table, got number"));
    for (const char* key : {"status_ok", "status_bad", "config_optional", "config_wrong_optional", "person",
                            "person_missing", "result_ok", "result_bad", "array_ok", "array_bad", "map_ok", "map_bad",
                            "checked_ok", "checked_low", "checked_empty", "email_ok", "email_bad", "node_ok",
                            "node_cycle", "node_bad", "load_state", "load_state_bad"})
        EXPECT_EQ(at(r.value, key), Value::boolean(true)) << key;
}

TEST_F(LuaTyped, Reflection) {
    auto r = call("test.typed:reflect");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value),
              R"({"array_elem":"string","fields":["name:string","age:number"],"map_key":"string","map_val":"number",)"
              R"("modify":"docs.lua:166: attempt to modify a type","name_type":"string","person_field":"number",)"
              R"("point_kind":"record","point_name":"Point","variants":["pending","active","done"]})");
}

TEST_F(LuaTyped, PlainLuaMeaningsOfTypedWords) {
    auto r = call("test.typed:ambiguous");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value),
              R"({"as":6,"field":"x","kind":"table","last":3,"long":"a]]b","method":2,"not_equal":true,"type_of":"number"})");
}

TEST_F(LuaTyped, RuntimeErrorsKeepTheirLines) {
    auto boom = call("test.typed:fail_at", args({str("error")}));
    ASSERT_FALSE(boom.ok());
    expect_contains(boom.error->message, "lines.lua:9: boom: here");
    expect_contains(boom.error->stack, "lines.lua:9");
    expect_contains(boom.error->stack, "lines.lua:18");

    auto nil = call("test.typed:fail_at", args({str("nil")}));
    ASSERT_FALSE(nil.ok());
    expect_contains(nil.error->message, "lines.lua:13:");

    auto v = call("test.typed:fail_at", args({str("validate")}));
    ASSERT_FALSE(v.ok());
    // LuaJIT's traceback ends at the type's __call frame: the message names the type and field.
    EXPECT_EQ(v.error->kind, MODRT_ERR_INVALID);
    EXPECT_EQ(v.error->message, "Pair: right: missing");

    auto arith = call("test.typed:fail_at", args({str("cast")}));
    ASSERT_FALSE(arith.ok());
    expect_contains(arith.error->message, "lines.lua:24:");
}

TEST_F(LuaTyped, LibraryTypesReachImporters) {
    Value drawing = map({{"title", str("t")},
                         {"shapes", args({map({{"kind", str("circle")}, {"r", Value::integer(1)}}),
                                          map({{"kind", str("square")}, {"side", Value::integer(2)}})})}});
    auto r = call("test.typed:use_shapes", args({drawing}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"ok":true,"shape":"union","total":7})");

    Value bad = map({{"title", str("t")}, {"shapes", args({map({{"kind", str("hexagon")}})})}});
    auto b = call("test.typed:use_shapes", args({bad}));
    ASSERT_TRUE(b.ok()) << b.error->message;
    EXPECT_EQ(at(b.value, "ok"), Value::boolean(false));
    expect_contains(json(b.value), "Drawing: shapes[1]: matches none of");
}

TEST_F(LuaTyped, StaticTypeErrorsDoNotStopLoading) {
    auto r = call("test.typed:warned");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, str("four"));
}

TEST(LuaTypedLoad, MalformedTypeIsASyntaxErrorWithItsLine) {
    auto rt = make_runtime();
    auto errs = rt->load(fixture("bad_typed"));
    ASSERT_EQ(errs.size(), 1u);
    std::string e = errs.front().format();
    expect_contains(e, "syntax error");
    expect_contains(e, "broken.lua:3: typed Lua: expected a type near '='");
    expect_contains(e, "test.lua:broken");
}
