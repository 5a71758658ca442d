// function.lua: registry errors found at load time.
#include "lua_test_util.hpp"

using namespace lua_test;

namespace {

// Load a fixture directory that must fail with exactly one error; return its text.
std::string load_error(std::string_view dir) {
    auto rt = make_runtime();
    auto errs = rt->load(fixture(dir));
    EXPECT_EQ(errs.size(), 1u) << dir;
    if (errs.empty()) return "";
    return errs.front().format();
}

void expect_contains(const std::string& text, std::string_view needle) {
    EXPECT_NE(text.find(needle), std::string::npos) << "expected '" << needle << "' in: " << text;
}

}  // namespace

TEST(LuaRegistry, SyntaxErrorNamesFileAndLine) {
    std::string e = load_error("bad_syntax");
    expect_contains(e, "syntax error");
    expect_contains(e, "broken.lua:4:");
    expect_contains(e, "test.lua:broken");
}

TEST(LuaRegistry, MissingMethodInTable) {
    std::string e = load_error("bad_method");
    expect_contains(e, "method 'missing'");
    expect_contains(e, "mod.lua");
}

TEST(LuaRegistry, MethodFieldRequired) { expect_contains(load_error("no_method_field"), "method is required"); }

TEST(LuaRegistry, SourceFieldRequired) {
    // The whole message: the fixture's own path contains "source", so a substring would match any error.
    EXPECT_EQ(load_error("no_source"),
              (std::filesystem::path(fixture("no_source")) / "registry.yaml").string() +
                  ":4: entry 'test.lua:nosource': source is required: file://<path of a Lua file>");
}

TEST(LuaRegistry, SourceFileMustExist) { expect_contains(load_error("missing_file"), "does_not_exist.lua"); }

TEST(LuaRegistry, ChunkMustReturnATable) {
    std::string e = load_error("not_table");
    expect_contains(e, "must return a table");
}

TEST(LuaRegistry, TopLevelErrorIsReported) {
    std::string e = load_error("top_level_error");
    expect_contains(e, "mod.lua:2: refusing to load");
}

TEST(LuaRegistry, UnknownModuleName) {
    std::string e = load_error("bad_modules");
    expect_contains(e, "unknown module 'no_such_module'");
}

TEST(LuaRegistry, ImportMustBeALibrary) {
    std::string e = load_error("bad_imports");
    expect_contains(e, "not a library.lua");
}

TEST(LuaRegistry, ImportMustExist) {
    std::string e = load_error("missing_import");
    expect_contains(e, "test.lua:nowhere");
}

TEST(LuaRegistry, LibrarySyntaxError) {
    std::string e = load_error("bad_library");
    expect_contains(e, "lib.lua:2:");
}
