// Plugin files are not trusted blindly (issue 19, class 12):
//  - a plugin is opened (its code run) only when a registry needs one of its names; its
//    manifest says what it provides, and the opened descriptor must agree with it;
//  - no manifest, a stale or unreadable one: the plugin is opened at scan, as before;
//  - files and directories writable by others, or owned by another user, are refused;
//  - a file that is not an ELF shared library for this machine is refused before dlopen.
#include "kernel_test_util.hpp"

#include "cli/subprocess.hpp"

#include <dlfcn.h>
#include <elf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>

namespace kt {

using modrt::kernel::PluginRecord;

namespace {

fs::path trust_marker_build() { return fs::path(KT_MARKER_PLUGIN); }
fs::path trust_manifest_of(const fs::path& so) { return fs::path(so).replace_extension(".modrt-manifest"); }

std::string trust_read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::optional<PluginRecord> trust_record(const std::vector<PluginRecord>& records, const fs::path& file) {
    for (const auto& r : records)
        if (r.file == file) return r;
    return std::nullopt;
}

void trust_chmod(const fs::path& p, mode_t mode) { ASSERT_EQ(::chmod(p.c_str(), mode), 0) << p; }

/// A registry (in a scratch directory) with one entry of kind `kind`.
fs::path trust_registry(const std::string& kind, const std::string& tag) {
    fs::path dir = scratch_dir(tag);
    write_file(dir / "r.yaml", "namespace: kt\n"
                               "entries:\n"
                               "  - name: needs\n"
                               "    kind: " +
                                   kind + "\n");
    return dir;
}

/// An ELF header of the given class, byte order, type and machine (the rest zero).
std::string trust_elf_header(unsigned char cls, unsigned char data, uint16_t type, uint16_t machine) {
    std::string out;
    auto put = [&](const auto& header) { out.assign(reinterpret_cast<const char*>(&header), sizeof header); };
    auto ident = [&](unsigned char* e) {
        std::memcpy(e, ELFMAG, SELFMAG);
        e[EI_CLASS] = cls;
        e[EI_DATA] = data;
        e[EI_VERSION] = EV_CURRENT;
    };
    auto swap = [&](uint16_t v) { return data == ELFDATA2MSB ? static_cast<uint16_t>((v >> 8) | (v << 8)) : v; };
    if (cls == ELFCLASS32) {
        Elf32_Ehdr h{};
        ident(h.e_ident);
        h.e_type = swap(type);
        h.e_machine = swap(machine);
        put(h);
    } else {
        Elf64_Ehdr h{};
        ident(h.e_ident);
        h.e_type = swap(type);
        h.e_machine = swap(machine);
        put(h);
    }
    return out;
}

}  // namespace

class PluginTrustTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "modrt-trust-XXXXXX").string();
        ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
        root_ = tmpl;
        trust_chmod(root_, 0755);  // mkdtemp gives 0700; set what the test means
    }
    void TearDown() override {
        std::error_code ec;
        // Undo modes that could stop the cleanup, then remove everything.
        for (auto it = fs::recursive_directory_iterator(root_, ec); it != fs::recursive_directory_iterator(); ++it)
            ::chmod(it->path().c_str(), 0755);
        fs::remove_all(root_, ec);
    }

    /// A plugin directory `name` under the test's root (mode 0755) with a copy of the marker
    /// plugin (0755) named `stem`.so, with its manifest (0644) when `manifest`, armed to record an open.
    fs::path plugin_dir(const std::string& name, bool manifest = true, const std::string& stem = "marker") {
        fs::path dir = root_ / name;
        fs::create_directories(dir);
        trust_chmod(dir, 0755);
        fs::path so = dir / (stem + ".so");
        // Never rewrite a copy in place: it may be mapped (plugins stay open for good); unlinking is safe.
        fs::remove(so);
        fs::copy_file(trust_marker_build(), so);
        trust_chmod(so, 0755);
        if (manifest) {
            fs::copy_file(trust_manifest_of(trust_marker_build()), trust_manifest_of(so),
                          fs::copy_options::overwrite_existing);
            trust_chmod(trust_manifest_of(so), 0644);
        }
        write_file(so.string() + ".opened", "");
        return dir;
    }

    /// Whether the plugin's constructor ran (in this process or a child).
    static bool constructed(const fs::path& so) { return trust_read(so.string() + ".opened") == "opened\n"; }
    /// Whether this process has the file mapped.
    static bool mapped(const fs::path& so) {
        void* h = ::dlopen(so.c_str(), RTLD_LAZY | RTLD_NOLOAD);
        if (h != nullptr) ::dlclose(h);  // balances the reference RTLD_NOLOAD took
        return h != nullptr;
    }
    static RuntimeOptions with(const fs::path& dir) {
        return RuntimeOptions{{fs::path(MODRT_TEST_PLUGIN_DIR), good_plugin_dir(), dir}};
    }
    static void rewrite_manifest(const fs::path& so, const std::string& from, const std::string& to) {
        std::string text = trust_read(trust_manifest_of(so));
        auto at = text.find(from);
        ASSERT_NE(at, std::string::npos) << text;
        text.replace(at, from.size(), to);
        write_file(trust_manifest_of(so), text);
    }

    fs::path root_;
};

