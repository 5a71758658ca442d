// Registry loading through a real Runtime: every error names file, line and entry,
// and a load reports all of its problems.
#include "kernel_test_util.hpp"

#include "support/bounded_run.hpp"

#include <algorithm>

namespace kt {
namespace {

struct Loaded {
    std::unique_ptr<Runtime> rt;
    std::vector<RegistryError> errors;
};

Loaded load(const fs::path& registry) {
    Loaded l;
    l.rt = std::make_unique<Runtime>(default_options());
    l.errors = l.rt->load(registry);
    return l;
}

std::string file_in(const std::string& fixture, const std::string& name = "registry.yaml") {
    return (fixtures() / fixture / name).lexically_normal().string();
}

/// Exactly one error, with this file, line and entry, whose message contains `words`.
void expect_single(const std::vector<RegistryError>& errs, const std::string& file, int64_t line,
                   const std::string& entry, const std::string& words) {
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    EXPECT_EQ(errs[0].file, file);
    EXPECT_EQ(errs[0].line, line);
    EXPECT_EQ(errs[0].entry, entry);
    KT_EXPECT_CONTAINS(errs[0].message, words);
}

const RegistryError* find_error(const std::vector<RegistryError>& errs, const std::string& entry,
                                const std::string& words) {
    for (const auto& e : errs)
        if (e.entry == entry && contains(e.message, words)) return &e;
    return nullptr;
}

TEST(KernelRegistry, GoodRegistryLoadsAndListsEntries) {
    auto l = load(fixtures() / "good");
    ASSERT_TRUE(l.errors.empty()) << format_all(l.errors);
    auto entries = l.rt->entries();
    ASSERT_EQ(entries.size(), 4u);
    // Files are read in path order (more.yml < registry.yaml), entries in declaration order.
    EXPECT_EQ(entries[0].id, "kt.more:other");
    EXPECT_EQ(entries[0].kind, "test.probe");
    EXPECT_EQ(entries[0].pool, "inline");  // default pool
    EXPECT_EQ(entries[0].file, file_in("good", "more.yml"));
    EXPECT_EQ(entries[0].line, 4);
    EXPECT_EQ(entries[1].id, "kt.good:config");
    EXPECT_EQ(entries[1].kind, "test.data");
    EXPECT_EQ(entries[1].pool, "");  // not callable: no pool
    EXPECT_EQ(entries[1].line, 4);
    EXPECT_EQ(entries[2].id, "kt.good:probe");
    EXPECT_EQ(entries[2].pool, "inline");
    EXPECT_EQ(entries[2].line, 7);
    EXPECT_EQ(entries[3].id, "kt.good:probe_inline");
    EXPECT_EQ(entries[3].pool, "inline");
    EXPECT_EQ(entries[3].line, 10);
}

TEST(KernelRegistry, EntryInfoReachesTheKindPlugin) {
    auto l = load(fixtures() / "good");
    ASSERT_TRUE(l.errors.empty()) << format_all(l.errors);
    auto r = l.rt->call("kt.good:probe", Value::array());
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.find("id")->str, "kt.good:probe");
    EXPECT_EQ(r.value.find("kind")->str, "test.probe");
    EXPECT_EQ(r.value.find("method")->str, "run");
    EXPECT_EQ(r.value.find("source_path")->str, "");
    EXPECT_EQ(r.value.find("file")->str, file_in("good"));
    EXPECT_EQ(r.value.find("line")->scalar.i, 7);
}

TEST(KernelRegistry, SingleFileCanBeLoaded) {
    auto l = load(fixtures() / "good" / "more.yml");
    ASSERT_TRUE(l.errors.empty()) << format_all(l.errors);
    ASSERT_EQ(l.rt->entries().size(), 1u);
}

TEST(KernelRegistry, SourceIsRelativeToTheYamlFile) {
    auto l = load(fixtures() / "relative");
    ASSERT_TRUE(l.errors.empty()) << format_all(l.errors);
    auto local = l.rt->call("kt.rel:local", Value::array());
    ASSERT_TRUE(local.ok()) << local.error->message;
    EXPECT_EQ(local.value.find("source_path")->str,
              fs::canonical(fixtures() / "relative" / "sub" / "handlers" / "local.txt").string());
    auto parent = l.rt->call("kt.rel:parent", Value::array());
    ASSERT_TRUE(parent.ok()) << parent.error->message;
    EXPECT_EQ(parent.value.find("source_path")->str,
              fs::canonical(fixtures() / "relative" / "shared" / "data.txt").string());
    EXPECT_EQ(parent.value.find("file")->str, file_in("relative/sub"));
}

TEST(KernelRegistry, MissingRegistryPath) {
    auto l = load(fixtures() / "does_not_exist");
    ASSERT_EQ(l.errors.size(), 1u) << format_all(l.errors);
    KT_EXPECT_CONTAINS(l.errors[0].message, "registry not found");
    KT_EXPECT_CONTAINS(l.errors[0].file, "does_not_exist");
}

TEST(KernelRegistry, EmptyDirectoryHasNoRegistryFiles) {
    fs::path dir = scratch_dir("empty");
    auto l = load(dir);
    ASSERT_EQ(l.errors.size(), 1u) << format_all(l.errors);
    KT_EXPECT_CONTAINS(l.errors[0].message, "no registry files");
}

TEST(KernelRegistry, BadYamlSyntax) {
    auto l = load(fixtures() / "bad_yaml");
    ASSERT_EQ(l.errors.size(), 1u) << format_all(l.errors);
    EXPECT_EQ(l.errors[0].file, file_in("bad_yaml"));
    // The flow sequence opened on line 6 is never closed; yaml-cpp notices at or after it.
    EXPECT_GE(l.errors[0].line, 6);
    EXPECT_LE(l.errors[0].line, 7);
    EXPECT_EQ(l.errors[0].entry, "");
    KT_EXPECT_CONTAINS(l.errors[0].message, "invalid YAML");
    EXPECT_TRUE(l.rt->entries().empty());
}

TEST(KernelRegistry, RootNotAMap) {
    auto l = load(fixtures() / "root_not_map");
    expect_single(l.errors, file_in("root_not_map"), 1, "", "must be a map");
}

TEST(KernelRegistry, MissingNamespace) {
    auto l = load(fixtures() / "missing_namespace");
    expect_single(l.errors, file_in("missing_namespace"), 1, "", "missing 'namespace'");
    EXPECT_TRUE(l.rt->entries().empty());
}

TEST(KernelRegistry, MissingEntries) {
    auto l = load(fixtures() / "missing_entries");
    expect_single(l.errors, file_in("missing_entries"), 1, "", "missing 'entries'");
}

TEST(KernelRegistry, EntryWithoutName) {
    auto l = load(fixtures() / "entry_no_name");
    expect_single(l.errors, file_in("entry_no_name"), 6, "", "no 'name'");
    // The good entry next to it still loads.
    ASSERT_EQ(l.rt->entries().size(), 1u);
    EXPECT_EQ(l.rt->entries()[0].id, "kt:fine");
}

TEST(KernelRegistry, EntryWithoutKind) {
    auto l = load(fixtures() / "entry_no_kind");
    expect_single(l.errors, file_in("entry_no_kind"), 7, "kt:kindless", "no 'kind'");
}

TEST(KernelRegistry, UnknownKindNamesTheKindAndPointsAtItsLine) {
    auto l = load(fixtures() / "unknown_kind");
    expect_single(l.errors, file_in("unknown_kind"), 6, "kt:mystery", "'function.cobol'");
    KT_EXPECT_CONTAINS(l.errors[0].message, "no plugin");
}

TEST(KernelRegistry, EntriesOfKindsNoPluginServesAreSkippedAndFailOnlyWhenCalled) {
    // A Wippy project folder mixes functions with kinds served elsewhere (processes, terminals).
    fs::path dir = scratch_dir("skipped");
    write_file(dir / "registry.yaml",
               with_lib("version: \"1.0\"\nnamespace: kt\nentries:\n"
                        "  - {name: add, kind: function.native, source: file://@LIB@, method: add}\n"
                        "  - {name: worker, kind: process.lua, source: file://worker.lua, method: main}\n"
                        "  - {name: term, kind: terminal.host}\n"));
    write_file(dir / "worker.lua", "return {main = function() end}\n");
    Runtime rt(default_options());
    auto errs = rt.load(dir);
    ASSERT_TRUE(errs.empty()) << format_all(errs);
    auto entries = rt.entries();
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_FALSE(entries[0].skipped);
    EXPECT_TRUE(entries[1].skipped);
    EXPECT_TRUE(entries[2].skipped);
    Value args = Value::array();
    args.items = {Value::integer(2), Value::integer(3)};
    EXPECT_TRUE(rt.call("kt:add", args).ok());
    auto r = rt.call("kt:worker", Value::array());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_UNAVAILABLE);
    EXPECT_FALSE(r.error->retryable);
    KT_EXPECT_CONTAINS(r.error->message,
                       "'kt:worker' is a process.lua entry: no plugin on the plugin path serves that kind");
}

