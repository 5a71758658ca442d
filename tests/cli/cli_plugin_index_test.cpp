// The plugin directory's index (plugins.modrt-index), through the real CLI and real plugin files:
// a run reads it instead of every plugin's header and manifest, opens only the plugins the
// registry needs, notices an entry that no longer describes its file, and refuses a plugin
// that disagrees with it; `modrt plugins` still lists and opens every plugin.
#include "subprocess.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

const fs::path kCliPiMarker = CLI_MARKER_PLUGIN;  // provides test.marker; records being opened

std::string cli_pi_read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void cli_pi_write(const fs::path& file, const std::string& text) { std::ofstream(file, std::ios::binary) << text; }

modrt::test::ProcessResult cli_pi_run(std::vector<std::string> args) {
    args.insert(args.begin(), MODRT_CLI);
    modrt::test::ProcessOptions options;
    options.env.try_emplace("MODRT_PLUGIN_PATH", std::nullopt);
    options.limit = std::chrono::milliseconds(30000);
    return modrt::test::run_process(args, options);
}

std::string cli_pi_dump(const modrt::test::ProcessResult& r) {
    return "exit " + std::to_string(r.exit_code) + "\n--- stdout ---\n" + r.out + "--- stderr ---\n" + r.err;
}

nlohmann::json cli_pi_record(const std::string& listing, const std::string& file_name) {
    nlohmann::json doc = nlohmann::json::parse(listing, nullptr, false);
    if (doc.is_discarded() || !doc.contains("plugins")) return nullptr;
    for (const auto& p : doc["plugins"])
        if (fs::path(p["file"].get<std::string>()).filename() == file_name) return p;
    return nullptr;
}

}  // namespace

/// A fresh plugin directory with a copy of the marker plugin and its index, but no manifest:
/// only the index can describe the marker without opening it.
class CliPluginIndex : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::path(MODRT_TEST_BINARY_DIR) / "tmp" /
               (std::string("pi.") + info->name() + "." + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        ::chmod(dir_.c_str(), 0755);
        so_ = dir_ / "marker.so";
        fs::copy_file(kCliPiMarker, so_);
        reindex();
        arm();
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    /// Index the directory as the build does (from the plugins' manifests), then take the manifest away.
    void reindex() const {
        const fs::path manifest = dir_ / "marker.modrt-manifest";
        fs::copy_file(fs::path(kCliPiMarker).replace_extension(".modrt-manifest"), manifest);
        auto r = modrt::test::run_process({CLI_PLUGIN_MANIFEST_TOOL, "--index", dir_.string()});
        ASSERT_EQ(r.exit_code, 0) << cli_pi_dump(r);
        fs::remove(manifest);
    }
    /// The marker plugin's constructor writes "opened" into this file once armed.
    void arm() const { cli_pi_write(so_.string() + ".opened", ""); }
    bool opened() const { return cli_pi_read(so_.string() + ".opened") == "opened\n"; }
    fs::path index() const { return dir_ / "plugins.modrt-index"; }
    /// A registry with one entry of the marker's kind.
    fs::path marker_registry() const {
        fs::path reg = dir_ / "registry";
        fs::create_directories(reg);
        cli_pi_write(reg / "r.yaml", "namespace: pi\nentries:\n  - name: m\n    kind: test.marker\n");
        return reg;
    }

    fs::path dir_, so_;
};

