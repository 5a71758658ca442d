// Registry loading through a real Runtime: every error names file, line and entry,
// and a load reports all of its problems.
#include "kernel_test_util.hpp"

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
        {a, 12, "kt:unknown", "'nope.kind'"},
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
    write_file(dir / "r.yaml",
               "namespace: kt\n"
               "entries:\n"
               "  - name: picky\n"
               "    kind: test.data\n"
               "    meta: {}\n"
               "    reject: true\n");
    Runtime rt(default_options());
    auto errs = rt.load(dir);
    expect_single(errs, (dir / "r.yaml").lexically_normal().string(), 6, "kt:picky", "test.data refuses");
}

}  // namespace
}  // namespace kt
