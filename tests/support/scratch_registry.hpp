// What the registry-writing tests share: a fresh scratch directory per test and
// call, and "@LIB@" in registry text replaced by a native test library's path.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace modrt::test {

/// A fresh, empty directory under `base`, named after the running test (unique per process and call).
inline std::filesystem::path scratch_dir(const std::filesystem::path& base) {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string test = info ? std::string(info->test_suite_name()) + "." + info->name() : "none";
    std::filesystem::path dir = base / (test + "." + std::to_string(::getpid()) + "." + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

/// `text` with every "@LIB@" replaced by `lib`.
inline std::string with_lib(std::string text, const std::string& lib) {
    for (size_t at; (at = text.find("@LIB@")) != std::string::npos;) text.replace(at, 5, lib);
    return text;
}

}  // namespace modrt::test