TEST_F(CliPluginIndex, TheBuildIndexesEveryBuiltinPlugin) {
    const fs::path builtin = MODRT_TEST_PLUGIN_DIR;
    nlohmann::json doc = nlohmann::json::parse(cli_pi_read(builtin / "plugins.modrt-index"), nullptr, false);
    ASSERT_FALSE(doc.is_discarded());
    EXPECT_EQ(doc["modrt_plugin_index"], 1);
    std::vector<std::string> indexed, on_disk;
    for (const auto& p : doc["plugins"]) indexed.push_back(p["file"].get<std::string>());
    for (const auto& f : fs::directory_iterator(builtin))
        if (f.path().extension() == ".so") on_disk.push_back(f.path().filename().string());
    std::sort(on_disk.begin(), on_disk.end());
    EXPECT_EQ(indexed, on_disk);
    // And a run describes them all from it.
    auto r = cli_pi_run({"plugins", "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << cli_pi_dump(r);
    for (const auto& file : on_disk) {
        nlohmann::json p = cli_pi_record(r.out, file);
        ASSERT_TRUE(p.is_object()) << file << "\n" << r.out;
        EXPECT_EQ(p["indexed"], true) << p.dump();
        EXPECT_TRUE(p["refused"].is_null()) << p.dump();
    }
}

TEST_F(CliPluginIndex, AnUnneededPluginIsNeverOpened) {
    auto r = cli_pi_run({"call", CLI_HELLO_REGISTRY, "app.api:greet", "\"Ada\"", "--plugin-path", dir_.string(),
                         "--log-level", "debug"});
    ASSERT_EQ(r.exit_code, 0) << cli_pi_dump(r);
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");
    EXPECT_FALSE(opened()) << cli_pi_dump(r);
    // Nothing on either directory was opened to learn what it provides.
    EXPECT_THAT(r.err, Not(HasSubstr("opening it to read what it provides")));
    EXPECT_THAT(r.err, Not(HasSubstr("stale")));
}

TEST_F(CliPluginIndex, ANeededPluginIsFoundThroughTheIndex) {
    auto r = cli_pi_run({"call", marker_registry().string(), "pi:m", "--plugin-path", dir_.string()});
    ASSERT_EQ(r.exit_code, 0) << cli_pi_dump(r);
    EXPECT_EQ(r.out, "\"marker\"\n");
    EXPECT_TRUE(opened());
}

TEST_F(CliPluginIndex, AChangedPluginFileMakesItsEntryStale) {
    // Replaced by another build (here: the same bytes, a later modification time).
    auto mtime = fs::last_write_time(so_);
    fs::remove(so_);
    fs::copy_file(kCliPiMarker, so_);
    fs::last_write_time(so_, mtime + std::chrono::seconds(1));
    auto r = cli_pi_run({"list", CLI_HELLO_REGISTRY, "--plugin-path", dir_.string(), "--log-level", "debug"});
    ASSERT_EQ(r.exit_code, 0) << cli_pi_dump(r);
    EXPECT_THAT(r.err, HasSubstr(so_.string() + ": the directory's plugin index is stale for it"));
    // With no manifest either, the file is opened to learn what it provides, as without an index.
    EXPECT_THAT(r.err, HasSubstr("opening it to read what it provides"));
    EXPECT_TRUE(opened());

    // Indexing the directory again makes it current.
    arm();
    reindex();
    r = cli_pi_run({"list", CLI_HELLO_REGISTRY, "--plugin-path", dir_.string(), "--log-level", "debug"});
    ASSERT_EQ(r.exit_code, 0) << cli_pi_dump(r);
    EXPECT_THAT(r.err, Not(HasSubstr("stale")));
    EXPECT_FALSE(opened());
}

TEST_F(CliPluginIndex, AnotherPluginUnderTheSameNameIsDescribedByItself) {
    fs::remove(so_);
    fs::copy_file(CLI_EXTRA_PLUGIN_DIR "/test_extra.so", so_);  // provides pool.tagged, not test.marker
    auto r = cli_pi_run({"plugins", "--format", "json", "--plugin-path", dir_.string()});
    ASSERT_EQ(r.exit_code, 0) << cli_pi_dump(r);
    nlohmann::json p = cli_pi_record(r.out, "marker.so");
    ASSERT_TRUE(p.is_object()) << r.out;
    EXPECT_EQ(p["name"], "test.extra");
    EXPECT_EQ(p["provides"], nlohmann::json::array({"pool.tagged"}));
    EXPECT_EQ(p["indexed"], false);
    EXPECT_TRUE(p["refused"].is_null()) << p.dump();
}

TEST_F(CliPluginIndex, APluginThatDisagreesWithTheIndexIsRefusedWhenNeeded) {
    std::string text = cli_pi_read(index());
    auto at = text.find("\"test.marker\"\n");
    ASSERT_NE(at, std::string::npos) << text;
    text.replace(at, 13, "\"test.forged\"");
    // Rewritten in place keeps the index file's own identity irrelevant: entries are keyed by the plugin's.
    cli_pi_write(index(), text);
    fs::path reg = marker_registry();
    cli_pi_write(reg / "r.yaml", "namespace: pi\nentries:\n  - name: m\n    kind: test.forged\n");
    auto r = cli_pi_run({"call", reg.string(), "pi:m", "--plugin-path", dir_.string()});
    EXPECT_EQ(r.exit_code, 1) << cli_pi_dump(r);
    EXPECT_THAT(r.err, HasSubstr("does not match the plugin index"));
    EXPECT_THAT(r.err, HasSubstr("[test.forged]"));
    EXPECT_THAT(r.err, HasSubstr("r.yaml:"));  // a registry error, at its entry
}

TEST_F(CliPluginIndex, UnknownKindsAreStillSkippedWithAnIndex) {
    fs::path reg = marker_registry();
    cli_pi_write(reg / "r.yaml", "namespace: pi\nentries:\n  - name: u\n    kind: acme.unknown\n");
    auto r = cli_pi_run({"list", reg.string(), "--plugin-path", dir_.string()});
    ASSERT_EQ(r.exit_code, 0) << cli_pi_dump(r);
    EXPECT_THAT(r.out, HasSubstr("pi:u"));
    EXPECT_THAT(r.out + r.err, HasSubstr("skipped"));
    EXPECT_FALSE(opened());
}

TEST_F(CliPluginIndex, AnUntrustedOrGarbledIndexIsNotUsed) {
    ::chmod(index().c_str(), 0666);
    auto r = cli_pi_run({"list", CLI_HELLO_REGISTRY, "--plugin-path", dir_.string()});
    ASSERT_EQ(r.exit_code, 0) << cli_pi_dump(r);
    EXPECT_THAT(r.err, HasSubstr("plugin index " + index().string() + " is not used"));
    EXPECT_THAT(r.err, HasSubstr("writable by"));
    EXPECT_TRUE(opened());  // described the old way: no manifest, so opened

    arm();
    ::chmod(index().c_str(), 0644);
    cli_pi_write(index(), "{not json");
    r = cli_pi_run({"list", CLI_HELLO_REGISTRY, "--plugin-path", dir_.string()});
    ASSERT_EQ(r.exit_code, 0) << cli_pi_dump(r);
    EXPECT_THAT(r.err, HasSubstr("is unreadable"));
    EXPECT_TRUE(opened());
}

TEST_F(CliPluginIndex, PluginsListsAndOpensEveryPlugin) {
    auto r = cli_pi_run({"plugins", "--format", "json", "--plugin-path", dir_.string()});
    ASSERT_EQ(r.exit_code, 0) << cli_pi_dump(r);
    nlohmann::json p = cli_pi_record(r.out, "marker.so");
    ASSERT_TRUE(p.is_object()) << r.out;
    EXPECT_EQ(p["name"], "test.marker");
    EXPECT_EQ(p["indexed"], true);
    EXPECT_TRUE(opened());  // `modrt plugins` opens each plugin to check it against its description
    r = cli_pi_run({"plugins", "--plugin-path", dir_.string()});
    ASSERT_EQ(r.exit_code, 0) << cli_pi_dump(r);
    EXPECT_THAT(r.out, HasSubstr("  provides: test.marker\n  manifest: yes\n  indexed: yes"));
}
