// Shared helpers for the kernel tests: plugin paths, scratch registries, matchers.
#pragma once

#include <modrt/kernel/runtime.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace kt {

namespace fs = std::filesystem;
using modrt::kernel::RegistryError;
using modrt::kernel::Runtime;
using modrt::kernel::RuntimeOptions;
using modrt::kernel::Value;

inline fs::path fixtures() { return fs::path(KT_FIXTURES); }
inline fs::path good_plugin_dir() { return fs::path(KT_GOOD_PLUGIN_DIR); }
inline fs::path bad_dir(const std::string& c) { return fs::path(KT_BAD_DIR) / c; }
inline std::string native_lib() { return KT_NATIVE_LIB; }

/// The build's plugins plus the good test plugin; sources may also name the native test library (built outside every registry).
inline RuntimeOptions default_options() {
    RuntimeOptions o{{fs::path(MODRT_TEST_PLUGIN_DIR), good_plugin_dir()}};
    o.source_roots = {fs::path(KT_NATIVE_LIB).parent_path()};
    return o;
}

/// A fresh directory for registries written by a test (unique per process and call).
inline fs::path scratch_dir(const std::string& name) {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string test = info ? std::string(info->test_suite_name()) + "." + info->name() : "none";
    fs::path dir = fs::path(KT_SCRATCH_DIR) /
                   (test + "." + name + "." + std::to_string(::getpid()) + "." + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

inline fs::path write_file(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

/// Replace every "@LIB@" with the native test library's absolute path.
inline std::string with_lib(std::string text) {
    for (size_t at; (at = text.find("@LIB@")) != std::string::npos;) text.replace(at, 5, native_lib());
    return text;
}

inline std::string format_all(const std::vector<RegistryError>& errs) {
    std::string out;
    for (const auto& e : errs) out += "  " + e.format() + "\n";
    return out;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

inline Value array_of(std::initializer_list<Value> items) {
    Value v = Value::array();
    for (const auto& i : items) v.items.push_back(i);
    return v;
}

}  // namespace kt

#define KT_EXPECT_CONTAINS(haystack, needle) EXPECT_PRED2(::kt::contains, std::string(haystack), std::string(needle))