TEST(KernelRegistry, AKindCloseToAProvidedOneIsAnErrorWithASuggestion) {
    fs::path dir = scratch_dir("typo");
    write_file(dir / "registry.yaml", "version: \"1.0\"\nnamespace: kt\nentries:\n"
                                      "  - {name: lib, kind: library.lau, source: file://lib.lua}\n");
    write_file(dir / "lib.lua", "return {}\n");
    Runtime rt(default_options());
    auto errs = rt.load(dir);
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    EXPECT_EQ(errs[0].line, 4);
    KT_EXPECT_CONTAINS(errs[0].message,
                       "no plugin on the plugin path provides 'library.lau' (did you mean 'library.lua'?)");
}

TEST(KernelRegistry, DuplicateIdAcrossFilesNamesTheFirstLocation) {
    auto l = load(fixtures() / "duplicate");
    expect_single(l.errors, file_in("duplicate", "b.yaml"), 7, "kt:twice",
                  "first declared at " + file_in("duplicate", "a.yaml") + ":6");
    KT_EXPECT_CONTAINS(l.errors[0].message, "duplicate id");
    EXPECT_EQ(l.rt->entries().size(), 3u);
}

TEST(KernelRegistry, DuplicateIdAcrossTwoLoadsNamesTheFirstLocation) {
    Runtime rt(default_options());
    auto first = rt.load(fixtures() / "duplicate" / "a.yaml");
    ASSERT_TRUE(first.empty()) << format_all(first);
    auto second = rt.load(fixtures() / "duplicate" / "b.yaml");
    expect_single(second, file_in("duplicate", "b.yaml"), 7, "kt:twice",
                  "first declared at " + file_in("duplicate", "a.yaml") + ":6");
    EXPECT_EQ(rt.entries().size(), 3u);
}

