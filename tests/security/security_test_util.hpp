// Shared helpers for the security tests: a runtime over a registry written by the test.
#pragma once

#include <modrt/kernel/runtime.hpp>

#include "support/scratch_registry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

namespace st {

namespace fs = std::filesystem;
using modrt::kernel::CallOptions;
using modrt::kernel::CallResult;
using modrt::kernel::RegistryError;
using modrt::kernel::Runtime;
using modrt::kernel::Value;

/// A fresh directory (unique per process and call).
inline fs::path scratch_dir() { return modrt::test::scratch_dir(ST_SCRATCH_DIR); }

/// `text` with every "@LIB@" replaced by the native test library.
inline std::string with_lib(std::string text) { return modrt::test::with_lib(std::move(text), ST_NATIVE_LIB); }

/// Write each (file, yaml) pair into one registry directory and load it; errors come back
/// formatted in `errors` (or are expected to be none).
inline std::unique_ptr<Runtime> load_files(const std::vector<std::pair<std::string, std::string>>& files,
                                           std::string* errors = nullptr) {
    fs::path dir = scratch_dir();
    for (const auto& [file, yaml] : files) std::ofstream(dir / file) << with_lib(yaml);
    auto rt = std::make_unique<Runtime>(
        modrt::kernel::RuntimeOptions{.plugin_path = {fs::path(MODRT_TEST_PLUGIN_DIR)},
                                      .source_roots = {fs::path(ST_NATIVE_LIB).parent_path()}});
    std::string all;
    for (const auto& e : rt->load(dir)) all += e.format() + "\n";
    if (errors != nullptr) *errors = all;
    else EXPECT_EQ(all, "");
    return rt;
}

inline std::unique_ptr<Runtime> load(const std::string& yaml, std::string* errors = nullptr) {
    return load_files({{"registry.yaml", yaml}}, errors);
}

inline Value args(std::initializer_list<Value> items) {
    Value v = Value::array();
    for (const auto& i : items) v.items.push_back(i);
    return v;
}

inline Value str(std::string_view s) { return Value::string(s); }

/// The kind of a failed call, or -1 when it succeeded.
inline int kind_of(const CallResult& r) { return r.ok() ? -1 : static_cast<int>(r.error->kind); }

/// A native function entry `name` running `symbol` of the test library (inline pool).
inline std::string native(const std::string& name, const std::string& symbol) {
    return "  - name: " + name + "\n    kind: function.native\n    source: file://@LIB@\n    method: " + symbol + "\n";
}

}  // namespace st