// -- opened only when needed --------------------------------------------------------------

TEST_F(PluginTrustTest, BuildWritesManifestsForPlugins) {
    for (const char* stem : {"pool.inline", "function.native", "function.lua"})
        EXPECT_TRUE(fs::exists(fs::path(MODRT_TEST_PLUGIN_DIR) / (std::string(stem) + ".modrt-manifest"))) << stem;
    std::string text = trust_read(trust_manifest_of(trust_marker_build()));
    KT_EXPECT_CONTAINS(text, "\"name\": \"test.marker\"");
    KT_EXPECT_CONTAINS(text, "\"build_id\"");
    // A library without the entry symbol (function.native's test library) gets none.
    EXPECT_FALSE(fs::exists(trust_manifest_of(native_lib())));
    // Nor does a plugin the kernel would refuse (its ABI major is 2).
    EXPECT_FALSE(fs::exists(bad_dir("abi_major") / "abi_major.modrt-manifest"));
}

TEST_F(PluginTrustTest, UnneededPluginIsNeverOpened) {
    fs::path dir = plugin_dir("unused");
    fs::path so = dir / "marker.so";
    Runtime rt(with(dir));
    auto errs = rt.load(trust_registry("test.data", "unused"));
    ASSERT_TRUE(errs.empty()) << format_all(errs);
    auto records = rt.plugins();
    auto r = trust_record(records, so);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->name, "test.marker");  // known from the manifest...
    EXPECT_EQ(r->version, "0.9.1");
    EXPECT_EQ(r->provides, std::vector<std::string>{"test.marker"});
    EXPECT_EQ(r->manifest, "");
    EXPECT_EQ(r->refused, "");
    EXPECT_FALSE(r->opened);  // ...without running its code
    EXPECT_FALSE(constructed(so));
    EXPECT_FALSE(mapped(so));
    // Nor were the built-in plugins this registry does not use.
    for (const auto& rec : records)
        if (rec.name == "function.lua" || rec.name == "function.native") {
            EXPECT_FALSE(rec.opened) << rec.name;
        }
}

TEST_F(PluginTrustTest, NeededPluginIsOpenedAndWorks) {
    fs::path dir = plugin_dir("needed");
    fs::path so = dir / "marker.so";
    Runtime rt(with(dir));
    EXPECT_FALSE(constructed(so));
    auto errs = rt.load(trust_registry("test.marker", "needed"));
    ASSERT_TRUE(errs.empty()) << format_all(errs);
    EXPECT_TRUE(constructed(so));
    EXPECT_TRUE(mapped(so));
    auto r = trust_record(rt.plugins(), so);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->opened);
    EXPECT_TRUE(r->loaded);
    auto result = rt.call("kt:needs", Value::array());
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.value.str, "marker");
}