TEST(KernelRegistry, MissingSourceFile) {
    auto l = load(fixtures() / "missing_source");
    expect_single(l.errors, file_in("missing_source"), 6, "kt:lost", "source file not found");
    KT_EXPECT_CONTAINS(l.errors[0].message, (fixtures() / "missing_source" / "nowhere" / "missing.lua").string());
}

TEST(KernelRegistry, SourceMustBeFileUrl) {
    auto l = load(fixtures() / "source_not_file");
    expect_single(l.errors, file_in("source_not_file"), 7, "kt:remote", "file://");
    KT_EXPECT_CONTAINS(l.errors[0].message, "https://example.com/x.lua");
}

TEST(KernelRegistry, WrongFieldTypes) {
    auto l = load(fixtures() / "wrong_types");
    ASSERT_EQ(l.errors.size(), 4u) << format_all(l.errors);
    const std::string file = file_in("wrong_types");
    for (const auto& e : l.errors) EXPECT_EQ(e.file, file);

    const RegistryError* pool = find_error(l.errors, "kt:pool_scalar", "'pool' must be a map");
    ASSERT_NE(pool, nullptr) << format_all(l.errors);
    EXPECT_EQ(pool->line, 6);
    KT_EXPECT_CONTAINS(pool->message, "integer");

    const RegistryError* modules = find_error(l.errors, "kt:modules_scalar", "'modules' must be a list");
    ASSERT_NE(modules, nullptr) << format_all(l.errors);
    EXPECT_EQ(modules->line, 9);

    const RegistryError* imports = find_error(l.errors, "kt:import_number", "import 'bad'");
    ASSERT_NE(imports, nullptr) << format_all(l.errors);
    EXPECT_EQ(imports->line, 14);  // the line of the offending key, not the entry

    const RegistryError* method = find_error(l.errors, "kt:method_list", "'method' must be a string");
    ASSERT_NE(method, nullptr) << format_all(l.errors);
    EXPECT_EQ(method->line, 17);

    ASSERT_EQ(l.rt->entries().size(), 1u);
    EXPECT_EQ(l.rt->entries()[0].id, "kt:fine");
}

TEST(KernelRegistry, ReportsEveryErrorOfAMultiErrorRegistry) {
    auto l = load(fixtures() / "multi");
    const std::string a = file_in("multi", "a.yaml"), b = file_in("multi", "b.yaml");
    ASSERT_EQ(l.errors.size(), 6u) << format_all(l.errors);

    struct Want {
        std::string file;
        int64_t line;
        std::string entry, words;
    };
    const Want wants[] = {
        {a, 6, "", "no 'name'"},
        {a, 7, "kt:no_kind", "no 'kind'"},
        {a, 10, "kt:bad_pool", "'pool' must be a map"},
        {a, 12, "kt:unknown", "'function.nope'"},
        {b, 4, "kt:ok_one", "first declared at " + a + ":4"},
        {b, 8, "kt:bad_source", "file://"},
    };
    for (const auto& w : wants) {
        const RegistryError* e = find_error(l.errors, w.entry, w.words);
        ASSERT_NE(e, nullptr) << "missing error for '" << w.entry << "' (" << w.words << ")\n" << format_all(l.errors);
        EXPECT_EQ(e->file, w.file) << e->format();
        EXPECT_EQ(e->line, w.line) << e->format();
    }
    // format() is "file:line: entry 'id': message".
    const RegistryError* kindless = find_error(l.errors, "kt:no_kind", "no 'kind'");
    EXPECT_EQ(kindless->format(), a + ":7: entry 'kt:no_kind': " + kindless->message);
}

