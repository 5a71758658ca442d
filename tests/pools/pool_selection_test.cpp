// Which pool an entry gets (kernel Binder::bind_pool) and how bad pool options
// are reported: registry errors naming the file, the line and the entry.
#include "pool_test_util.hpp"

#include <sstream>

namespace pool_test {
namespace {

/// 1-based line of the first line of `text` containing `needle` (0 when none);
/// a needle ending in '$' must match the whole line.
int64_t line_containing(const std::string& text, std::string_view needle) {
    std::istringstream in(text);
    std::string line;
    for (int64_t n = 1; std::getline(in, line); ++n)
        if (needle.ends_with('$') ? line == needle.substr(0, needle.size() - 1)
                                  : line.find(needle) != std::string::npos)
            return n;
    return 0;
}

/// An entry with a block-style `pool:` map whose body is `pool_body` (each line indented 6).
std::string block_pool_entry(std::string_view name, std::initializer_list<std::string_view> pool_lines) {
    std::string s = native_entry(name, "thread_id");
    s += "    pool:\n";
    for (auto l : pool_lines) s += "      " + std::string(l) + "\n";
    return s;
}

using PoolSelection = PoolTest;

TEST_F(PoolSelection, WorkersMeansStaticMaxSizeMeansLazyNothingMeansInline) {
    auto rt = load(registry("sel", {native_entry("by_workers", "thread_id", "{workers: 2}"),
                                    native_entry("by_size", "thread_id", "{size: 2}"),
                                    native_entry("by_max_size", "thread_id", "{max_size: 3}"),
                                    native_entry("no_pool", "thread_id"),
                                    native_entry("typed_static", "thread_id", "{type: static, size: 3}"),
                                    native_entry("typed_lazy", "thread_id", "{type: lazy}"),
                                    native_entry("typed_inline", "thread_id", "{type: inline}")}));
    EXPECT_EQ(pool_type(*rt, "sel:by_workers"), "static");
    EXPECT_EQ(pool_type(*rt, "sel:by_size"), "static");
    EXPECT_EQ(pool_type(*rt, "sel:by_max_size"), "lazy");
    EXPECT_EQ(pool_type(*rt, "sel:no_pool"), "inline");
    EXPECT_EQ(pool_type(*rt, "sel:typed_static"), "static");
    EXPECT_EQ(pool_type(*rt, "sel:typed_lazy"), "lazy");
    EXPECT_EQ(pool_type(*rt, "sel:typed_inline"), "inline");

    // A static pool starts all its workers with the pool; a lazy one none.
    EXPECT_EQ(stats(*rt, "sel:by_workers").workers, 2u);
    EXPECT_EQ(stats(*rt, "sel:typed_static").workers, 3u);
    EXPECT_EQ(stats(*rt, "sel:by_max_size").workers, 0u);
    EXPECT_EQ(stats(*rt, "sel:no_pool").workers, 0u);

    // Each of them runs calls.
    for (const char* id : {"sel:by_workers", "sel:by_size", "sel:by_max_size", "sel:no_pool", "sel:typed_static",
                           "sel:typed_lazy", "sel:typed_inline"}) {
        auto r = rt->call(id, Value::array());
        ASSERT_TRUE(r.ok()) << id << ": " << error_text(r);
        EXPECT_EQ(r.value.type, MODRT_INT) << id;
    }
    // `completed` is counted after the caller may already hold its result: poll.
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "sel:typed_static").completed == 1; }));
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "sel:by_max_size").completed == 1; }));
}

TEST_F(PoolSelection, InlinePoolRunsOnTheCallersThread) {
    auto rt = load(registry("sel", {native_entry("tid", "thread_id")}));
    auto r = rt->call("sel:tid", Value::array());
    ASSERT_TRUE(r.ok()) << error_text(r);
    EXPECT_EQ(r.value.scalar.i, this_tid());
    auto st = stats(*rt, "sel:tid");
    EXPECT_EQ(st.completed, 1u);
    EXPECT_EQ(st.workers, 0u);
    EXPECT_EQ(st.busy, 0u);
}

struct BadPoolCase {
    const char* label;
    std::vector<std::string_view> pool_lines;   // the block under `pool:`
    std::string_view error_line;                // the line the error must point at (a substring of it)
    std::vector<std::string_view> message_has;  // substrings of the message
};

void PrintTo(const BadPoolCase& c, std::ostream* os) { *os << c.label; }

class BadPoolOptions : public PoolTest, public ::testing::WithParamInterface<BadPoolCase> {};

