// A plugin built with today's SDK declares the oldest minor it needs (abi.h, rule 1):
// one targeting minor 2 is accepted by a kernel of minor 2 (simulated: the descriptor
// check given kernel minor 2), one targeting today's minor is refused by it with a
// message naming both minors and what to do, and all of them run in today's kernel.
#include "support/scratch_registry.hpp"

#include "loading/plugin_descriptor_check.hpp"

#include <modrt/kernel/runtime.hpp>

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using modrt::kernel::Runtime;
using modrt::kernel::RuntimeOptions;
using modrt::kernel::Value;

fs::path abi_target_plugin(const std::string& tag) {
    return fs::path(ABI_TARGET_PLUGIN_DIR) / ("abi_target_" + tag + ".so");
}

/// The descriptor the plugin's entry symbol returns. The library stays open: the
/// kernel keeps its plugins open for good too (plugin_catalog.cpp says why).
const modrt_plugin_descriptor* abi_target_descriptor(const std::string& tag) {
    void* lib = dlopen(abi_target_plugin(tag).c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) return nullptr;
    auto entry = reinterpret_cast<modrt_plugin_entry_fn>(dlsym(lib, MODRT_PLUGIN_ENTRY_SYMBOL));
    return entry ? entry() : nullptr;
}

bool abi_target_contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST(AbiTarget, DescriptorCarriesTheTargetNotTheHeaderMinor) {
    for (const auto& [tag, minor] :
         {std::pair<std::string, uint32_t>{"1", 1}, {"2", 2}, {"default", MODRT_ABI_MINOR}}) {
        const modrt_plugin_descriptor* d = abi_target_descriptor(tag);
        ASSERT_NE(d, nullptr) << tag << ": " << dlerror();
        EXPECT_EQ(d->abi_major, static_cast<uint32_t>(MODRT_ABI_MAJOR)) << tag;
        EXPECT_EQ(d->abi_minor, minor) << tag;
    }
}

TEST(AbiTarget, KernelOfMinor2AcceptsATarget2Plugin) {
    const modrt_plugin_descriptor* d = abi_target_descriptor("2");
    ASSERT_NE(d, nullptr) << dlerror();
    EXPECT_EQ(modrt::kernel::check_plugin_descriptor(d, 2), "");
    EXPECT_EQ(modrt::kernel::check_plugin_descriptor(abi_target_descriptor("1"), 2), "");
}

TEST(AbiTarget, KernelOfMinor2RefusesATodayTargetPluginSayingWhatToDo) {
    const modrt_plugin_descriptor* d = abi_target_descriptor("default");
    ASSERT_NE(d, nullptr) << dlerror();
    const std::string why = modrt::kernel::check_plugin_descriptor(d, 2);
    const std::string today = "1." + std::to_string(MODRT_ABI_MINOR);
    EXPECT_PRED2(abi_target_contains, why, "needs modrt ABI " + today);
    EXPECT_PRED2(abi_target_contains, why, "this kernel speaks ABI 1.2");
    EXPECT_PRED2(abi_target_contains, why, "rebuild the plugin targeting minor 2");
    EXPECT_PRED2(abi_target_contains, why, "TARGET_ABI_MINOR 2");
    // Today's kernel takes it.
    EXPECT_EQ(modrt::kernel::check_plugin_descriptor(d), "");
}

TEST(AbiTarget, OtherMajorIsRefusedWhateverTheMinor) {
    EXPECT_PRED2(abi_target_contains, modrt::kernel::check_plugin_abi(MODRT_ABI_MAJOR + 1, 0, 2), "major must match");
    EXPECT_EQ(modrt::kernel::check_plugin_abi(MODRT_ABI_MAJOR, 0, 0), "");
}

TEST(AbiTarget, EveryTargetRunsInTodaysKernel) {
    fs::path dir = modrt::test::scratch_dir(fs::path(MODRT_TEST_BINARY_DIR) / "scratch");
    std::ofstream(dir / "targets.yaml") << "version: \"1.0\"\n"
                                           "namespace: abi\n"
                                           "entries:\n"
                                           "  - {name: t1, kind: test.abi_target_1}\n"
                                           "  - {name: t2, kind: test.abi_target_2}\n"
                                           "  - {name: today, kind: test.abi_target_default}\n";
    // The build's plugins too: the entries run on the default pool (pool.inline).
    Runtime rt(RuntimeOptions{{fs::path(ABI_TARGET_PLUGIN_DIR), fs::path(MODRT_TEST_PLUGIN_DIR)}});
    auto errors = rt.load(dir);
    ASSERT_TRUE(errors.empty()) << errors.front().format();
    Value args = Value::array();
    for (Value v :
         {Value::integer(40), Value::number(1.5), Value::boolean(true), Value::integer(1), Value::integer(100)})
        args.items.push_back(v);  // the fifth is past ScalarArgs<4>
    for (const auto& [id, minor] :
         {std::pair<std::string, int64_t>{"abi:t1", 1}, {"abi:t2", 2}, {"abi:today", MODRT_ABI_MINOR}}) {
        auto r = rt.call(id, args);
        ASSERT_TRUE(r.ok()) << id << ": " << r.error->message;
        // 40 + 1 (1.5 truncated) + 0 (a bool reads as 0) + 1, the same whichever way ScalarArgs read them.
        EXPECT_EQ(r.value.find("sum")->scalar.i, 42) << id;
        EXPECT_EQ(r.value.find("target_minor")->scalar.i, minor) << id;
        const Value* stoppable = r.value.find("stoppable");
        if (minor >= 3) {
            ASSERT_NE(stoppable, nullptr) << id;
            EXPECT_FALSE(stoppable->scalar.b) << id;  // a root call with no deadline or canceler
        } else {
            EXPECT_EQ(stoppable, nullptr) << id;
        }
    }
    for (const auto& p : rt.plugins()) EXPECT_TRUE(p.refused.empty()) << p.file << ": " << p.refused;
}