TEST(KernelRegistry, EntryCreateErrorPointsAtTheFieldNamedInDetails) {
    fs::path dir = scratch_dir("reject");
    write_file(dir / "r.yaml", "namespace: kt\n"
                               "entries:\n"
                               "  - name: picky\n"
                               "    kind: test.data\n"
                               "    meta: {}\n"
                               "    reject: true\n");
    Runtime rt(default_options());
    auto errs = rt.load(dir);
    expect_single(errs, (dir / "r.yaml").lexically_normal().string(), 6, "kt:picky", "test.data refuses");
}

// ---------------------------------------------------------------------------
// YAML expansion limits (aliases, "billion laughs"), nesting, duplicate keys
// ---------------------------------------------------------------------------

// `levels` anchors, each a list (or map) of `fan` aliases of the previous one, inside one
// entry whose first anchor is on line 5: level k expands to about fan^k nodes.
std::string c1_bomb(int levels, int fan, bool maps = false, const std::string& leaf = "lol") {
    std::string doc = "namespace: kt.bomb\nentries:\n  - name: bomb\n    kind: test.data\n";
    for (int l = 0; l < levels; ++l) {
        std::string item = l == 0 ? leaf : "*l" + std::to_string(l - 1);
        doc += "    l" + std::to_string(l) + ": &l" + std::to_string(l) + (maps ? " {" : " [");
        for (int i = 0; i < fan; ++i)
            doc += (i ? ", " : "") + (maps ? "k" + std::to_string(i) + ": " : std::string()) + item;
        doc += maps ? "}\n" : "]\n";
    }
    return doc;
}

/// Load `text` as dir/registry.yaml with `options`, within 20 s (a regression must fail, not hang).
std::vector<RegistryError> c1_load_text(const std::string& text, RuntimeOptions options = default_options(),
                                        std::string* file = nullptr) {
    fs::path dir = scratch_dir("yaml");
    fs::path f = write_file(dir / "registry.yaml", text);
    if (file != nullptr) *file = f.lexically_normal().string();
    auto errors = modrt::test::run_within(
        [dir, options] {
            Runtime rt(options);
            return rt.load(dir);
        },
        std::chrono::seconds(20));
    if (!errors) ADD_FAILURE() << "loading did not finish within 20 s";
    return errors.value_or(std::vector<RegistryError>{});
}

TEST(KernelRegistryYaml, BillionLaughsInListsStopsAtTheAnchorPastTheNodeLimit) {
    std::string file;
    auto errs = c1_load_text(c1_bomb(9, 10), default_options(), &file);  // 10^9 nodes
    // l4 (line 9) is the first level past 100000 nodes: 1 + 10 * 11111.
    expect_single(errs, file, 9, "", "document expands to more than 100000 nodes (aliases?)");
    KT_EXPECT_CONTAINS(errs[0].message, "--registry-max-nodes");
}

TEST(KernelRegistryYaml, BillionLaughsInMapsAndWideFansAreBoundedToo) {
    std::string file;
    auto errs = c1_load_text(c1_bomb(7, 20, true), default_options(), &file);  // maps of 20 aliases each
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    KT_EXPECT_CONTAINS(errs[0].message, "document expands to more than 100000 nodes");
    EXPECT_GE(errs[0].line, 5);
    EXPECT_LE(errs[0].line, 11);
    errs = c1_load_text(c1_bomb(3, 1000), default_options(), &file);  // three levels of 1000
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    EXPECT_EQ(errs[0].line, 6);  // l1: 1 + 1000 * 1001 nodes
    KT_EXPECT_CONTAINS(errs[0].message, "more than 100000 nodes");
}

TEST(KernelRegistryYaml, AliasesOfLongStringsHitTheByteLimit) {
    std::string file;
    // 10 KB string * 20 * 20 = 4 MB of text in 421 nodes.
    auto errs = c1_load_text(c1_bomb(3, 20, false, "\"" + std::string(10000, 'x') + "\""), default_options(), &file);
    expect_single(errs, file, 7, "", "document expands to more than 4194304 bytes of text");
    KT_EXPECT_CONTAINS(errs[0].message, "--registry-max-bytes");
    EXPECT_EQ(errs[0].message.find("xxxxxxxxxx"), std::string::npos) << "the text itself is not echoed";
}

