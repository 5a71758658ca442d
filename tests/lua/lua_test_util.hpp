// Shared helpers of the function.lua tests: one runtime over the basic fixture.
#pragma once

#include <modrt/kernel/runtime.hpp>

#include <gtest/gtest.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace lua_test {

using modrt::kernel::CallResult;
using modrt::kernel::Runtime;
using modrt::kernel::Value;

inline std::string fixture(std::string_view name) {
    return std::string(MODRT_TEST_FIXTURES) + "/lua/fixtures/" + std::string(name);
}

inline std::unique_ptr<Runtime> make_runtime() {
    return std::make_unique<Runtime>(modrt::kernel::RuntimeOptions{.plugin_path = {MODRT_TEST_PLUGIN_DIR}});
}

inline Value args(std::initializer_list<Value> items) {
    Value a = Value::array();
    for (const auto& v : items) a.push() = v;
    return a;
}

inline Value str(std::string_view s) { return Value::string(s); }

/// The value under `key` of a map (fails the test when absent).
inline const Value& at(const Value& v, std::string_view key) {
    const Value* found = v.find(key);
    static const Value nil;
    EXPECT_NE(found, nullptr) << "missing key " << key;
    return found ? *found : nil;
}

/// Every test of a suite derived from this shares one loaded runtime.
class BasicRegistry : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        rt_ = make_runtime().release();
        auto errs = rt_->load(fixture("basic"));
        for (const auto& e : errs) ADD_FAILURE() << e.format();
    }
    static void TearDownTestSuite() {
        delete rt_;
        rt_ = nullptr;
    }
    static CallResult call(std::string_view id, const Value& a = Value::array()) { return rt_->call(id, a); }
    static CallResult make(std::string_view what) { return call("test.lua:make", args({str(what)})); }
    static inline Runtime* rt_ = nullptr;
};

}  // namespace lua_test
