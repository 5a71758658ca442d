// runtime.limits: the depth of nested calls and the size of what crosses a
// call, set by the registry, with clear errors past them and for bad settings.
#include "kernel_test_util.hpp"

#include <cstddef>
#include <limits>

namespace kt {
namespace {

const char* kLimited = R"(version: "1.0"
namespace: l
entries:
  - name: limits
    kind: runtime.limits
    max_depth: 5
    max_value_size: 4KiB
  - name: recurse
    kind: function.native
    source: file://@LIB@
    method: recurse
  - name: echo
    kind: function.native
    source: file://@LIB@
    method: echo
  - name: call
    kind: function.native
    source: file://@LIB@
    method: call_other
  - name: big
    kind: function.lua
    source: file://big.lua
    method: big
  - name: big_table
    kind: function.lua
    source: file://big.lua
    method: big_table
)";

const char* kBigLua = "return { big = function(n) return string.rep('x', n) end,\n"
                      "         big_table = function(n) return {string.rep('x', n)} end }\n";

}  // namespace

class KernelLimits : public ::testing::Test {
protected:
    void SetUp() override {
        fs::path dir = scratch_dir("limits");
        write_file(dir / "l.yaml", with_lib(kLimited));
        write_file(dir / "big.lua", kBigLua);
        rt_ = std::make_unique<Runtime>(default_options());
        auto errs = rt_->load(dir);
        ASSERT_TRUE(errs.empty()) << format_all(errs);
    }
    std::unique_ptr<Runtime> rt_;
};

namespace {

// Load `yaml` (with @LIB@ replaced) and return its errors, formatted.
std::string load_errors(const std::string& yaml) {
    fs::path dir = scratch_dir("bad_limits");
    write_file(dir / "l.yaml", with_lib(yaml));
    Runtime rt(default_options());
    return format_all(rt.load(dir));
}

std::string limits_entry(const std::string& fields) {
    return "version: \"1.0\"\nnamespace: l\nentries:\n  - name: limits\n    kind: runtime.limits\n" + fields;
}

}  // namespace

TEST_F(KernelLimits, DepthPastTheRegistryLimitFailsTheInnermostCall) {
    auto r = rt_->call("l:recurse", Value::array());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    KT_EXPECT_CONTAINS(r.error->message, "call depth limit (max_depth 5) exceeded calling 'l:recurse'");
}