TEST(KernelRegistryYaml, AliasesInKeysAndEntriesAreCountedOrRefused) {
    std::string file;
    // A bomb used as a map key is not a string key.
    auto errs = c1_load_text(c1_bomb(2, 10) + "    keyed: {? *l1 : v}\n", default_options(), &file);
    expect_single(errs, file, 6, "", "map keys must be strings");  // an alias shows where its anchor is
    // A bomb spread over many entries (each an alias of the same entry) counts per document.
    std::string doc = "namespace: kt.many\nentries:\n  - &e {name: one, kind: test.data, big: [";
    for (int i = 0; i < 2000; ++i) doc += (i ? ",x" : "x");
    doc += "]}\n";
    for (int i = 0; i < 100; ++i) doc += "  - *e\n";
    errs = c1_load_text(doc, default_options(), &file);
    ASSERT_FALSE(errs.empty());
    KT_EXPECT_CONTAINS(errs[0].message, "document expands to more than 100000 nodes");
    EXPECT_EQ(errs[0].line, 3);  // the list of entries: no one entry is past the limit
}

TEST(KernelRegistryYaml, AnAliasInsideItsOwnAnchorIsRefused) {
    std::string file;
    auto errs = c1_load_text("namespace: kt.cyc\nentries:\n  - name: c\n    kind: test.data\n    loop: &a [*a, *a]\n",
                             default_options(), &file);
    expect_single(errs, file, 5, "", "an alias refers to a node that contains it");
    errs =
        c1_load_text("namespace: kt.cyc\nentries:\n  - name: c\n    kind: test.data\n    loop: &m {a: *m, b: [*m]}\n",
                     default_options(), &file);
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    KT_EXPECT_CONTAINS(errs[0].message, "an alias refers to a node that contains it");
}

TEST(KernelRegistryYaml, DeepNestingIsAnErrorNotACrash) {
    std::string file;
    // Past yaml-cpp's own guard (500 levels): flow lists, flow maps, block maps.
    for (const std::string& doc : {std::string(100000, '[') + std::string(100000, ']'), std::string(100000, '['),
                                   [] {
                                       std::string d;
                                       for (int i = 0; i < 50000; ++i) d += "{a: ";
                                       return d;
                                   }(),
                                   [] {
                                       std::string d;
                                       for (int i = 0; i < 2000; ++i) d += std::string(i, ' ') + "a:\n";
                                       return d;
                                   }()}) {
        auto errs = c1_load_text(doc, default_options(), &file);
        ASSERT_EQ(errs.size(), 1u) << format_all(errs);
        KT_EXPECT_CONTAINS(errs[0].message, "invalid YAML: nested deeper than");
        EXPECT_EQ(errs[0].file, file);
    }
    // Deeper than the kernel's 256 but within yaml-cpp's guard.
    auto errs = c1_load_text("namespace: kt.deep\nentries:\n  - name: d\n    kind: test.data\n    deep: " +
                                 std::string(300, '[') + std::string(300, ']') + "\n",
                             default_options(), &file);
    expect_single(errs, file, 5, "", "nested deeper than 256 levels");
}

TEST(KernelRegistryYaml, AChainOfAliasesIsAsDeepAsItExpands) {
    // Each anchor wraps the previous one: shallow in the file, 400 levels deep expanded.
    std::string doc = "namespace: kt.chain\nentries:\n  - name: c\n    kind: test.data\n    a0: &a0 [x]\n";
    for (int i = 1; i < 400; ++i)
        doc += "    a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) + "]\n";
    std::string file;
    auto errs = c1_load_text(doc, default_options(), &file);
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    KT_EXPECT_CONTAINS(errs[0].message, "nested deeper than 256 levels");
    EXPECT_EQ(errs[0].file, file);
}

TEST(KernelRegistryYaml, LongScalarsAndLargeFilesHitTheByteLimit) {
    std::string file;
    std::string entry = "namespace: kt.long\nentries:\n  - name: l\n    kind: test.data\n    text: ";
    auto errs = c1_load_text(entry + std::string(5 << 20, 'y') + "\n", default_options(), &file);
    expect_single(errs, file, 0, "", "the file is larger than 4194304 bytes");
    EXPECT_EQ(errs[0].message.find("yyyy"), std::string::npos);
    // A lower limit applies to the scalars' text even when the file is smaller than it.
    RuntimeOptions small = default_options();
    small.registry_limits.max_bytes = 2000;
    errs = c1_load_text(entry + "&t \"" + std::string(500, 'z') + "\"\n    more: [*t, *t, *t, *t]\n", small, &file);
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    KT_EXPECT_CONTAINS(errs[0].message, "more than 2000 bytes");
}