TEST_F(PluginTrustTest, InspectOpensEveryPluginAndChecksItsManifest) {
    fs::path dir = plugin_dir("inspect");
    fs::path so = dir / "marker.so";
    Runtime rt(with(dir));
    auto r = trust_record(rt.inspect_plugins(), so);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->opened);
    EXPECT_FALSE(r->loaded);  // opened to check, not initialised
    EXPECT_EQ(r->refused, "");
    EXPECT_EQ(r->manifest, "");
    EXPECT_TRUE(constructed(so));
}

// -- no usable manifest: opened at scan, as before ---------------------------------------------

TEST_F(PluginTrustTest, MissingManifestFallsBackToOpening) {
    fs::path dir = plugin_dir("no_manifest", false);
    fs::path so = dir / "marker.so";
    Runtime rt(with(dir));
    auto r = trust_record(rt.plugins(), so);
    ASSERT_TRUE(r);
    KT_EXPECT_CONTAINS(r->manifest, "no manifest");
    EXPECT_TRUE(r->opened);
    EXPECT_TRUE(constructed(so));
    EXPECT_EQ(r->provides, std::vector<std::string>{"test.marker"});
    auto errs = rt.load(trust_registry("test.marker", "no_manifest"));
    ASSERT_TRUE(errs.empty()) << format_all(errs);
    EXPECT_TRUE(rt.call("kt:needs", Value::array()).ok());
}

TEST_F(PluginTrustTest, ManifestOfAnotherBuildIsStale) {
    fs::path dir = plugin_dir("stale");
    fs::path so = dir / "marker.so";
    rewrite_manifest(so, "\"build_id\": \"", "\"build_id\": \"00");
    Runtime rt(with(dir));
    auto r = trust_record(rt.plugins(), so);
    ASSERT_TRUE(r);
    KT_EXPECT_CONTAINS(r->manifest, "stale");
    EXPECT_TRUE(r->opened);
    EXPECT_EQ(r->refused, "");
}

TEST_F(PluginTrustTest, ManifestWithoutBuildIdForAPluginWithOneIsStale) {
    fs::path dir = plugin_dir("stale_no_id");
    fs::path so = dir / "marker.so";
    rewrite_manifest(so, "\"build_id\"", "\"was_build_id\"");
    Runtime rt(with(dir));
    auto r = trust_record(rt.plugins(), so);
    ASSERT_TRUE(r);
    KT_EXPECT_CONTAINS(r->manifest, "stale");
    EXPECT_TRUE(r->opened);
}

TEST_F(PluginTrustTest, UnreadableManifestFallsBackToOpening) {
    int n = 0;
    for (const char* text :
         {"{not json", "[]", "{\"modrt_plugin_manifest\": 7}", "{\"modrt_plugin_manifest\": 1}", ""}) {
        fs::path dir = plugin_dir("garbled" + std::to_string(n++));
        fs::path so = dir / "marker.so";
        write_file(trust_manifest_of(so), text);
        Runtime rt(with(dir));
        auto r = trust_record(rt.plugins(), so);
        ASSERT_TRUE(r) << text;
        KT_EXPECT_CONTAINS(r->manifest, "unreadable");
        EXPECT_TRUE(r->opened) << text;
        EXPECT_EQ(r->refused, "") << text;
    }
}

// -- a manifest that lies is caught when the plugin is opened -----------------------------------

TEST_F(PluginTrustTest, ManifestLyingAboutProvidesIsRefusedAtLoad) {
    fs::path dir = plugin_dir("lies");
    fs::path so = dir / "marker.so";
    rewrite_manifest(so, "\"test.marker\"\n", "\"test.forged\"\n");
    Runtime rt(with(dir));
    auto errs = rt.load(trust_registry("test.forged", "lies"));
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    KT_EXPECT_CONTAINS(errs[0].message, so.string());
    KT_EXPECT_CONTAINS(errs[0].message, "does not match its manifest");
    KT_EXPECT_CONTAINS(errs[0].message, "[test.forged]");
    KT_EXPECT_CONTAINS(errs[0].message, "[test.marker]");
    auto r = trust_record(rt.plugins(), so);
    ASSERT_TRUE(r);
    KT_EXPECT_CONTAINS(r->refused, "does not match its manifest");
    EXPECT_FALSE(r->loaded);
    EXPECT_FALSE(rt.call("kt:needs", Value::array()).ok());
}