TEST_F(KernelLimits, ArgumentsPastTheSizeLimitAreRefusedBeforeTheCall) {
    auto small = rt_->call("l:echo", array_of({Value::string(std::string(1000, 'a'))}));
    ASSERT_TRUE(small.ok()) << small.error->message;
    auto r = rt_->call("l:echo", array_of({Value::string(std::string(5000, 'a'))}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    EXPECT_FALSE(r.error->retryable);
    KT_EXPECT_CONTAINS(r.error->message, "'l:echo': arguments exceed max_value_size (4096 bytes)");
}

TEST_F(KernelLimits, ManySmallItemsCountToo) {
    Value many = Value::array();
    for (int i = 0; i < 1000; ++i) many.items.push_back(Value::string("item"));
    auto r = rt_->call("l:echo", many);
    ASSERT_FALSE(r.ok());
    KT_EXPECT_CONTAINS(r.error->message, "arguments exceed max_value_size");
}

TEST_F(KernelLimits, AResultPastTheSizeLimitFailsTheCall) {
    auto ok = rt_->call("l:big", array_of({Value::integer(100)}));
    ASSERT_TRUE(ok.ok()) << ok.error->message;
    auto r = rt_->call("l:big", array_of({Value::integer(10000)}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.value.type, MODRT_NIL);  // nothing of the oversized result reaches the caller
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    KT_EXPECT_CONTAINS(r.error->message, "'l:big': result exceeds max_value_size");  // a string: the kernel's check
    // A table: function.lua counts while it converts and stops at the limit, before the kernel sees it.
    auto table = rt_->call("l:big_table", array_of({Value::integer(10000)}));
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.value.type, MODRT_NIL);
    EXPECT_EQ(table.error->kind, MODRT_ERR_INVALID);
    KT_EXPECT_CONTAINS(table.error->message,
                       "result: value too large: more than 4096 bytes (runtime.limits max_value_size)");
}

TEST_F(KernelLimits, ANestedResultPastTheLimitIsTheNestedCallsError) {
    auto r = rt_->call("l:call", array_of({Value::string("l:big"), array_of({Value::integer(10000)})}));
    ASSERT_FALSE(r.ok());
    KT_EXPECT_CONTAINS(r.error->message, "value too large: more than 4096 bytes (runtime.limits max_value_size)");
}

TEST_F(KernelLimits, TheLimitsEntryCannotBeCalled) {
    auto r = rt_->call("l:limits", Value::array());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INVALID);
    KT_EXPECT_CONTAINS(r.error->message, "runtime.limits entry and cannot be called");
}

TEST(KernelLimitsDefaults, LargeValuesPassWithoutALimitsEntry) {
    fs::path dir = scratch_dir("defaults");
    write_file(dir / "l.yaml", with_lib("version: \"1.0\"\nnamespace: l\nentries:\n  - name: echo\n"
                                        "    kind: function.native\n    source: file://@LIB@\n    method: echo\n"));
    Runtime rt(default_options());
    auto errs = rt.load(dir);
    ASSERT_TRUE(errs.empty()) << format_all(errs);
    auto r = rt.call("l:echo", array_of({Value::string(std::string(1 << 20, 'a'))}));  // 1 MiB < 64 MiB
    EXPECT_TRUE(r.ok()) << r.error->message;
}

TEST(KernelLimitsRegistry, BadSettingsAreRegistryErrorsOnTheirLines) {
    std::string e = load_errors(limits_entry("    max_depth: 0\n    max_value_size: lots\n    max_speed: 3\n"));
    KT_EXPECT_CONTAINS(e, "l.yaml:6: entry 'l:limits': max_depth: expected a whole number from 1 to 100000");
    KT_EXPECT_CONTAINS(e, "l.yaml:7: entry 'l:limits': max_value_size: expected a size of at least 1KiB");
    KT_EXPECT_CONTAINS(e, "l.yaml:8: entry 'l:limits': unknown field 'max_speed'");
}

TEST(KernelLimitsRegistry, SizesTakeUnitsOrBytes) {
    EXPECT_EQ(load_errors(limits_entry("    max_value_size: 1048576\n")), "");
    EXPECT_EQ(load_errors(limits_entry("    max_value_size: 2MiB\n")), "");
    EXPECT_EQ(load_errors(limits_entry("    max_value_size: 16MB\n")), "");
    KT_EXPECT_CONTAINS(load_errors(limits_entry("    max_value_size: 16 parsecs\n")), "max_value_size");
    KT_EXPECT_CONTAINS(load_errors(limits_entry("    max_value_size: 99999999999999999999GiB\n")), "max_value_size");
}

TEST(KernelLimitsRegistry, OnlyOneLimitsEntry) {
    std::string e = load_errors(limits_entry("    max_depth: 10\n  - name: more_limits\n    kind: runtime.limits\n"));
    KT_EXPECT_CONTAINS(e, "only one runtime.limits entry is allowed; the first is 'l:limits'");
}

}  // namespace kt

namespace kt {

TEST(KernelPluginConfig, ProblemsAreRegistryErrorsOnTheirLines) {
    std::string yaml =
        "version: \"1.0\"\nnamespace: p\nentries:\n"
        "  - name: a\n    kind: plugin.config\n    plugin: no.such.plugin\n    config: {x: 1}\n"
        "  - name: b\n    kind: plugin.config\n    plugin: function.lua\n    config: [1, 2]\n"
        "  - name: c\n    kind: plugin.config\n    config: {x: 1}\n"
        "  - name: d\n    kind: plugin.config\n    plugin: pool.static\n    config: {}\n    colour: red\n";
    fs::path dir = scratch_dir("plugin_config");
    write_file(dir / "p.yaml", yaml);
    Runtime rt(default_options());
    std::string e = format_all(rt.load(dir));
    KT_EXPECT_CONTAINS(e, "p.yaml:6: entry 'p:a': plugin: no plugin named 'no.such.plugin' on the plugin path");
    KT_EXPECT_CONTAINS(e, "p.yaml:11: entry 'p:b': config: expected a map of settings");
    KT_EXPECT_CONTAINS(e, "entry 'p:c': plugin is required");
    KT_EXPECT_CONTAINS(e, "p.yaml:19: entry 'p:d': unknown field 'colour'");
}

TEST(KernelPluginConfig, APluginIsConfiguredOnceBeforeItInitialises) {
    auto entry = [](const std::string& name) {
        return "  - name: " + name +
               "\n    kind: plugin.config\n    plugin: function.lua\n    config: {memory_limit: 16MiB}\n";
    };
    fs::path first = scratch_dir("first");
    write_file(first / "a.yaml", "version: \"1.0\"\nnamespace: a\nentries:\n" + entry("cfg") + entry("cfg2") +
                                     "  - name: f\n    kind: function.lua\n    source: file://f.lua\n    method: f\n");
    write_file(first / "f.lua", "return { f = function() return 1 end }\n");
    Runtime rt(default_options());
    std::string e = format_all(rt.load(first));
    KT_EXPECT_CONTAINS(e, "entry 'a:cfg2': plugin: 'function.lua' is configured twice");
    // function.lua is initialised now: a later load cannot change its config.
    fs::path second = scratch_dir("second");
    write_file(second / "b.yaml", "version: \"1.0\"\nnamespace: b\nentries:\n" + entry("cfg"));
    KT_EXPECT_CONTAINS(format_all(rt.load(second)),
                       "'function.lua' is already initialised by an earlier registry load");
}

}  // namespace kt