TEST(KernelRegistryYaml, TheLimitsAreSettable) {
    std::string doc = c1_bomb(2, 400);  // l1: 1 + 400 * 401 = 160,401 nodes, past the default
    auto errs = c1_load_text(doc);
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    KT_EXPECT_CONTAINS(errs[0].message, "more than 100000 nodes");
    RuntimeOptions wide = default_options();
    wide.registry_limits.max_nodes = 200'000;
    errs = c1_load_text(doc, wide);
    EXPECT_TRUE(errs.empty()) << format_all(errs);
    RuntimeOptions narrow = default_options();
    narrow.registry_limits.max_nodes = 50;
    std::string file;
    errs = c1_load_text(c1_bomb(2, 10), narrow, &file);
    expect_single(errs, file, 6, "", "more than 50 nodes");
    // An ordinary registry is far below the defaults.
    errs = c1_load_text("namespace: kt.ok\nentries:\n  - {name: a, kind: test.data, meta: {x: &x [1, 2]}, y: *x}\n");
    EXPECT_TRUE(errs.empty()) << format_all(errs);
}

TEST(KernelRegistryYaml, OverrideValuesAreBoundedLikeDocuments) {
    const std::string doc = "namespace: kt.o\nentries:\n  - name: e\n    kind: test.data\n";
    std::string bomb = "[&a [l,l,l,l,l,l,l,l,l,l]";
    for (char c = 'b'; c <= 'j'; ++c) {
        bomb += std::string(", &") + c + " [";
        for (int i = 0; i < 10; ++i) bomb += std::string(i ? ",*" : "*") + char(c - 1);
        bomb += "]";
    }
    bomb += "]";
    RuntimeOptions o = default_options();
    o.overrides.push_back({"kt.o:e", "meta.bomb", bomb});
    std::string file;
    auto errs = c1_load_text(doc, o, &file);
    expect_single(errs, file, 3, "kt.o:e",
                  "override kt.o:e:meta.bomb: the value: document expands to more than 100000 nodes");
    // Deeply nested -o text is not YAML to yaml-cpp: it stays a string, checked like one.
    o.overrides = {{"kt.o:e", "meta.deep", std::string(100000, '[')}};
    errs = c1_load_text(doc, o);
    EXPECT_TRUE(errs.empty()) << format_all(errs);
}

TEST(KernelRegistryYaml, AnOverrideInsideAnAliasedNodeIsCountedAsItExpands) {
    // x is used 1000 times; an override writes into x itself, so its value is too.
    const std::string doc = "namespace: kt.o\nentries:\n  - name: e\n    kind: test.data\n"
                            "    x: &x {v: 1}\n    l: &l [*x,*x,*x,*x,*x,*x,*x,*x,*x,*x]\n"
                            "    m: &m [*l,*l,*l,*l,*l,*l,*l,*l,*l,*l]\n    n: [*m,*m,*m,*m,*m,*m,*m,*m,*m,*m]\n";
    std::string list = "[";
    for (int i = 0; i < 200; ++i) list += (i ? ",0" : "0");
    list += "]";
    RuntimeOptions o = default_options();
    o.overrides.push_back({"kt.o:e", "x.v", list});
    std::string file;
    auto errs = c1_load_text(doc, o, &file);
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    EXPECT_EQ(errs[0].entry, "kt.o:e");
    KT_EXPECT_CONTAINS(errs[0].message, "document expands to more than 100000 nodes");
    o.overrides = {{"kt.o:e", "x.v", "[0, 1]"}};
    errs = c1_load_text(doc, o);
    EXPECT_TRUE(errs.empty()) << format_all(errs);
}

TEST(KernelRegistryDuplicateKeys, AtTheTopLevel) {
    std::string file;
    auto errs = c1_load_text("namespace: kt.a\nentries: []\nnamespace: kt.b\n", default_options(), &file);
    expect_single(errs, file, 3, "", "duplicate key 'namespace' (first at line 1)");
    errs = c1_load_text("namespace: kt.a\nentries:\n  - {name: x, kind: test.data}\nentries: []\n", default_options(),
                        &file);
    expect_single(errs, file, 4, "", "duplicate key 'entries' (first at line 2)");
}

TEST(KernelRegistryDuplicateKeys, InAnEntry) {
    std::string file;
    auto errs = c1_load_text("namespace: kt.d\nentries:\n  - name: x\n    kind: test.data\n    kind: test.probe\n",
                             default_options(), &file);
    expect_single(errs, file, 5, "", "duplicate key 'kind' (first at line 4)");
    errs = c1_load_text("namespace: kt.d\nentries:\n  - {name: x, kind: test.data, name: y}\n", default_options(),
                        &file);
    expect_single(errs, file, 3, "", "duplicate key 'name'");
    // Quoting a key does not make it another key.
    errs = c1_load_text("namespace: kt.d\nentries:\n  - name: x\n    kind: test.data\n    \"pool\": {}\n    pool: {}\n",
                        default_options(), &file);
    expect_single(errs, file, 6, "", "duplicate key 'pool' (first at line 5)");
}

