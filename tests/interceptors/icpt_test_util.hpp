// Shared helpers for the interceptor tests: scratch registries and the runtime they load into.
#pragma once

#include <modrt/kernel/runtime.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>

namespace it {

namespace fs = std::filesystem;
using modrt::kernel::CallResult;
using modrt::kernel::Runtime;
using modrt::kernel::Value;
using Clock = std::chrono::steady_clock;

inline std::string native_lib() { return IT_NATIVE_LIB; }

/// Replace every "@LIB@" with the native test library's path.
inline std::string with_lib(std::string text) {
    for (size_t at; (at = text.find("@LIB@")) != std::string::npos;) text.replace(at, 5, native_lib());
    return text;
}

/// A runtime with the built plugins and the test interceptors, loaded from `yaml` (must load cleanly).
inline std::unique_ptr<Runtime> load(const std::string& yaml) {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string test = info ? std::string(info->test_suite_name()) + "." + info->name() : "none";
    fs::path dir = fs::path(IT_SCRATCH_DIR) /
                   (test + "." + std::to_string(::getpid()) + "." + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "registry.yaml") << with_lib(yaml);
    auto rt = std::make_unique<Runtime>(
        modrt::kernel::RuntimeOptions{.plugin_path = {fs::path(MODRT_TEST_PLUGIN_DIR), fs::path(IT_PLUGIN_DIR)},
                                      .source_roots = {fs::path(IT_NATIVE_LIB).parent_path()}});
    std::string problems;
    for (const auto& e : rt->load(dir)) problems += e.format() + "\n";
    EXPECT_EQ(problems, "");
    return rt;
}

/// The problems loading `yaml` reports, one per line.
inline std::string load_errors(const std::string& yaml) {
    static std::atomic<int> counter{0};
    fs::path dir = fs::path(IT_SCRATCH_DIR) /
                   ("errors." + std::to_string(::getpid()) + "." + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "registry.yaml") << with_lib(yaml);
    Runtime rt(modrt::kernel::RuntimeOptions{.plugin_path = {fs::path(MODRT_TEST_PLUGIN_DIR), fs::path(IT_PLUGIN_DIR)},
                                             .source_roots = {fs::path(IT_NATIVE_LIB).parent_path()}});
    std::string out;
    for (const auto& e : rt.load(dir)) out += e.format() + "\n";
    return out;
}

inline Value array_of(std::initializer_list<Value> items) {
    Value v = Value::array();
    for (const auto& i : items) v.items.push_back(i);
    return v;
}

inline Value str(std::string_view s) { return Value::string(s); }

/// How many times the native `calls` counter under `key` ran (registries name it t:calls).
inline int64_t calls(Runtime& rt, const std::string& key) {
    return rt.call("t:calls", array_of({str(key)})).value.scalar.i;
}

inline double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace it

#define IT_EXPECT_CONTAINS(haystack, needle) EXPECT_PRED2(::it::contains, std::string(haystack), std::string(needle))
