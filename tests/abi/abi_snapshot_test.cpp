// Every released abi.h keeps working (abi.h, rules 2 and 3): a plain-C plugin
// built against each snapshot under tests/abi/snapshots/ (and against today's
// header) loads in today's kernel through the real plugin path, and a call runs
// through its function kind on its pool.
#include "support/scratch_registry.hpp"

#include <modrt/kernel/runtime.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using modrt::kernel::Runtime;
using modrt::kernel::RuntimeOptions;
using modrt::kernel::Value;

struct AbiSnapshotCase {
    std::string tag;        // file stem suffix and name suffix (ABI_C_TAG)
    uint32_t minor;         // the minor the header stamped
    size_t host_size_then;  // sizeof(modrt_host_api) in that header (the kernel hands over today's)
};

void PrintTo(const AbiSnapshotCase& c, std::ostream* os) { *os << c.tag; }

fs::path abi_snapshot_plugin_dir() { return fs::path(ABI_SNAPSHOT_PLUGIN_DIR); }

/// A registry with one entry `abi:probe` of the plugin's kind on its pool.
fs::path abi_snapshot_registry(const std::string& tag) {
    fs::path dir = modrt::test::scratch_dir(fs::path(MODRT_TEST_BINARY_DIR) / "scratch");
    const std::string kind = "abi_c_" + tag;
    std::ofstream(dir / "abi.yaml") << "version: \"1.0\"\n"
                                       "namespace: abi\n"
                                       "entries:\n"
                                       "  - name: probe\n"
                                    << "    kind: test." << kind << "\n"
                                    << "    pool: {type: " << kind << "}\n";
    return dir;
}

Value abi_snapshot_ints(std::initializer_list<int64_t> items) {
    Value v = Value::array();
    for (int64_t i : items) v.items.push_back(Value::integer(i));
    return v;
}

class AbiSnapshot : public ::testing::TestWithParam<AbiSnapshotCase> {};

TEST_P(AbiSnapshot, PlainCPluginLoadsAndRunsInTodaysKernel) {
    const AbiSnapshotCase& c = GetParam();
    Runtime rt(RuntimeOptions{{abi_snapshot_plugin_dir()}});
    auto errors = rt.load(abi_snapshot_registry(c.tag));
    ASSERT_TRUE(errors.empty()) << errors.front().format();

    auto r = rt.call("abi:probe", abi_snapshot_ints({1, 2, 39}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_EQ(r.value.type, MODRT_MAP);
    EXPECT_EQ(r.value.find("sum")->scalar.i, 42);
    EXPECT_EQ(r.value.find("abi_minor")->scalar.i, c.minor);
    EXPECT_EQ(r.value.find("target")->str, "abi:probe");
    // The kernel hands over today's whole table; the plugin reads the part its header knew.
    EXPECT_EQ(static_cast<size_t>(r.value.find("host_struct_size")->scalar.i), sizeof(modrt_host_api));
    EXPECT_LE(c.host_size_then, sizeof(modrt_host_api));

    // An error crosses back with its kind and message.
    Value fail = Value::array();
    fail.items.push_back(Value::string("fail"));
    auto f = rt.call("abi:probe", fail);
    ASSERT_FALSE(f.ok());
    EXPECT_EQ(f.error->kind, MODRT_ERR_INVALID);
    EXPECT_EQ(f.error->message, "asked to fail: abi_c_" + c.tag);

    // Both calls ran on the plugin's own pool (its stats hook, read up to its struct_size).
    bool found = false;
    for (const auto& s : rt.pool_stats())
        if (s.id == "abi:probe") {
            found = true;
            EXPECT_EQ(s.stats.completed, 2u);
        }
    EXPECT_TRUE(found);

    // The record says what the plugin stamped.
    bool listed = false;
    for (const auto& p : rt.plugins())
        if (p.name == "test.abi_c_" + c.tag) {
            listed = true;
            EXPECT_EQ(p.abi_major, 1u);
            EXPECT_EQ(p.abi_minor, c.minor);
            EXPECT_TRUE(p.refused.empty()) << p.refused;
            EXPECT_TRUE(p.loaded);
        }
    EXPECT_TRUE(listed);
}

// The host table sizes the changelog in abi.h gives (LP64).
INSTANTIATE_TEST_SUITE_P(Released, AbiSnapshot,
                         ::testing::Values(AbiSnapshotCase{"1_0_first", 0, 552}, AbiSnapshotCase{"1_0_last", 0, 600},
                                           AbiSnapshotCase{"1_1", 1, 600}, AbiSnapshotCase{"1_2", 2, 608},
                                           AbiSnapshotCase{"1_3", 3, 616}, AbiSnapshotCase{"1_4", 4, 624},
                                           AbiSnapshotCase{"1_5", 5, 632}, AbiSnapshotCase{"1_6", 6, 664},
                                           AbiSnapshotCase{"1_7", 7, 672}, AbiSnapshotCase{"1_8", 8, 680},
                                           AbiSnapshotCase{"current", MODRT_ABI_MINOR, sizeof(modrt_host_api)}),
                         [](const auto& info) { return info.param.tag; });

}  // namespace
