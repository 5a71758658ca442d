// Broken plugins on the plugin path: each is listed with a clear reason, a
// registry that needs it fails with one error naming the file and the reason,
// and nothing crashes. Plugins load only when the registry uses them.
#include "kernel_test_util.hpp"

#include <algorithm>
#include <optional>

namespace kt {
namespace {

using modrt::kernel::PluginRecord;

struct Case {
    std::string name;     // directory under bad/ and file stem
    std::string refused;  // words the refusal reason must contain ("" when not refused)
};

// gtest would otherwise print the struct's raw bytes (padding included).
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

RuntimeOptions with_bad(const std::string& c) {
    return RuntimeOptions{{fs::path(MODRT_TEST_PLUGIN_DIR), good_plugin_dir(), bad_dir(c)}};
}

// Copies: Runtime::plugins() returns a fresh vector each time.
std::optional<PluginRecord> record_of(const std::vector<PluginRecord>& records, const fs::path& file) {
    for (const auto& r : records)
        if (fs::equivalent(r.file, file)) return r;
    return std::nullopt;
}

std::optional<PluginRecord> record_named(const std::vector<PluginRecord>& records, const std::string& name) {
    for (const auto& r : records)
        if (r.name == name) return r;
    return std::nullopt;
}

fs::path bad_file(const std::string& c) { return bad_dir(c) / (c + ".so"); }

/// A registry with one entry of kind `kind` on line 4 (kind on line 5).
fs::path registry_needing(const std::string& kind, const std::string& tag) {
    fs::path dir = scratch_dir(tag);
    write_file(dir / "needs.yaml", "version: \"1.0\"\n"
                                   "namespace: kt\n"
                                   "entries:\n"
                                   "  - name: needs\n"
                                   "    kind: " +
                                       kind + "\n");
    return dir;
}

class KernelRefused : public ::testing::TestWithParam<Case> {};

TEST_P(KernelRefused, IsListedWithTheReason) {
    const Case& c = GetParam();
    Runtime rt(with_bad(c.name));
    auto records = rt.plugins();
    auto r = record_of(records, bad_file(c.name));
    ASSERT_TRUE(r) << "no record for " << bad_file(c.name);
    KT_EXPECT_CONTAINS(r->refused, c.refused);
    EXPECT_FALSE(r->loaded);
    // The good plugins on the same path are unaffected.
    auto inline_pool = record_named(records, "pool.inline");
    ASSERT_TRUE(inline_pool);
    EXPECT_EQ(inline_pool->refused, "");
}

TEST_P(KernelRefused, RegistryNeedingItFailsWithOneClearError) {
    const Case& c = GetParam();
    Runtime rt(with_bad(c.name));
    fs::path dir = registry_needing("test.bad." + c.name, c.name);
    auto errs = rt.load(dir);
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    EXPECT_EQ(errs[0].file, (dir / "needs.yaml").lexically_normal().string());
    EXPECT_EQ(errs[0].line, 5);  // the kind line
    EXPECT_EQ(errs[0].entry, "kt:needs");
    KT_EXPECT_CONTAINS(errs[0].message, "'test.bad." + c.name + "'");
    KT_EXPECT_CONTAINS(errs[0].message, c.name + ".so");  // names the refused file...
    KT_EXPECT_CONTAINS(errs[0].message, c.refused);       // ...and why
    // The runtime still works for everything else.
    auto r = rt.call("kt:needs", Value::array());
    EXPECT_FALSE(r.ok());
}

INSTANTIATE_TEST_SUITE_P(KernelBadPlugins, KernelRefused,
                         ::testing::Values(Case{"no_entry", "entry symbol"}, Case{"abi_major", "ABI 2.0"},
                                           Case{"abi_minor", "ABI 1." + std::to_string(MODRT_ABI_MINOR + 1)},
                                           Case{"null_entry", "no descriptor"}, Case{"corrupt", "cannot be loaded"},
                                           Case{"duplicate", "already provided by"}),
                         [](const auto& info) { return info.param.name; });

TEST(KernelPluginRefusal, AbiMajorMessageNamesBothVersions) {
    Runtime rt(with_bad("abi_major"));
    auto r = record_of(rt.plugins(), bad_file("abi_major"));
    ASSERT_TRUE(r);
    KT_EXPECT_CONTAINS(r->refused, "ABI 2.0");
    KT_EXPECT_CONTAINS(r->refused, "ABI " + std::to_string(MODRT_ABI_MAJOR) + "." + std::to_string(MODRT_ABI_MINOR));
}

TEST(KernelPluginRefusal, AbiMinorNewerIsRefusedNamingBothMinorsAndWhatToDo) {
    Runtime rt(with_bad("abi_minor"));
    auto r = record_of(rt.plugins(), bad_file("abi_minor"));
    ASSERT_TRUE(r);
    const std::string kernel_minor = std::to_string(MODRT_ABI_MINOR);
    KT_EXPECT_CONTAINS(r->refused, "needs modrt ABI 1." + std::to_string(MODRT_ABI_MINOR + 1));
    KT_EXPECT_CONTAINS(r->refused, "this kernel speaks ABI 1." + kernel_minor);
    KT_EXPECT_CONTAINS(r->refused, "rebuild the plugin targeting minor " + kernel_minor);
}

TEST(KernelPluginRefusal, DuplicateNamesTheFirstProvider) {
    Runtime rt(with_bad("duplicate"));
    auto records = rt.plugins();
    auto dup = record_of(records, bad_file("duplicate"));
    ASSERT_TRUE(dup);
    KT_EXPECT_CONTAINS(dup->refused, "'pool.inline'");
    KT_EXPECT_CONTAINS(dup->refused, (fs::path(MODRT_TEST_PLUGIN_DIR) / "pool.inline.so").filename().string());
    // The real pool.inline still serves the default pool.
    fs::path dir = registry_needing("test.probe", "dup_probe");
    auto errs = rt.load(dir);
    ASSERT_TRUE(errs.empty()) << format_all(errs);
    EXPECT_TRUE(rt.call("kt:needs", Value::array()).ok());
}

TEST(KernelPluginRefusal, InitThatThrowsIsReportedAndSurvived) {
    Runtime rt(with_bad("init_throws"));
    auto r = record_of(rt.plugins(), bad_file("init_throws"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->refused, "");  // the descriptor is fine; init fails only when used
    fs::path dir = registry_needing("test.bad.init_throws", "init_throws");
    auto errs = rt.load(dir);
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    EXPECT_EQ(errs[0].line, 5);
    EXPECT_EQ(errs[0].entry, "kt:needs");
    KT_EXPECT_CONTAINS(errs[0].message, bad_file("init_throws").string());
    KT_EXPECT_CONTAINS(errs[0].message, "init");
    KT_EXPECT_CONTAINS(errs[0].message, "boom from init_throws");
    EXPECT_FALSE(record_of(rt.plugins(), bad_file("init_throws"))->loaded);
}

TEST(KernelPluginRefusal, InitThatReturnsAnErrorIsReportedWithItsMessage) {
    Runtime rt(with_bad("init_error"));
    fs::path dir = registry_needing("test.bad.init_error", "init_error");
    auto errs = rt.load(dir);
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    EXPECT_EQ(errs[0].file, (dir / "needs.yaml").lexically_normal().string());
    EXPECT_EQ(errs[0].line, 5);
    EXPECT_EQ(errs[0].entry, "kt:needs");
    KT_EXPECT_CONTAINS(errs[0].message, bad_file("init_error").string());
    KT_EXPECT_CONTAINS(errs[0].message, "license key missing");
    EXPECT_FALSE(record_of(rt.plugins(), bad_file("init_error"))->loaded);
}

TEST(KernelPluginRefusal, FailedInitIsReportedForEveryEntryThatNeedsIt) {
    Runtime rt(with_bad("init_error"));
    fs::path dir = scratch_dir("init_twice");
    write_file(dir / "r.yaml", "namespace: kt\n"
                               "entries:\n"
                               "  - name: one\n"
                               "    kind: test.bad.init_error\n"
                               "  - name: two\n"
                               "    kind: test.bad.init_error\n"
                               "  - name: fine\n"
                               "    kind: test.data\n");
    auto errs = rt.load(dir);
    ASSERT_EQ(errs.size(), 2u) << format_all(errs);
    EXPECT_EQ(errs[0].entry, "kt:one");
    EXPECT_EQ(errs[1].entry, "kt:two");
}

TEST(KernelPluginRefusal, AllBadPluginsAtOnceDoNotCrash) {
    RuntimeOptions o = default_options();
    for (const char* c :
         {"no_entry", "abi_major", "abi_minor", "init_throws", "init_error", "duplicate", "null_entry", "corrupt"})
        o.plugin_path.push_back(bad_dir(c));
    Runtime rt(o);
    auto records = rt.plugins();
    size_t refused = std::count_if(records.begin(), records.end(), [](const auto& r) {
        return !r.refused.empty() && contains(r.file.string(), KT_BAD_DIR);
    });
    EXPECT_EQ(refused, 6u);  // all but init_throws and init_error, whose descriptors are fine
    fs::path dir = registry_needing("test.probe", "all_bad");
    auto errs = rt.load(dir);
    ASSERT_TRUE(errs.empty()) << format_all(errs);
    EXPECT_TRUE(rt.call("kt:needs", Value::array()).ok());
}

TEST(KernelPluginLoading, GoodPluginRecordIsComplete) {
    Runtime rt(default_options());
    auto r = record_named(rt.plugins(), "test.good");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->version, "1.2.3");
    EXPECT_EQ(r->abi_major, static_cast<uint32_t>(MODRT_ABI_MAJOR));
    EXPECT_EQ(r->abi_minor, static_cast<uint32_t>(MODRT_ABI_MINOR));
    EXPECT_EQ(r->provides, (std::vector<std::string>{"test.data", "test.probe"}));
    EXPECT_EQ(r->refused, "");
    EXPECT_FALSE(r->loaded);
}

TEST(KernelPluginLoading, PluginsLoadOnlyWhenUsed) {
    Runtime rt(default_options());
    for (const auto& r : rt.plugins()) EXPECT_FALSE(r.loaded) << r.name << " loaded before any registry";
    fs::path dir = scratch_dir("lazy");
    write_file(dir / "r.yaml", with_lib("namespace: kt\n"
                                        "entries:\n"
                                        "  - name: add\n"
                                        "    kind: function.native\n"
                                        "    source: file://@LIB@\n"
                                        "    method: add\n"));
    auto errs = rt.load(dir);
    ASSERT_TRUE(errs.empty()) << format_all(errs);
    auto records = rt.plugins();
    auto native = record_named(records, "function.native");
    auto pool = record_named(records, "pool.inline");
    auto good = record_named(records, "test.good");
    ASSERT_TRUE(native && pool && good);
    EXPECT_TRUE(native->loaded);
    EXPECT_TRUE(pool->loaded);  // the default pool
    EXPECT_FALSE(good->loaded);
    EXPECT_TRUE(rt.call("kt:add", array_of({Value::integer(1), Value::integer(2)})).ok());
}

TEST(KernelPluginLoading, EarlierDirectoryWinsOnDuplicateProvides) {
    // The duplicate plugin first on the path: it wins and the real pool.inline is the one refused.
    Runtime rt(RuntimeOptions{{bad_dir("duplicate"), fs::path(MODRT_TEST_PLUGIN_DIR), good_plugin_dir()}});
    auto records = rt.plugins();
    auto real = record_of(records, fs::path(MODRT_TEST_PLUGIN_DIR) / "pool.inline.so");
    ASSERT_TRUE(real);
    KT_EXPECT_CONTAINS(real->refused, "already provided by");
    KT_EXPECT_CONTAINS(real->refused, "duplicate.so");
}

TEST(KernelPluginLoading, MissingPluginDirectoryIsSkipped) {
    Runtime rt(RuntimeOptions{{fs::path(KT_SCRATCH_DIR) / "no-such-dir", fs::path(MODRT_TEST_PLUGIN_DIR)}});
    EXPECT_TRUE(record_named(rt.plugins(), "pool.inline").has_value());
}

}  // namespace
}  // namespace kt