TEST_F(PluginTrustTest, ManifestLyingAboutNameOrVersionIsRefusedAtLoad) {
    struct Lie {
        std::string from, to, says;
    };
    for (const Lie& lie : {Lie{"\"name\": \"test.marker\"", "\"name\": \"test.other\"", "names plugin 'test.other'"},
                           Lie{"\"version\": \"0.9.1\"", "\"version\": \"9.9.9\"", "version 9.9.9"}}) {
        fs::path dir = plugin_dir("lies_" + lie.says.substr(0, 5));
        fs::path so = dir / "marker.so";
        rewrite_manifest(so, lie.from, lie.to);
        Runtime rt(with(dir));
        auto errs = rt.load(trust_registry("test.marker", "lies_name"));
        ASSERT_EQ(errs.size(), 1u) << format_all(errs);
        KT_EXPECT_CONTAINS(errs[0].message, lie.says);
        // `modrt plugins` sees the same refusal.
        Runtime rt2(with(dir));
        auto r = trust_record(rt2.inspect_plugins(), so);
        ASSERT_TRUE(r);
        KT_EXPECT_CONTAINS(r->refused, lie.says);
    }
}

TEST_F(PluginTrustTest, ManifestClaimingANewerAbiIsRefusedWithoutOpening) {
    fs::path dir = plugin_dir("newer_abi");
    fs::path so = dir / "marker.so";
    rewrite_manifest(so, "\"abi_major\": " + std::to_string(MODRT_ABI_MAJOR), "\"abi_major\": 7");
    Runtime rt(with(dir));
    auto r = trust_record(rt.plugins(), so);
    ASSERT_TRUE(r);
    KT_EXPECT_CONTAINS(r->refused, "ABI 7.");
    EXPECT_FALSE(r->opened);
    EXPECT_FALSE(constructed(so));
}

TEST_F(PluginTrustTest, DuplicateProvidersAreFoundFromManifests) {
    fs::path dir = plugin_dir("dup", true, "a_marker");
    plugin_dir("dup", true, "b_marker");
    Runtime rt(with(dir));
    auto records = rt.plugins();
    auto a = trust_record(records, dir / "a_marker.so");
    auto b = trust_record(records, dir / "b_marker.so");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->refused, "");
    KT_EXPECT_CONTAINS(b->refused, "provides 'test.marker', already provided by " + (dir / "a_marker.so").string());
    EXPECT_FALSE(a->opened);
    EXPECT_FALSE(b->opened);
    // And a manifest-less duplicate (opened at scan) is still caught.
    fs::remove(trust_manifest_of(dir / "b_marker.so"));
    Runtime rt2(with(dir));
    auto b2 = trust_record(rt2.plugins(), dir / "b_marker.so");
    ASSERT_TRUE(b2);
    KT_EXPECT_CONTAINS(b2->refused, "already provided by");
}

// -- ownership and modes ----------------------------------------------------------------------

struct TrustModeCase {
    std::string name;
    mode_t dir_mode;
    mode_t file_mode;
    std::string says;  // "" when accepted
};
void PrintTo(const TrustModeCase& c, std::ostream* os) { *os << c.name; }

class PluginTrustModes : public PluginTrustTest, public ::testing::WithParamInterface<TrustModeCase> {};

TEST_P(PluginTrustModes, AreRefusedOrAcceptedWithAClearReason) {
    const TrustModeCase& c = GetParam();
    fs::path dir = plugin_dir("modes");
    fs::path so = dir / "marker.so";
    trust_chmod(so, c.file_mode);
    trust_chmod(dir, c.dir_mode);
    Runtime rt(with(dir));
    auto errs = rt.load(trust_registry("test.marker", "modes"));
    auto r = trust_record(rt.plugins(), so);
    ASSERT_TRUE(r);
    if (c.says.empty()) {
        EXPECT_TRUE(errs.empty()) << format_all(errs);
        EXPECT_EQ(r->refused, "");
        return;
    }
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    for (const std::string& part : {c.says, std::string("not trusted"), std::string("chmod go-w"),
                                    std::string("MODRT_ALLOW_UNSAFE_PLUGIN_PATH")}) {
        KT_EXPECT_CONTAINS(r->refused, part);
        KT_EXPECT_CONTAINS(errs[0].message, part);
    }
    EXPECT_FALSE(r->opened);
    EXPECT_FALSE(constructed(so));  // refused before anything ran
}

