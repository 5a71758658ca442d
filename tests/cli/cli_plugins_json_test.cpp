// `modrt plugins`: the JSON listing (--format json), exit 1 when any file on the plugin path
// is refused, and what a plugin providing a built-in name does to the built-in plugin.
#include "subprocess.hpp"

#include <modrt/abi.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const fs::path kCliPjNativeLib = fs::path(CLI_REGISTRIES).parent_path() / "native" / "cli_native.so";

modrt::test::ProcessResult cli_pj_run(std::vector<std::string> args) {
    args.insert(args.begin(), MODRT_CLI);
    modrt::test::ProcessOptions options;
    options.env.try_emplace("MODRT_PLUGIN_PATH", std::nullopt);
    options.limit = std::chrono::milliseconds(30000);
    return modrt::test::run_process(args, options);
}

std::string cli_pj_dump(const modrt::test::ProcessResult& r) {
    return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + r.out + "--- stderr ---\n" + r.err;
}

/// stdout as JSON; a parse failure fails the test with what the CLI printed.
nlohmann::json cli_pj_parse(const modrt::test::ProcessResult& r) {
    nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << "stdout is not JSON\n" << cli_pj_dump(r);
    return doc.is_discarded() ? nlohmann::json::object() : doc;
}

/// The record of the plugin file named `file_name` (null when the listing has none).
nlohmann::json cli_pj_record(const nlohmann::json& doc, const std::string& file_name) {
    if (!doc.contains("plugins")) return nullptr;
    for (const auto& p : doc["plugins"])
        if (p.contains("file") && p["file"].is_string() &&
            fs::path(p["file"].get<std::string>()).filename() == file_name)
            return p;
    return nullptr;
}

}  // namespace

/// A fresh directory for one test's plugin files, removed afterwards.
class CliPluginsJson : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::path(MODRT_TEST_BINARY_DIR) / "tmp" /
               (std::string("pj.") + info->name() + "." + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    fs::path dir_;
};