// ---- Host API functions never throw across the C boundary (issue 19) ----

namespace kt {

class KernelHostOutOfMemory : public ::testing::Test {
protected:
    void SetUp() override { rt_ = std::make_unique<Runtime>(default_options()); }
    std::unique_ptr<Runtime> rt_;
};

// An impossible size makes the allocation fail deterministically (length_error or bad_alloc):
// the writer leaves the value nil instead of throwing into the plugin.
TEST_F(KernelHostOutOfMemory, WritersLeaveTheValueNilAndNeverThrow) {
    const modrt_host_api& h = rt_->host_api();
    const size_t huge = std::numeric_limits<size_t>::max() / 2;
    modrt_value* v = h.value_new();
    ASSERT_NE(v, nullptr);
    h.value_set_int(v, 7);
    h.value_set_array(v, huge);
    EXPECT_EQ(h.value_type(v), MODRT_NIL);
    h.value_set_map(v, huge);
    EXPECT_EQ(h.value_type(v), MODRT_NIL);
    static const char kByte = 'x';
    h.value_set_string(v, modrt_str{&kByte, huge});  // length checked before any byte is read
    EXPECT_EQ(h.value_type(v), MODRT_NIL);
    h.value_set_bytes(v, modrt_str{&kByte, huge});
    EXPECT_EQ(h.value_type(v), MODRT_NIL);
    // The value still works afterwards.
    h.value_set_string(v, modrt_str{"ok", 2});
    EXPECT_EQ(h.value_type(v), MODRT_STRING);
    h.value_free(v);
}

TEST_F(KernelHostOutOfMemory, NullSlotsAbsorbWrites) {
    // What push/insert/value_new return when an allocation fails: every writer ignores it.
    const modrt_host_api& h = rt_->host_api();
    h.value_set_nil(nullptr);
    h.value_set_bool(nullptr, 1);
    h.value_set_int(nullptr, 1);
    h.value_set_number(nullptr, 1.5);
    h.value_set_string(nullptr, modrt_str{"s", 1});
    h.value_set_bytes(nullptr, modrt_str{"s", 1});
    h.value_set_array(nullptr, 4);
    h.value_set_map(nullptr, 4);
    h.value_copy(nullptr, nullptr);
    EXPECT_EQ(h.value_push(nullptr), nullptr);
    EXPECT_EQ(h.value_insert(nullptr, modrt_str{"k", 1}), nullptr);
    EXPECT_EQ(h.value_type(nullptr), MODRT_NIL);
    EXPECT_EQ(h.value_len(nullptr), 0u);
}

TEST_F(KernelHostOutOfMemory, TheLimitIsReadableByPlugins) {
    const modrt_host_api& h = rt_->host_api();
    ASSERT_GE(h.struct_size, offsetof(modrt_host_api, value_size_limit) + sizeof h.value_size_limit);
    EXPECT_EQ(h.value_size_limit(h.runtime), uint64_t{64} << 20);  // the default
}

TEST_F(KernelLimits, PluginsReadTheRegistrysValueSizeLimit) {
    const modrt_host_api& h = rt_->host_api();
    EXPECT_EQ(h.value_size_limit(h.runtime), uint64_t{4} << 10);
}

}  // namespace kt