INSTANTIATE_TEST_SUITE_P(
    PluginTrust, PluginTrustModes,
    ::testing::Values(TrustModeCase{"world_writable_dir", 0777, 0755, "is writable by group and others (mode 0777)"},
                      TrustModeCase{"other_writable_dir", 0757, 0755, "is writable by others (mode 0757)"},
                      TrustModeCase{"group_writable_dir", 0775, 0755, "is writable by its group (mode 0775)"},
                      TrustModeCase{"world_writable_file", 0755, 0777, "is writable by group and others (mode 0777)"},
                      TrustModeCase{"group_writable_file", 0755, 0775, "is writable by its group (mode 0775)"},
                      TrustModeCase{"other_writable_file", 0755, 0646, "is writable by others (mode 0646)"},
                      TrustModeCase{"sticky_world_writable_dir", 01777, 0755, ""},
                      TrustModeCase{"private_dir", 0700, 0700, ""}, TrustModeCase{"read_only", 0555, 0444, ""}),
    [](const auto& info) { return info.param.name; });

TEST_F(PluginTrustTest, WritableParentDirectoryIsRefused) {
    fs::path dir = plugin_dir("parent/plugins");
    trust_chmod(root_ / "parent", 0777);
    Runtime rt(with(dir));
    auto r = trust_record(rt.plugins(), dir / "marker.so");
    ASSERT_TRUE(r);
    KT_EXPECT_CONTAINS(r->refused, "directory " + (root_ / "parent").string() + " is writable");
    // The same parent with the sticky bit (like /tmp) is fine.
    trust_chmod(root_ / "parent", 01777);
    Runtime rt2(with(dir));
    EXPECT_EQ(trust_record(rt2.plugins(), dir / "marker.so")->refused, "");
}

TEST_F(PluginTrustTest, SymlinkIsJudgedByItsTarget) {
    fs::path dir = plugin_dir("target");
    trust_chmod(dir, 0777);
    fs::path links = root_ / "links";
    fs::create_directories(links);
    trust_chmod(links, 0755);
    fs::create_symlink(dir / "marker.so", links / "marker.so");
    Runtime rt(with(links));
    auto r = trust_record(rt.plugins(), links / "marker.so");
    ASSERT_TRUE(r);
    KT_EXPECT_CONTAINS(r->refused, "directory " + dir.string() + " is writable");
}

TEST_F(PluginTrustTest, ForeignOwnerIsRefused) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown to another user";
    const uid_t stranger = 54321;
    for (bool whole_dir : {true, false}) {
        fs::path dir = plugin_dir(whole_dir ? "foreign_dir" : "foreign_file");
        fs::path so = dir / "marker.so";
        ASSERT_EQ(::chown((whole_dir ? dir : so).c_str(), stranger, static_cast<gid_t>(-1)), 0);
        Runtime rt(with(dir));
        auto errs = rt.load(trust_registry("test.marker", "foreign"));
        ASSERT_EQ(errs.size(), 1u) << format_all(errs);
        KT_EXPECT_CONTAINS(errs[0].message, (whole_dir ? "directory " + dir.string() : "file " + so.string()) +
                                                " is owned by uid 54321");
        KT_EXPECT_CONTAINS(errs[0].message, "neither you");
        EXPECT_FALSE(constructed(so));
    }
}