TEST_F(CliPluginsJson, ListsEveryBuiltinPluginWithItsDescription) {
    auto r = cli_pj_run({"plugins", "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << cli_pj_dump(r);
    nlohmann::json doc = cli_pj_parse(r);
    ASSERT_TRUE(doc["plugin_path"].is_array()) << r.out;
    ASSERT_FALSE(doc["plugin_path"].empty()) << r.out;
    ASSERT_TRUE(doc["plugins"].is_array()) << r.out;
    ASSERT_FALSE(doc["plugins"].empty()) << r.out;
    for (const auto& p : doc["plugins"]) {  // every object has every key, and nothing is refused
        for (const char* key : {"file", "name", "version", "abi_major", "abi_minor", "provides", "refused", "manifest",
                                "manifest_problem"})
            EXPECT_TRUE(p.contains(key)) << key << " missing in " << p.dump();
        EXPECT_TRUE(p["refused"].is_null()) << p.dump();
        EXPECT_TRUE(p["name"].is_string()) << p.dump();
        EXPECT_EQ(p["abi_major"], MODRT_ABI_MAJOR) << p.dump();
        EXPECT_LE(p["abi_minor"].get<int>(), MODRT_ABI_MINOR) << p.dump();
    }
    for (const std::string name : {"pool.inline", "function.native"}) {
        nlohmann::json p = cli_pj_record(doc, name + ".so");
        ASSERT_TRUE(p.is_object()) << name << "\n" << r.out;
        EXPECT_EQ(p["name"], name);
        EXPECT_THAT(p["version"].get<std::string>(), ::testing::MatchesRegex("[0-9]+\\.[0-9]+\\.[0-9]+"));
        EXPECT_EQ(p["provides"], nlohmann::json::array({name}));  // each provides its own name only
        EXPECT_TRUE(fs::path(p["file"].get<std::string>()).is_absolute()) << p.dump();
    }
    EXPECT_EQ(r.err, "");
}

TEST_F(CliPluginsJson, ExtraPluginShowsNameVersionAbiAndProvides) {
    auto r = cli_pj_run({"plugins", "--format=json", "--plugin-path", CLI_EXTRA_PLUGIN_DIR});
    ASSERT_EQ(r.exit_code, 0) << cli_pj_dump(r);
    nlohmann::json doc = cli_pj_parse(r);
    ASSERT_FALSE(doc["plugin_path"].empty());
    EXPECT_EQ(doc["plugin_path"][0], CLI_EXTRA_PLUGIN_DIR);  // searched first
    nlohmann::json p = cli_pj_record(doc, "test_extra.so");
    ASSERT_TRUE(p.is_object()) << r.out;
    EXPECT_EQ(p["name"], "test.extra");
    EXPECT_EQ(p["version"], "2.3.4");
    EXPECT_EQ(p["abi_major"], MODRT_ABI_MAJOR);
    EXPECT_EQ(p["abi_minor"], MODRT_ABI_MINOR);
    EXPECT_EQ(p["provides"], nlohmann::json::array({"pool.tagged"}));
    EXPECT_TRUE(p["refused"].is_null());
}

TEST_F(CliPluginsJson, RefusedFilesAreListedWithWhyAndTheCommandFails) {
    std::ofstream(dir_ / "bad.so") << "this is not an ELF file\n";
    fs::copy_file(kCliPjNativeLib, dir_ / "not_a_plugin.so");  // a native-function library, not a plugin
    auto r = cli_pj_run({"plugins", "--format", "json", "--plugin-path", dir_.string()});
    EXPECT_EQ(r.exit_code, 1) << cli_pj_dump(r);
    nlohmann::json doc = cli_pj_parse(r);  // still one whole document on stdout
    nlohmann::json bad = cli_pj_record(doc, "bad.so");
    ASSERT_TRUE(bad.is_object()) << r.out;
    ASSERT_TRUE(bad["refused"].is_string()) << bad.dump();
    EXPECT_THAT(bad["refused"].get<std::string>(), HasSubstr("cannot be loaded"));
    EXPECT_TRUE(bad["name"].is_null()) << bad.dump();  // never described: unknown, not ""
    EXPECT_TRUE(bad["abi_major"].is_null()) << bad.dump();
    EXPECT_EQ(bad["provides"], nlohmann::json::array());
    EXPECT_EQ(bad["manifest"], false);
    nlohmann::json lib = cli_pj_record(doc, "not_a_plugin.so");
    ASSERT_TRUE(lib.is_object()) << r.out;
    EXPECT_THAT(lib["refused"].get<std::string>(), HasSubstr("has no entry symbol 'modrt_plugin_entry'"));
    // The good plugins are listed as usable beside them.
    nlohmann::json inline_pool = cli_pj_record(doc, "pool.inline.so");
    ASSERT_TRUE(inline_pool.is_object()) << r.out;
    EXPECT_TRUE(inline_pool["refused"].is_null());
    EXPECT_THAT(r.err, HasSubstr("modrt: 2 plugin files on the plugin path refused"));

    // The text listing fails the same way.
    r = cli_pj_run({"plugins", "--plugin-path", dir_.string(), "--log-level", "off"});
    EXPECT_EQ(r.exit_code, 1) << cli_pj_dump(r);
    EXPECT_THAT(r.out, HasSubstr("bad.so\n  refused: "));
    EXPECT_THAT(r.err, HasSubstr("modrt: 2 plugin files on the plugin path refused"));
}

TEST_F(CliPluginsJson, UnknownFormatIsAUsageError) {
    auto r = cli_pj_run({"plugins", "--format", "yaml"});
    EXPECT_EQ(r.exit_code, 2) << cli_pj_dump(r);
    EXPECT_THAT(r.err, HasSubstr("--format must be text or json, not 'yaml'"));
    EXPECT_EQ(r.out, "");
    r = cli_pj_run({"plugins", "--help"});
    EXPECT_EQ(r.exit_code, 0) << cli_pj_dump(r);
    EXPECT_THAT(r.out, HasSubstr("--format"));
}

// A plugin that provides a name a built-in plugin provides (here `library.lua`) and comes first
// on the plugin path (--plugin-path and $MODRT_PLUGIN_PATH always come before the built-ins)
// keeps the name; the built-in plugin is refused whole, with every other name it provides.
TEST_F(CliPluginsJson, ABuiltinNameKnocksOutTheWholeBuiltinPlugin) {
    ASSERT_TRUE(fs::exists(CLI_LUA_PLUGIN)) << "function.lua plugin not built: " << CLI_LUA_PLUGIN;
    auto r = cli_pj_run({"plugins", "--format", "json", "--plugin-path", CLI_SHADOW_PLUGIN_DIR});
    EXPECT_EQ(r.exit_code, 1) << cli_pj_dump(r);
    nlohmann::json doc = cli_pj_parse(r);
    nlohmann::json shadow = cli_pj_record(doc, "acme.shadow.so");
    ASSERT_TRUE(shadow.is_object()) << r.out;
    EXPECT_TRUE(shadow["refused"].is_null()) << shadow.dump();
    EXPECT_EQ(shadow["provides"], nlohmann::json::array({"acme.shadow", "library.lua"}));
    nlohmann::json lua = cli_pj_record(doc, "function.lua.so");
    ASSERT_TRUE(lua.is_object()) << r.out;
    EXPECT_EQ(lua["name"], "function.lua");  // still described, but unusable
    EXPECT_EQ(lua["refused"], "provides 'library.lua', already provided by " +
                                  (fs::path(CLI_SHADOW_PLUGIN_DIR) / "acme.shadow.so").string());
    EXPECT_THAT(lua["provides"].dump(), HasSubstr("\"function.lua\""));

    // So a registry of plain function.lua entries, which never names library.lua, cannot load.
    r = cli_pj_run({"call", CLI_HELLO_REGISTRY, "app.api:greet", "\"Ada\"", "--plugin-path", CLI_SHADOW_PLUGIN_DIR});
    EXPECT_EQ(r.exit_code, 1) << cli_pj_dump(r);
    EXPECT_THAT(r.err, HasSubstr("no plugin on the plugin path provides 'function.lua'"));
    EXPECT_THAT(r.err, HasSubstr("function.lua.so: provides 'library.lua', already provided by"));
    // Without the shadowing plugin, the same call works.
    r = cli_pj_run({"call", CLI_HELLO_REGISTRY, "app.api:greet", "\"Ada\""});
    EXPECT_EQ(r.exit_code, 0) << cli_pj_dump(r);
}