TEST_P(BadPoolOptions, IsARegistryErrorWithFileLineAndEntry) {
    const BadPoolCase& c = GetParam();
    std::string bad = native_entry("bad", "thread_id");
    bad += "    pool:\n";
    for (auto l : c.pool_lines) bad += "      " + std::string(l) + "\n";
    std::string yaml = registry("badpool", {native_entry("good", "thread_id", "{workers: 1}"), bad});
    auto out = load_errors(yaml);
    ASSERT_EQ(out.errors.size(), 1u) << format_all(out.errors);
    const RegistryError& e = out.errors[0];
    EXPECT_TRUE(fs::equivalent(fs::path(e.file), out.file)) << e.file << " vs " << out.file;
    EXPECT_EQ(e.line, line_containing(yaml, c.error_line)) << e.format() << "\n" << yaml;
    EXPECT_EQ(e.entry, "badpool:bad") << e.format();
    for (auto m : c.message_has) PT_EXPECT_CONTAINS(e.message, std::string(m)) << e.format();
    // The formatted form leads with file:line.
    PT_EXPECT_CONTAINS(e.format(), e.file + ":" + std::to_string(e.line) + ":");

    // The good entry still works; the bad one is refused with the load error.
    auto ok = out.rt->call("badpool:good", Value::array());
    EXPECT_TRUE(ok.ok()) << error_text(ok);
    auto refused = out.rt->call("badpool:bad", Value::array());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error->kind, MODRT_ERR_UNAVAILABLE);
}

INSTANTIATE_TEST_SUITE_P(
    PoolSelection, BadPoolOptions,
    ::testing::Values(
        BadPoolCase{"workers_zero", {"workers: 0"}, "workers: 0", {"workers", "at least 1"}},
        BadPoolCase{"workers_negative", {"workers: -1"}, "workers: -1", {"workers", "at least 1"}},
        BadPoolCase{"workers_string", {"workers: \"x\""}, "workers: \"x\"", {"workers", "whole number"}},
        BadPoolCase{"workers_fraction", {"workers: 1.5"}, "workers: 1.5", {"workers", "whole number"}},
        BadPoolCase{"size_zero", {"type: static", "size: 0"}, "size: 0", {"size", "at least 1"}},
        BadPoolCase{"unknown_static_field",
                    {"workers: 2", "colour: red"},
                    "colour: red",
                    {"unknown option 'colour'", "pool.static", "workers"}},
        BadPoolCase{"unknown_lazy_field",
                    {"max_size: 2", "workers_min: 1"},
                    "workers_min: 1",
                    {"unknown option 'workers_min'", "pool.lazy"}},
        BadPoolCase{"inline_takes_no_options", {"type: inline", "buffer: 4"}, "buffer: 4", {"inline", "buffer"}},
        BadPoolCase{"no_such_type", {"type: nosuch"}, "    pool:$", {"pool.nosuch"}},
        BadPoolCase{"workers_and_size", {"workers: 2", "size: 3"}, "size: 3", {"workers", "size", "not both"}},
        BadPoolCase{"lazy_idle_timeout_text",
                    {"max_size: 2", "idle_timeout: \"abc\""},
                    "idle_timeout",
                    {"idle_timeout", "duration"}},
        BadPoolCase{
            "lazy_idle_timeout_zero", {"max_size: 2", "idle_timeout: 0"}, "idle_timeout", {"idle_timeout", "duration"}},
        BadPoolCase{"lazy_max_size_zero", {"max_size: 0"}, "max_size: 0", {"max_size", "at least 1"}},
        BadPoolCase{"static_negative_buffer", {"workers: 1", "buffer: -2"}, "buffer: -2", {"buffer"}}),
    [](const ::testing::TestParamInfo<BadPoolCase>& info) { return std::string(info.param.label); });

TEST_F(PoolSelection, EveryBadPoolOfARegistryIsReported) {
    std::string yaml = registry("many", {block_pool_entry("a", {"workers: 0"}), block_pool_entry("b", {"type: nosuch"}),
                                         block_pool_entry("c", {"max_size: 2", "idle_timeout: \"abc\""})});
    auto out = load_errors(yaml);
    ASSERT_EQ(out.errors.size(), 3u) << format_all(out.errors);
    EXPECT_EQ(out.errors[0].entry, "many:a");
    EXPECT_EQ(out.errors[1].entry, "many:b");
    EXPECT_EQ(out.errors[2].entry, "many:c");
    EXPECT_EQ(out.errors[0].line, line_containing(yaml, "workers: 0"));
    EXPECT_EQ(out.errors[2].line, line_containing(yaml, "idle_timeout"));
}

}  // namespace
}  // namespace pool_test