TEST_F(PluginTrustTest, UnsafePathCanBeAllowedExplicitly) {
    fs::path dir = plugin_dir("allowed");
    trust_chmod(dir, 0777);
    trust_chmod(dir / "marker.so", 0666);
    RuntimeOptions o = with(dir);
    o.allow_unsafe_plugin_path = true;
    Runtime rt(o);
    auto errs = rt.load(trust_registry("test.marker", "allowed"));
    ASSERT_TRUE(errs.empty()) << format_all(errs);
    EXPECT_TRUE(rt.call("kt:needs", Value::array()).ok());
}

TEST_F(PluginTrustTest, UntrustedManifestIsIgnored) {
    fs::path dir = plugin_dir("manifest_writable");
    fs::path so = dir / "marker.so";
    trust_chmod(trust_manifest_of(so), 0666);
    Runtime rt(with(dir));
    auto r = trust_record(rt.plugins(), so);
    ASSERT_TRUE(r);
    KT_EXPECT_CONTAINS(r->manifest, "manifest not trusted");
    KT_EXPECT_CONTAINS(r->manifest, "mode 0666");
    EXPECT_EQ(r->refused, "");  // the plugin itself is fine: opened to read its descriptor
    EXPECT_TRUE(r->opened);
}

// -- not an ELF shared library for this machine ------------------------------------------------

struct TrustElfCase {
    std::string name;
    std::string bytes;
    std::string says;
};
void PrintTo(const TrustElfCase& c, std::ostream* os) { *os << c.name; }

#if defined(__x86_64__)
constexpr uint16_t kTrustOtherMachine = EM_AARCH64;
const std::string kTrustOtherMachineSays = "built for aarch64 (ELF machine 183); this is x86_64";
#else
constexpr uint16_t kTrustOtherMachine = EM_X86_64;
const std::string kTrustOtherMachineSays = "built for x86_64 (ELF machine 62); this is";
#endif

class PluginTrustElf : public PluginTrustTest, public ::testing::WithParamInterface<TrustElfCase> {};

TEST_P(PluginTrustElf, IsRefusedBeforeOpeningWithTheRealReason) {
    const TrustElfCase& c = GetParam();
    fs::path dir = root_ / "elf";
    fs::create_directories(dir);
    trust_chmod(dir, 0755);
    fs::path so = write_file(dir / "x.so", c.bytes);
    trust_chmod(so, 0755);
    Runtime rt(with(dir));
    auto r = trust_record(rt.plugins(), so);
    ASSERT_TRUE(r);
    KT_EXPECT_CONTAINS(r->refused, "cannot be loaded: " + c.says);
    EXPECT_FALSE(contains(r->refused, "No such file")) << r->refused;
    EXPECT_FALSE(r->opened);
    // A registry needing something gets the reason in its "not provided" error.
    auto errs = rt.load(trust_registry("test.nowhere", "elf"));
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    KT_EXPECT_CONTAINS(errs[0].message, "x.so: cannot be loaded: " + c.says);
}

INSTANTIATE_TEST_SUITE_P(
    PluginTrust, PluginTrustElf,
    ::testing::Values(
        TrustElfCase{"other_machine", trust_elf_header(ELFCLASS64, ELFDATA2LSB, ET_DYN, kTrustOtherMachine),
                     kTrustOtherMachineSays},
        TrustElfCase{"unknown_machine", trust_elf_header(ELFCLASS64, ELFDATA2LSB, ET_DYN, 4242),
                     "built for an unknown machine (ELF machine 4242)"},
        TrustElfCase{"elf32", trust_elf_header(ELFCLASS32, ELFDATA2LSB, ET_DYN, EM_386), "a 32-bit ELF file"},
        TrustElfCase{"big_endian", trust_elf_header(ELFCLASS64, ELFDATA2MSB, ET_DYN, EM_PPC64),
                     "a big-endian ELF file"},
        TrustElfCase{"executable", trust_elf_header(ELFCLASS64, ELFDATA2LSB, ET_EXEC, EM_X86_64),
                     "an ELF executable, not a shared library"},
        TrustElfCase{"object_file", trust_elf_header(ELFCLASS64, ELFDATA2LSB, ET_REL, EM_X86_64), "an ELF object file"},
        TrustElfCase{"text", "this is a text file, not a plugin\n", "not an ELF shared library"},
        TrustElfCase{"empty", "", "not an ELF shared library (the file is empty)"},
        TrustElfCase{"magic_only",
                     "\x7f"
                     "ELF",
                     "not an ELF shared library (its ELF header is truncated)"},
        TrustElfCase{"bad_class",
                     std::string("\x7f"
                                 "ELF\x09\x01\x01",
                                 7) +
                         std::string(64, '\0'),
                     "not an ELF shared library (unknown ELF class 9)"}),
    [](const auto& info) { return info.param.name; });