TEST(KernelRegistryDuplicateKeys, NestedInMetaOrOptions) {
    std::string file;
    auto errs = c1_load_text("namespace: kt.d\nentries:\n  - name: x\n    kind: test.data\n    meta:\n      options:\n"
                             "        retries: 1\n        deep: {a: {b: 1, b: 2}}\n",
                             default_options(), &file);
    expect_single(errs, file, 8, "", "duplicate key 'b'");
    errs = c1_load_text("namespace: kt.d\nentries:\n  - name: x\n    kind: test.data\n    meta:\n      comment: a\n"
                        "      tags: [1]\n      comment: b\n",
                        default_options(), &file);
    expect_single(errs, file, 8, "", "duplicate key 'comment' (first at line 6)");
    // Different keys that look alike are not duplicates.
    errs = c1_load_text("namespace: kt.d\nentries:\n  - {name: x, kind: test.data, meta: {a: 1, A: 2, \"a \": 3}}\n");
    EXPECT_TRUE(errs.empty()) << format_all(errs);
}

TEST(KernelRegistryDuplicateKeys, InOverrideValues) {
    RuntimeOptions o = default_options();
    o.overrides.push_back({"kt.d:x", "meta.options", "{a: 1, b: 2, a: 3}"});
    std::string file;
    auto errs = c1_load_text("namespace: kt.d\nentries:\n  - name: x\n    kind: test.data\n", o, &file);
    expect_single(errs, file, 3, "kt.d:x", "override kt.d:x:meta.options: the value: duplicate key 'a'");
    o.overrides = {{"kt.d:x", "meta", "options:\n  n: 1\n  n: 2\n"}};
    errs = c1_load_text("namespace: kt.d\nentries:\n  - name: x\n    kind: test.data\n", o, &file);
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    KT_EXPECT_CONTAINS(errs[0].message, "duplicate key 'n' (first at line 2) (line 3 of the value)");
}

// ---------------------------------------------------------------------------
// `source: file://` is confined to the registry's directory
// ---------------------------------------------------------------------------

constexpr const char* kC1Secret = "C1-SECRET-TOKEN-do-not-echo";

/// A registry directory `<scratch>/reg` beside a secret file `<scratch>/secret.lua`.
struct C1Confined {
    fs::path top = scratch_dir("confine");
    fs::path reg = top / "reg";
    fs::path secret = write_file(top / "secret.lua", std::string("local x = ") + kC1Secret + " +\n");
    fs::path inside = write_file(reg / "handlers" / "ok.lua", "return {}\n");

    std::vector<RegistryError> load_source(const std::string& source, RuntimeOptions options = default_options()) {
        write_file(reg / "registry.yaml", "namespace: kt.c\nentries:\n  - name: x\n    kind: test.probe\n"
                                          "    method: run\n    source: file://" +
                                              source + "\n");
        Runtime rt(options);
        return rt.load(reg);
    }
    std::string file() const { return (reg / "registry.yaml").lexically_normal().string(); }
};

void c1_expect_outside(const std::vector<RegistryError>& errs, const std::string& file, const std::string& source,
                       const fs::path& reg) {
    expect_single(errs, file, 6, "kt.c:x",
                  "source '" + source + "' is outside the registry directory " + fs::canonical(reg).string() +
                      " (add --source-root to allow it)");
    EXPECT_EQ(errs[0].message.find(kC1Secret), std::string::npos);
}

TEST(KernelRegistryConfine, DotDotTraversalIsRefused) {
    C1Confined c;
    c1_expect_outside(c.load_source("../secret.lua"), c.file(), "../secret.lua", c.reg);
    c1_expect_outside(c.load_source("handlers/../../secret.lua"), c.file(), "handlers/../../secret.lua", c.reg);
    c1_expect_outside(c.load_source("../../../../../../../../etc/passwd"), c.file(),
                      "../../../../../../../../etc/passwd", c.reg);
    // Inside, `..` is fine.
    auto errs = c.load_source("handlers/../handlers/ok.lua");
    EXPECT_TRUE(errs.empty()) << format_all(errs);
}

TEST(KernelRegistryConfine, AbsolutePathsOutsideAreRefused) {
    C1Confined c;
    for (const std::string& p :
         {std::string("/etc/passwd"), std::string("/etc/shadow"), std::string("/proc/self/environ"), c.secret.string(),
          std::string("/no/such/file.lua")})
        c1_expect_outside(c.load_source(p), c.file(), p, c.reg);  // whether it exists is not told either
    auto errs = c.load_source(c.inside.string());                 // an absolute path inside is fine
    EXPECT_TRUE(errs.empty()) << format_all(errs);
}

