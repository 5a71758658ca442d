// Shared helpers of the function.lua tests: one runtime over the basic fixture.
#pragma once

#include <modrt/kernel/json.hpp>
#include <modrt/kernel/runtime.hpp>

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace lua_test {

using modrt::kernel::CallResult;
using modrt::kernel::Runtime;
using modrt::kernel::Value;

inline std::string fixture(std::string_view name) {
    return std::string(MODRT_TEST_FIXTURES) + "/function.lua/fixtures/" + std::string(name);
}

inline std::unique_ptr<Runtime> make_runtime() {
    // Fixture registries name files of sibling fixture directories and the native test library.
    return std::make_unique<Runtime>(
        modrt::kernel::RuntimeOptions{.plugin_path = {MODRT_TEST_PLUGIN_DIR},
                                      .source_roots = {fixture(""),
                                                       std::filesystem::path(LUA_NATIVE_LIB).parent_path()}});
}

inline Value args(std::initializer_list<Value> items) {
    Value a = Value::array();
    for (const auto& v : items) a.push() = v;
    return a;
}

inline Value str(std::string_view s) { return Value::string(s); }

inline Value map(std::initializer_list<std::pair<const char*, Value>> pairs) {
    Value m = Value::map();
    for (const auto& [k, v] : pairs) m.insert(k) = v;
    return m;
}

inline std::string json(const Value& v) { return modrt::kernel::to_json(v); }

/// Options that run a call in security scope `scope`.
inline modrt::kernel::CallOptions in_scope(std::string scope) {
    modrt::kernel::CallOptions o;
    o.scope = std::move(scope);
    return o;
}

/// The value under `key` of a map (fails the test when absent).
inline const Value& at(const Value& v, std::string_view key) {
    const Value* found = v.find(key);
    static const Value nil;
    EXPECT_NE(found, nullptr) << "missing key " << key;
    return found ? *found : nil;
}

/// A runtime with fixtures/<dir> loaded for each dir in order; one line in `errors` per load error.
inline std::unique_ptr<Runtime> load_fixtures(std::span<const std::string_view> dirs, std::string& errors) {
    auto rt = make_runtime();
    for (std::string_view dir : dirs)
        for (const auto& e : rt->load(fixture(dir))) errors += e.format() + "\n";
    return rt;
}

/// A runtime with fixtures/<dir> loaded for each dir in order; every load error fails the test.
inline std::unique_ptr<Runtime> load_fixtures(std::span<const std::string_view> dirs) {
    std::string errors;
    auto rt = load_fixtures(dirs, errors);
    EXPECT_EQ(errors, "");
    return rt;
}

/// Every test of a suite derived from SharedRuntime<Dirs> shares one runtime, loaded once
/// per suite from the fixtures Dirs::dirs names (a static array of directory names).
/// Load errors fail each test from SetUp: a failure in SetUpTestSuite makes GoogleTest skip
/// the suite's tests, and CTest counts a skip as a pass.
template <class Dirs>
class SharedRuntime : public ::testing::Test {
protected:
    static void SetUpTestSuite() { rt_ = load_fixtures(Dirs::dirs, load_errors_); }
    static void TearDownTestSuite() { rt_.reset(); }
    void SetUp() override { ASSERT_EQ(load_errors_, ""); }
    static CallResult call(std::string_view id, const Value& a = Value::array(),
                           const modrt::kernel::CallOptions& o = {}) {
        return rt_->call(id, a, o);
    }
    static inline std::unique_ptr<Runtime> rt_;
    static inline std::string load_errors_;
};

struct BasicFixture {
    static constexpr std::string_view dirs[] = {"basic"};
};

/// The basic fixture, shared by a suite.
class BasicRegistry : public SharedRuntime<BasicFixture> {
protected:
    static CallResult make(std::string_view what) { return call("test.lua:make", args({str(what)})); }
};

}  // namespace lua_test