// -- through the CLI ---------------------------------------------------------------------------

TEST_F(PluginTrustTest, CliCallOpensOnlyWhatTheRegistryNeeds) {
    fs::path dir = plugin_dir("cli_call");
    auto r = modrt::test::run_process({MODRT_CLI, "call", std::string(MODRT_SOURCE_DIR) + "/examples/registries/hello",
                                       "app.api:greet", "\"Ada\"", "--plugin-path", dir.string()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_FALSE(constructed(dir / "marker.so"));
}

TEST_F(PluginTrustTest, CliPluginsOpensAndListsEveryPlugin) {
    fs::path dir = plugin_dir("cli_plugins");
    plugin_dir("cli_plugins", false, "zz_bare");  // sorts after marker.so: the duplicate
    auto r = modrt::test::run_process({MODRT_CLI, "plugins", "--plugin-path", dir.string()});
    ASSERT_EQ(r.exit_code, 1) << r.out << r.err;  // zz_bare.so is refused: listed, and the command fails
    KT_EXPECT_CONTAINS(r.out, (dir / "marker.so").string() + "\n  name: test.marker  version: 0.9.1  abi: ");
    KT_EXPECT_CONTAINS(r.out, "  provides: test.marker\n  manifest: yes\n");
    KT_EXPECT_CONTAINS(r.out, (dir / "zz_bare.so").string() +
                                  "\n  refused: provides 'test.marker', already provided by " +
                                  (dir / "marker.so").string());
    EXPECT_TRUE(constructed(dir / "marker.so"));  // `modrt plugins` opens every plugin
    EXPECT_TRUE(constructed(dir / "zz_bare.so"));
    // Built-in plugins are listed with their manifests.
    KT_EXPECT_CONTAINS(r.out, "  provides: pool.inline\n  manifest: yes\n");

    fs::path bare = plugin_dir("cli_bare", false);
    auto b = modrt::test::run_process({MODRT_CLI, "plugins", "--plugin-path", bare.string()});
    ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
    KT_EXPECT_CONTAINS(b.out, "  provides: test.marker\n  manifest: no manifest marker.modrt-manifest\n");
}

TEST_F(PluginTrustTest, CliRefusesAWorldWritableDirectoryUnlessAllowed) {
    fs::path dir = plugin_dir("cli_unsafe");
    trust_chmod(dir, 0777);
    auto refused = modrt::test::run_process({MODRT_CLI, "plugins", "--plugin-path", dir.string()},
                                            {.env = {{"MODRT_ALLOW_UNSAFE_PLUGIN_PATH", std::nullopt}}});
    ASSERT_EQ(refused.exit_code, 1) << refused.err;  // a refused plugin fails `modrt plugins`
    KT_EXPECT_CONTAINS(refused.out, "marker.so\n  refused: not trusted: directory " + dir.string() +
                                        " is writable by group and others (mode 0777)");
    KT_EXPECT_CONTAINS(refused.err, "chmod go-w " + dir.string());  // warned about on stderr too
    EXPECT_FALSE(constructed(dir / "marker.so"));
    auto allowed = modrt::test::run_process({MODRT_CLI, "plugins", "--plugin-path", dir.string()},
                                            {.env = {{"MODRT_ALLOW_UNSAFE_PLUGIN_PATH", "1"}}});
    ASSERT_EQ(allowed.exit_code, 0) << allowed.err;
    KT_EXPECT_CONTAINS(allowed.out, "marker.so\n  name: test.marker");
    KT_EXPECT_CONTAINS(allowed.err, "is used although");
}

}  // namespace kt