TEST(KernelRegistryConfine, SymlinksAreResolvedBeforeTheCheck) {
    C1Confined c;
    fs::create_symlink(c.secret, c.reg / "link.lua");
    c1_expect_outside(c.load_source("link.lua"), c.file(), "link.lua", c.reg);
    fs::create_directory_symlink(c.top, c.reg / "up");
    c1_expect_outside(c.load_source("up/secret.lua"), c.file(), "up/secret.lua", c.reg);
    fs::create_symlink(c.inside, c.reg / "inner.lua");  // a symlink staying inside is fine
    auto errs = c.load_source("inner.lua");
    EXPECT_TRUE(errs.empty()) << format_all(errs);
}

TEST(KernelRegistryConfine, ASymlinkedRegistryFileOutsideIsNotRead) {
    C1Confined c;
    write_file(c.top / "elsewhere" / "other.yaml", std::string("namespace: ") + kC1Secret + "\nentries: []\n");
    write_file(c.reg / "registry.yaml", "namespace: kt.c\nentries: []\n");
    fs::create_symlink(c.top / "elsewhere" / "other.yaml", c.reg / "other.yaml");
    Runtime rt(default_options());
    auto errs = rt.load(c.reg);
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    KT_EXPECT_CONTAINS(errs[0].message, "registry file is a symlink to");
    KT_EXPECT_CONTAINS(errs[0].message, "outside the registry directory");
    EXPECT_EQ(errs[0].message.find(kC1Secret), std::string::npos);
}

TEST(KernelRegistryConfine, ASourceRootWidensIt) {
    C1Confined c;
    RuntimeOptions wide = default_options();
    wide.source_roots.push_back(c.top);
    auto errs = c.load_source("../secret.lua", wide);
    EXPECT_TRUE(errs.empty()) << format_all(errs);
    fs::create_symlink(c.secret, c.reg / "link.lua");
    errs = c.load_source("link.lua", wide);
    EXPECT_TRUE(errs.empty()) << format_all(errs);
    // Only what is under the root: /etc stays out.
    c1_expect_outside(c.load_source("/etc/passwd", wide), c.file(), "/etc/passwd", c.reg);
    // A root given through a symlink is resolved too.
    fs::create_directory_symlink(c.top, c.top.parent_path() / (c.top.filename().string() + ".link"));
    RuntimeOptions via_link = default_options();
    via_link.source_roots.push_back(c.top.parent_path() / (c.top.filename().string() + ".link"));
    errs = c.load_source("../secret.lua", via_link);
    EXPECT_TRUE(errs.empty()) << format_all(errs);
}

TEST(KernelRegistryConfine, ASingleFileIsConfinedToItsDirectory) {
    C1Confined c;
    c.load_source("../secret.lua");
    Runtime rt(default_options());
    auto errs = rt.load(c.reg / "registry.yaml");
    c1_expect_outside(errs, c.file(), "../secret.lua", c.reg);
}

TEST(KernelRegistryConfine, NativeLibrariesAreConfinedToo) {
    fs::path dir = scratch_dir("native");
    write_file(dir / "r.yaml", with_lib("namespace: kt.c\nentries:\n  - name: x\n    kind: function.native\n"
                                        "    source: file://@LIB@\n    method: add\n"));
    RuntimeOptions confined = default_options();
    confined.source_roots.clear();  // default_options() lets every test name the library
    Runtime rt(confined);
    auto errs = rt.load(dir);
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    KT_EXPECT_CONTAINS(errs[0].message, "is outside the registry directory");
    RuntimeOptions wide = confined;
    wide.source_roots.push_back(fs::path(native_lib()).parent_path());
    Runtime allowed(wide);
    errs = allowed.load(dir);
    EXPECT_TRUE(errs.empty()) << format_all(errs);
}

TEST(KernelRegistryConfine, TheFixtureReachingIntoASiblingDirectoryStaysInside) {
    // fixtures/relative/sub/registry.yaml names ../shared/data.txt: inside fixtures/relative when the
    // directory is loaded, outside fixtures/relative/sub when the file alone is.
    Runtime rt(default_options());
    auto errs = rt.load(fixtures() / "relative" / "sub" / "registry.yaml");
    ASSERT_EQ(errs.size(), 1u) << format_all(errs);
    EXPECT_EQ(errs[0].entry, "kt.rel:parent");
    KT_EXPECT_CONTAINS(errs[0].message, "source '../shared/data.txt' is outside the registry directory");
}
}  // namespace
}  // namespace kt
