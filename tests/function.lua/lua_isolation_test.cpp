// function.lua, issue 19 classes 9 and 7: libraries are read-only to their
// importers (fixtures/isolation), a host module acts only in calls of the
// module that required it or of its importers, and import graphs are checked
// once per library (generated registries, written at test time).
#include "lua_test_util.hpp"

#include "support/bounded_run.hpp"
#include "support/scratch_registry.hpp"

#include <chrono>
#include <fstream>
#include <string>

using namespace lua_test;
using modrt::kernel::CallOptions;

// Outside the anonymous namespace: a fixture's base names it (unity builds, -Wsubobject-linkage).
struct IsolationFixtureDirs {
    static constexpr std::string_view dirs[] = {"isolation"};
};

namespace {

CallOptions iso_as(std::string actor, Value context) {
    CallOptions o;
    o.actor_id = std::move(actor);
    o.context = std::move(context);
    return o;
}

bool iso_contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

class LuaIsolation : public SharedRuntime<IsolationFixtureDirs> {
protected:
    // The library as an importer sees it, through the read entry.
    static Value read(std::string_view id = "iso:read") {
        auto r = call(id);
        EXPECT_TRUE(r.ok()) << r.error->message;
        return r.value;
    }
    static void expect_untouched(const Value& v) {
        EXPECT_EQ(at(v, "greet"), str("hi x"));
        EXPECT_EQ(json(at(v, "list")), "[10,20,30]");
        EXPECT_EQ(at(v, "extra"), Value::boolean(false));
        EXPECT_EQ(at(v, "deep"), Value::integer(1));
        EXPECT_EQ(at(v, "object"), Value::integer(5));
        EXPECT_EQ(at(v, "class_get"), Value::boolean(true));
    }
};

// -- (a) libraries are read-only to importers --

TEST_F(LuaIsolation, EveryWriteToALibraryTableFromAnImporterFails) {
    Value before = read();
    for (const char* what :
         {"replace_fn", "replace_nested", "replace_deep", "add_key", "remove_key", "class_method", "index_write"}) {
        auto r = call("iso:tamper", args({str(what)}));
        ASSERT_TRUE(r.ok()) << what << ": " << r.error->message;
        EXPECT_EQ(at(r.value, "ok"), Value::boolean(false)) << what;
        std::string err = at(r.value, "err").str;
        EXPECT_TRUE(iso_contains(err, "attempt to modify the read-only library 'iso:shared'")) << what << ": " << err;
        EXPECT_TRUE(iso_contains(err, "importer.lua:")) << what << ": the message points at the write: " << err;
    }
    Value after = read("iso:read_other");
    expect_untouched(after);
    EXPECT_EQ(at(after, "level"), at(before, "level"));
}

TEST_F(LuaIsolation, StandardFunctionsThatWriteRawRefuseLibraryTables) {
    for (const char* what :
         {"insert", "remove", "sort", "rawset", "rawset_nested", "setmetatable", "setmetatable_nested"}) {
        auto r = call("iso:tamper", args({str(what)}));
        ASSERT_TRUE(r.ok()) << what << ": " << r.error->message;
        EXPECT_EQ(at(r.value, "ok"), Value::boolean(false)) << what << " was allowed";
    }
    expect_untouched(read("iso:read_other"));
}

TEST_F(LuaIsolation, ALibraryTableCannotBecomeAMetatable) {
    auto r = call("iso:tamper", args({str("as_metatable")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "ok"), Value::boolean(false));
    EXPECT_TRUE(iso_contains(at(r.value, "err").str, "read-only table of library 'iso:shared'"))
        << at(r.value, "err").str;
}

TEST_F(LuaIsolation, ImportersStillReadIterateAndCallLibraries) {
    Value v = read();
    expect_untouched(v);
    EXPECT_EQ(at(v, "len"), Value::integer(3));
    EXPECT_EQ(json(at(v, "keys")), R"(["level","nested"])");
    EXPECT_EQ(json(at(v, "unpacked")), "[10,20,30]");
    EXPECT_EQ(at(v, "nkeys"), Value::integer(9));  // pairs over the library itself
    EXPECT_EQ(at(v, "same"), Value::boolean(true));
    EXPECT_EQ(at(v, "method"), Value::integer(3));  // lib:method(2)
    EXPECT_EQ(at(v, "nested_view"), Value::boolean(true));
}

TEST_F(LuaIsolation, ALibraryTableConvertsAsTheTableBehindItsView) {
    auto r = call("iso:pass");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"({"level":1,"nested":{"deep":1}})");
}

// -- (b) host modules are bound to the module that required them --

class LuaIsolationBinding : public LuaIsolation {};

TEST_F(LuaIsolationBinding, AClosureHoldingAnotherEntrysModulesFailsInAVictimsCall) {
    for (const char* what : {"funcs", "ctx", "ctx_all", "security", "contract", "executor", "derived"}) {
        auto planted = call("iso:attacker", args({str("plant"), str(what)}), iso_as("user:attacker", Value::map()));
        ASSERT_TRUE(planted.ok()) << what << ": " << planted.error->message;

        Value secret = map({{"secret", str("s3cret")}});
        for (const char* victim : {"iso:victim", "iso:victim_funcs"}) {
            auto r = call(victim, args({str(what)}), iso_as("user:victim", secret));
            ASSERT_FALSE(r.ok()) << what << " via " << victim << " ran: " << json(r.value);
            EXPECT_EQ(r.error->kind, MODRT_ERR_PERMISSION_DENIED) << r.error->message;
            std::string module = std::string(what) == "executor" || std::string(what) == "derived" ? "funcs"
                                 : std::string(what) == "ctx_all"                                ? "ctx"
                                                                                                 : what;
            EXPECT_TRUE(iso_contains(r.error->message, "module '" + module +
                                                           "' was required by 'iso:attacker' and "
                                                           "cannot be used by a call of '" +
                                                           victim + "'"))
                << r.error->message;
            EXPECT_TRUE(iso_contains(r.error->message, std::string(victim) == "iso:victim"
                                                           ? "(add " + module + " to its modules:)"
                                                           : "(require it in iso:victim_funcs's own code)"))
                << r.error->message;
        }
        // Nothing reached the attacker: its closure never ran past the module call.
        auto loot = call("iso:attacker", args({str("loot"), str(what)}));
        ASSERT_TRUE(loot.ok()) << loot.error->message;
        EXPECT_EQ(json(loot.value), "{}") << what;
    }
}

TEST_F(LuaIsolationBinding, ThePlantedClosureStillWorksInItsOwnEntrysCalls) {
    ASSERT_TRUE(call("iso:attacker", args({str("plant"), str("funcs")})).ok());
    auto r = call("iso:attacker", args({str("own"), str("funcs")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, str("sink:stolen"));
    ASSERT_TRUE(call("iso:attacker", args({str("plant"), str("executor")})).ok());
    r = call("iso:attacker", args({str("own"), str("executor")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, str("sink:stolen"));
    ASSERT_TRUE(call("iso:attacker", args({str("plant"), str("derived")})).ok());
    r = call("iso:attacker", args({str("own"), str("derived")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, str("sink:stolen"));
}

TEST_F(LuaIsolationBinding, ALibraryThatListsAModuleWorksForImportersThatDoNot) {
    auto r = call("iso:through_lib", Value::array(), iso_as("user:1", map({{"k", str("v")}})));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "direct"), str("sink:a"));
    EXPECT_EQ(at(r.value, "nested"), str("sink:b"));  // through a library importing the library
    EXPECT_EQ(at(r.value, "ctx"), str("v"));
    EXPECT_EQ(at(r.value, "exec"), str("sink:c"));  // an executor the library made
}

// -- class 7: each library is checked once --

namespace {

std::filesystem::path iso_write_registry(const std::string& yaml, int libraries, const std::string& body) {
    auto dir = modrt::test::scratch_dir(LUA_SCRATCH_DIR);
    std::ofstream(dir / "registry.yaml") << yaml;
    for (int i = 0; i < libraries; ++i) std::ofstream(dir / ("l" + std::to_string(i) + ".lua")) << body;
    return dir;
}

// Load `dir` on a bounded thread; the registry errors, or nullopt when it took longer than `limit`.
std::optional<std::vector<std::string>> iso_load_within(const std::filesystem::path& dir,
                                                        std::chrono::milliseconds limit, std::string call_id = "",
                                                        std::string* result = nullptr) {
    return modrt::test::run_within(
        [dir, call_id, result] {
            auto rt = make_runtime();
            std::vector<std::string> errors;
            for (const auto& e : rt->load(dir / "registry.yaml")) errors.push_back(e.format());
            if (!call_id.empty() && errors.empty()) {
                auto r = rt->call(call_id, Value::array());
                *result = r.ok() ? json(r.value) : "error: " + r.error->message;
            }
            return errors;
        },
        limit);
}

constexpr const char* kIsoLibBody = R"(local a, b = require("a"), require("b")
return {depth = function() return (a.depth and a.depth() or 0) + 1 end}
)";

}  // namespace

TEST(LuaImportChecks, DoubleImportsAtEveryLevelLoadInLinearTime) {
    constexpr int kLevels = 40;  // 2^40 paths: checked per path this never ends
    std::string yaml = "version: \"1.0\"\nnamespace: deep\nentries:\n";
    for (int i = 0; i < kLevels; ++i) {
        yaml += "  - {name: l" + std::to_string(i) + ", kind: library.lua, source: file://l" + std::to_string(i) +
                ".lua";
        if (i + 1 < kLevels)
            yaml += ", imports: {a: l" + std::to_string(i + 1) + ", b: l" + std::to_string(i + 1) + "}";
        yaml += "}\n";
    }
    yaml += "  - {name: top, kind: function.lua, source: file://top.lua, method: run, imports: {a: l0, b: l0}}\n";
    auto dir = iso_write_registry(yaml, kLevels, kIsoLibBody);
    std::ofstream(dir / ("l" + std::to_string(kLevels - 1) + ".lua")) << "return {}\n";
    std::ofstream(dir / "top.lua") << "local a = require('a') return {run = function() return a.depth() end}\n";
    std::string result;
    auto start = std::chrono::steady_clock::now();
    auto errors = iso_load_within(dir, std::chrono::seconds(20), "deep:top", &result);
    ASSERT_TRUE(errors.has_value()) << "loading did not finish in 20 s";
    EXPECT_TRUE(errors->empty()) << (*errors)[0];
    EXPECT_EQ(result, std::to_string(kLevels - 1));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(LuaImportChecks, TwoLibrariesPerLevelEachImportingBothOfTheNext) {
    constexpr int kLevels = 30;
    std::string yaml = "version: \"1.0\"\nnamespace: dia\nentries:\n";
    int files = 0;
    for (int i = 0; i < kLevels; ++i)
        for (const char* side : {"x", "y"}) {
            std::string name = std::string(side) + std::to_string(i);
            yaml += "  - {name: " + name + ", kind: library.lua, source: file://l" + std::to_string(files++) + ".lua";
            if (i + 1 < kLevels)
                yaml += ", imports: {a: x" + std::to_string(i + 1) + ", b: y" + std::to_string(i + 1) + "}";
            yaml += "}\n";
        }
    yaml += "  - {name: top, kind: function.lua, source: file://top.lua, method: run, imports: {a: x0, b: y0}}\n";
    auto dir = iso_write_registry(yaml, files, kIsoLibBody);
    std::ofstream(dir / ("l" + std::to_string(files - 1) + ".lua")) << "return {}\n";
    std::ofstream(dir / ("l" + std::to_string(files - 2) + ".lua")) << "return {}\n";
    std::ofstream(dir / "top.lua") << "local a = require('a') return {run = function() return a.depth() end}\n";
    std::string result;
    auto start = std::chrono::steady_clock::now();
    auto errors = iso_load_within(dir, std::chrono::seconds(20), "dia:top", &result);
    ASSERT_TRUE(errors.has_value()) << "loading did not finish in 20 s";
    EXPECT_TRUE(errors->empty()) << (*errors)[0];
    EXPECT_EQ(result, std::to_string(kLevels - 1));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(LuaImportChecks, WideFanInOfManyEntriesOverOneDeepLibraryChain) {
    constexpr int kChain = 25;
    constexpr int kEntries = 300;
    std::string yaml = "version: \"1.0\"\nnamespace: wide\nentries:\n";
    for (int i = 0; i < kChain; ++i) {
        yaml += "  - {name: l" + std::to_string(i) + ", kind: library.lua, source: file://l" + std::to_string(i) +
                ".lua";
        if (i + 1 < kChain) yaml += ", imports: {a: l" + std::to_string(i + 1) + ", b: l" + std::to_string(i + 1) + "}";
        yaml += "}\n";
    }
    for (int e = 0; e < kEntries; ++e)
        yaml += "  - {name: e" + std::to_string(e) +
                ", kind: function.lua, source: file://top.lua, method: run, "
                "imports: {a: l0, b: l" +
                std::to_string(e % kChain) + "}}\n";
    auto dir = iso_write_registry(yaml, kChain, kIsoLibBody);
    std::ofstream(dir / ("l" + std::to_string(kChain - 1) + ".lua")) << "return {}\n";
    std::ofstream(dir / "top.lua") << "local a = require('a') return {run = function() return a.depth() end}\n";
    std::string result;
    auto start = std::chrono::steady_clock::now();
    auto errors = iso_load_within(dir, std::chrono::seconds(30), "wide:e299", &result);
    ASSERT_TRUE(errors.has_value()) << "loading did not finish in 30 s";
    EXPECT_TRUE(errors->empty()) << (*errors)[0];
    EXPECT_EQ(result, std::to_string(kChain - 1));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(LuaImportChecks, CyclesAreStillReportedUnderSharedImports) {
    // l0 -> {l1, l1}, l1 -> {l2, l2}, l2 -> l0: a cycle below a diamond; and a self-import.
    std::string yaml = "version: \"1.0\"\nnamespace: cyc\nentries:\n"
                       "  - {name: l0, kind: library.lua, source: file://l0.lua, imports: {a: l1, b: l1}}\n"
                       "  - {name: l1, kind: library.lua, source: file://l1.lua, imports: {a: l2, b: l2}}\n"
                       "  - {name: l2, kind: library.lua, source: file://l2.lua, imports: {a: l0}}\n"
                       "  - {name: self, kind: library.lua, source: file://l3.lua, imports: {a: self}}\n"
                       "  - {name: top, kind: function.lua, source: file://l3.lua, method: run, imports: {a: l0}}\n";
    auto dir = iso_write_registry(yaml, 4, "return {run = function() end}\n");
    auto errors = iso_load_within(dir, std::chrono::seconds(20));
    ASSERT_TRUE(errors.has_value()) << "loading did not finish in 20 s";
    std::string all;
    for (const auto& e : *errors) all += e + "\n";
    EXPECT_TRUE(iso_contains(all, "makes a cycle through 'cyc:l0'")) << all;
    EXPECT_TRUE(iso_contains(all, "makes a cycle through 'cyc:l1'")) << all;
    EXPECT_TRUE(iso_contains(all, "makes a cycle through 'cyc:l2'")) << all;
    EXPECT_TRUE(iso_contains(all, "'a' makes a cycle through 'cyc:self'")) << all;
    EXPECT_GE(errors->size(), 5u) << all;  // every entry of the cycle, the self-import and top
}
