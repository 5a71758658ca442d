// The typed Lua translator: what it erases, what it builds for `type`, what it leaves
// alone (plain Lua comes back unchanged), that lines never move, and its errors.
#include "typed/typed_translate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

using modrt::lua::typed::translate;
using modrt::lua::typed::Translation;

namespace {

size_t lines(std::string_view s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

// The translation of a typed source; fails the test when it does not translate.
std::string plain(std::string_view src) {
    Translation t = translate(src);
    EXPECT_TRUE(t.ok) << t.error;
    EXPECT_TRUE(t.changed) << src;
    EXPECT_EQ(lines(t.text), lines(src)) << t.text;
    return t.text;  // erasing keeps columns too: the EXPECT_EQs below compare whole lines
}

void unchanged(std::string_view src) {
    Translation t = translate(src);
    EXPECT_TRUE(t.ok) << t.error;
    EXPECT_FALSE(t.changed) << src << "\n->\n" << t.text;
}

}  // namespace

TEST(TypedTranslate, AnnotationsBecomeSpacesInPlace) {
    EXPECT_EQ(plain("local n: number = 3.14"), "local n         = 3.14");
    EXPECT_EQ(plain("local function add(a: number, b: number): number\n  return a + b\nend"),
              "local function add(a        , b        )        \n  return a + b\nend");
    EXPECT_EQ(plain("local y: number? = nil"), "local y          = nil");
    EXPECT_EQ(plain("local function f(...: number): (string?, error?) end"),
              "local function f(...        )                    end");
    EXPECT_EQ(plain("local function identity<T>(x: T): T return x end"),
              "local function identity   (x   )    return x end");
    EXPECT_EQ(plain("local function greet<T: HasName>(obj: T): string end"),
              "local function greet            (obj   )         end");
    EXPECT_EQ(plain("local double: (number) -> number = function(x: number): number return x end"),
              "local double                     = function(x        )         return x end");
    EXPECT_EQ(plain("for i: integer = 1, 3 do end"), "for i          = 1, 3 do end");
    EXPECT_EQ(plain("for k: string, v: number in pairs(t) do end"), "for k        , v         in pairs(t) do end");
    EXPECT_EQ(plain("function M:get(key: string): any end"), "function M:get(key        )      end");
    EXPECT_EQ(plain("local x: number @min(0) @max(100) = 50"), "local x                           = 50");
    EXPECT_EQ(plain("local id: number @min(1) | string @min_len(1) = 1"),
              "local id                                      = 1");
    EXPECT_EQ(plain("local m: {[string]: {number}} = {}"), "local m                       = {}");
}

TEST(TypedTranslate, CastsAndAssertions) {
    EXPECT_EQ(plain("local u = data :: User"), "local u = data        ");
    EXPECT_EQ(plain("local u = data as User"), "local u = data        ");
    EXPECT_EQ(plain("local n = (user!).name"), "local n = (user ).name");
    EXPECT_EQ(plain("f(x as number, y)"), "f(x          , y)");
    EXPECT_EQ(plain("local f = g as (number) -> string"), "local f = g                      ");
    EXPECT_EQ(plain("local b = x as number < 3"), "local b = x           < 3");  // a comparison, not type arguments
}

TEST(TypedTranslate, DeclarationsBuildTypesOnTheirLines) {
    std::string out = plain("type User = {\n  name: string,\n  age?: number\n}\nreturn User");
    EXPECT_EQ(out.rfind("local User;do local __modrt_t=__modrt_types;User=__modrt_t.decl(\"User\",", 0), 0u) << out;
    EXPECT_NE(out.find("{\"name\",__modrt_t.prim(\"string\"),false}"), std::string::npos) << out;
    EXPECT_NE(out.find("{\"age\",__modrt_t.prim(\"number\"),true}"), std::string::npos) << out;
    EXPECT_NE(out.find("\nreturn User"), std::string::npos);
    EXPECT_EQ(out.substr(out.find("return") - 1), "\nreturn User");
    // Generic parameters are any; other names resolve lazily (declared later, or itself).
    out = plain("type Box<T> = {value: T, next: Box<T>?}");
    EXPECT_NE(out.find("__modrt_t.prim(\"any\")"), std::string::npos) << out;
    EXPECT_NE(out.find("__modrt_t.ref(\"Box\",function() return Box end)"), std::string::npos) << out;
    out = plain("type Status = \"a\" | \"b\"; local s = 1");
    EXPECT_NE(out.find("__modrt_t.union({__modrt_t.lit(\"a\"),__modrt_t.lit(\"b\"),})"), std::string::npos) << out;
    EXPECT_NE(out.find("; local s = 1"), std::string::npos) << out;
    // A long-string literal spanning lines keeps the count.
    plain("type L = [[a\nb]] | \"c\"\nreturn 1");
}

TEST(TypedTranslate, PlainLuaIsUnchanged) {
    unchanged("");
    unchanged("return 1");
    unchanged("local t = {a = 1}\nfunction t:get(k) return self[k] end\nreturn t:get('a')");
    unchanged("print(type(x)); local type = type; local as = 1; t.as = as; as = t.type");
    unchanged("for i = 1, 3 do if i == 2 then goto continue end ::continue:: end");
    unchanged("local a = b ::done::");
    unchanged("local s = [==[ a: number ]] :: x ]==] --[[ x: T ]] -- y!: z\nreturn s");
    unchanged("local n = 0x1p-3 + 1e+5 + 1LL + 2ULL + 3i + .5 - 0xffULL");
    unchanged("local s = 'it\\'s: \"x\" \\\n more' .. \"a\\z\n   b\"");
    unchanged("if a ~= b then return not a end");
    unchanged("local type = function(x) return x end\ntype(1)\nas(2)\nreturn type");
    unchanged("a = 1 as = 2");  // two statements
}

TEST(TypedTranslate, CarriageReturnsCountAsLua) {
    std::string src = "local a: number = 1\r\nlocal b: string = 'x'\r\ntype T = {\r\n x: number }\r\nreturn a";
    Translation t = translate(src);
    ASSERT_TRUE(t.ok && t.changed);
    auto count = [](std::string_view s) {
        size_t n = 0;
        for (size_t i = 0; i < s.size(); ++i)
            if (s[i] == '\n' || s[i] == '\r') {
                if (i + 1 < s.size() && (s[i + 1] == '\n' || s[i + 1] == '\r') && s[i + 1] != s[i]) ++i;
                ++n;
            }
        return n;
    };
    EXPECT_EQ(count(t.text), count(src));
}

TEST(TypedTranslate, MalformedTypesAreErrorsWithLines) {
    Translation t = translate("local a = 1\nlocal x: = 2");
    EXPECT_FALSE(t.ok);
    EXPECT_EQ(t.error_line, 2u);
    EXPECT_EQ(t.error, "expected a type near '='");
    t = translate("type A =\n\n  {name: string,,}");
    EXPECT_FALSE(t.ok);
    EXPECT_EQ(t.error_line, 3u);
    t = translate("type A = number @min(x)");
    EXPECT_FALSE(t.ok);
    EXPECT_NE(t.error.find("literal argument of @min"), std::string::npos) << t.error;
    t = translate("local function f<>(x) end");
    EXPECT_FALSE(t.ok);
    t = translate("type Deep = " + std::string(1000, '{') + "number" + std::string(1000, '}'));
    EXPECT_FALSE(t.ok);
    EXPECT_NE(t.error.find("nested too deeply"), std::string::npos);
    // An unfinished string is Lua's to report: the source comes back unchanged.
    t = translate("local x: number = 'abc");
    EXPECT_TRUE(t.ok);
    EXPECT_FALSE(t.changed);
}

TEST(TypedTranslate, LiteralTypeErrorsAreFoundStatically) {
    Translation t = translate(
        "type Status = 'pending' | 'active'\n"
        "local a: number = 'x'\n"
        "local b: Status = 'invalid'\n"
        "local c: Status = 'active'\n"
        "local d: integer = 1.5\n"
        "local e: number? = nil\n"
        "local f: string = 'a' .. x\n"
        "local function g(): number\n"
        "  local function h() return 'fine' end\n"
        "  if x then return 'no' end\n"
        "  return 1\n"
        "end\n"
        "local function k(): (number, string) return 1, 2 end\n");
    ASSERT_TRUE(t.ok);
    ASSERT_EQ(t.diagnostics.size(), 5u);
    EXPECT_EQ(t.diagnostics[0].line, 2u);
    EXPECT_EQ(t.diagnostics[0].message, "local 'a' is declared number, but 'x' is a string value");
    EXPECT_EQ(t.diagnostics[1].line, 3u);
    EXPECT_EQ(t.diagnostics[2].line, 5u);
    EXPECT_EQ(t.diagnostics[3].line, 10u);
    EXPECT_EQ(t.diagnostics[3].message, "the function's result is declared number, but 'no' is a string value");
    EXPECT_EQ(t.diagnostics[4].line, 13u);
    EXPECT_EQ(t.diagnostics[4].message, "result 2 is declared string, but 2 is an integer value");
}

// Shapes of typed code in Wippy's checker tests (wippyai/go-lua): each translates, lines kept.
TEST(TypedTranslate, WippyCheckerShapes) {
    const char* samples[] = {
        "type T = { eq: (self: T, other: T) -> boolean }\nlocal t: T = { eq = function(self, other) return self == other end }\nlocal ok = t:eq(t)",
        "type Request = { query: (self: Request, key: string) -> (string?, Error?) }\nlocal function handler(req: Request)\n  return tonumber(req:query(\"code\")) or 200\nend",
        "local person: {name: string, age: number} = { name = \"Alice\", age = 30 }",
        "type Person = {name: string} & {age: number}\nlocal p: Person = { name = \"Alice\", age = 30 }",
        "local f: (number, string) -> boolean = function(a: number, b: string): boolean return true end",
        "function counter(): () -> number\n  local count = 0\n  return function(): number\n    count = count + 1\n    return count\n  end\nend",
        "local obj = {\n  value = 0,\n  get = function(self): number\n    return self.value\n  end\n}",
        "local Counter = {count = 0}\nfunction Counter:get(): number\n  return self.count\nend\nlocal n: number = Counter:get()",
        "type Point = {x: number, y: number}\nfunction validate(data: any)\n  if Point:is(data) then\n    local p: {x: number, y: number} = data\n  end\nend",
    };
    for (const char* src : samples) {
        Translation t = translate(src);
        EXPECT_TRUE(t.ok) << src << ": " << t.error;
        EXPECT_TRUE(t.changed) << src;
        EXPECT_EQ(lines(t.text), lines(src)) << t.text;
        EXPECT_TRUE(t.diagnostics.empty()) << src << ": " << t.diagnostics.front().message;
    }
}
