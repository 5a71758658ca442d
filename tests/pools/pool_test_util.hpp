// Shared helpers of the pool tests: scratch registries of native functions,
// the native library's shared state, polling with deadlines, stats lookup.
#pragma once

#include "pool_test_shared.hpp"
#include "support/bounded_run.hpp"
#include "support/thread_count.hpp"
#include "support/wait_until.hpp"

#include <modrt/kernel/runtime.hpp>

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace pool_test {

namespace fs = std::filesystem;
using modrt::kernel::CallOptions;
using modrt::kernel::CallResult;
using modrt::kernel::RegistryError;
using modrt::kernel::Runtime;
using modrt::kernel::RuntimeOptions;
using modrt::kernel::Value;
using namespace std::chrono_literals;

inline std::string native_lib() { return POOL_NATIVE_LIB; }

/// The native library's state, reached through dlopen/dlsym of the very file the
/// registries name (the kernel's dlopen of the same path yields the same instance;
/// this handle is never closed, so the state outlives every Runtime).
inline State& native() {
    static State* state = [] {
        void* lib = ::dlopen(POOL_NATIVE_LIB, RTLD_NOW | RTLD_LOCAL);
        if (lib == nullptr) throw std::runtime_error(std::string("dlopen: ") + ::dlerror());
        auto fn = reinterpret_cast<StateFn>(::dlsym(lib, "pool_test_state"));
        if (fn == nullptr) throw std::runtime_error("pool_test_state not exported");
        return fn();
    }();
    return *state;
}

inline void reset_native() {
    static ResetFn reset = [] {
        void* lib = ::dlopen(POOL_NATIVE_LIB, RTLD_NOW | RTLD_LOCAL);
        if (lib == nullptr) throw std::runtime_error(std::string("dlopen: ") + ::dlerror());
        return reinterpret_cast<ResetFn>(::dlsym(lib, "pool_test_reset"));
    }();
    reset();
}

inline void open_flag(int i) { native().flags[i].store(1); }

/// A fresh directory for registries written by a test.
inline fs::path scratch_dir(const std::string& name) {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string test = info ? std::string(info->test_suite_name()) + "." + info->name() : "none";
    fs::path dir = fs::path(POOL_SCRATCH_DIR) /
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

/// One function.native entry; `pool` is the YAML flow text after `pool: ` ("" for none).
inline std::string native_entry(std::string_view name, std::string_view method, std::string_view pool = "") {
    std::string s = "  - name: " + std::string(name) + "\n" + "    kind: function.native\n" + "    source: file://" +
                    native_lib() + "\n" + "    method: " + std::string(method) + "\n";
    if (!pool.empty()) s += "    pool: " + std::string(pool) + "\n";
    return s;
}

/// A registry file text for namespace `ns` with the given entries.
inline std::string registry(std::string_view ns, std::initializer_list<std::string> entries) {
    std::string s = "version: \"1.0\"\nnamespace: " + std::string(ns) + "\nentries:\n";
    for (const auto& e : entries) s += e;
    return s;
}

inline std::unique_ptr<Runtime> make_runtime() {
    return std::make_unique<Runtime>(RuntimeOptions{.plugin_path = {fs::path(MODRT_TEST_PLUGIN_DIR)},
                                                    .source_roots = {fs::path(POOL_NATIVE_LIB).parent_path()}});
}

inline std::string format_all(const std::vector<RegistryError>& errs) {
    std::string out;
    for (const auto& e : errs) out += "  " + e.format() + "\n";
    return out;
}

/// Load `yaml` (written to a scratch file) into a new runtime; the test fails on any registry error.
inline std::unique_ptr<Runtime> load(const std::string& yaml, const std::string& name = "reg") {
    fs::path file = write_file(scratch_dir(name) / "registry.yaml", yaml);
    auto rt = make_runtime();
    auto errs = rt->load(file);
    EXPECT_TRUE(errs.empty()) << format_all(errs);
    return rt;
}

/// The registry errors of loading `yaml`, and the file it was written to.
struct LoadOutcome {
    fs::path file;
    std::vector<RegistryError> errors;
    std::unique_ptr<Runtime> rt;
};
inline LoadOutcome load_errors(const std::string& yaml, const std::string& name = "bad") {
    LoadOutcome out;
    out.file = write_file(scratch_dir(name) / "registry.yaml", yaml);
    out.rt = make_runtime();
    out.errors = out.rt->load(out.file);
    return out;
}

inline Value args(std::initializer_list<Value> items) {
    Value a = Value::array();
    for (const auto& v : items) a.push() = v;
    return a;
}
inline Value i(int64_t v) { return Value::integer(v); }
inline Value s(std::string_view v) { return Value::string(v); }

inline bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

/// Poll `pred` every 2 ms until it holds or `timeout` passes; returns its last value.
inline bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 3000ms) {
    return modrt::test::wait_until(pred, timeout);
}

/// Stats of the pool of entry `id` (fails the test when absent).
inline modrt_pool_stats stats(const Runtime& rt, std::string_view id) {
    for (const auto& p : rt.pool_stats())
        if (p.id == id) return p.stats;
    ADD_FAILURE() << "no pool stats for " << id;
    return {};
}

inline std::string pool_type(const Runtime& rt, std::string_view id) {
    for (const auto& e : rt.entries())
        if (e.id == id) return e.pool;
    ADD_FAILURE() << "no entry " << id;
    return {};
}

/// Call on a new thread; the future yields the CallResult.
inline std::future<CallResult> call_async(Runtime& rt, std::string id, Value a, CallOptions o = {}) {
    return std::async(std::launch::async,
                      [&rt, id = std::move(id), a = std::move(a), o = std::move(o)] { return rt.call(id, a, o); });
}

/// Call on another thread and wait at most `limit`. nullopt when it did not return
/// in time (a deadlock): the caller must then leak the runtime (it cannot be destroyed).
inline std::optional<CallResult> call_within(Runtime& rt, std::string id, Value a, std::chrono::milliseconds limit) {
    return modrt::test::run_within([&rt, id = std::move(id), a = std::move(a)] { return rt.call(id, a); }, limit);
}

inline bool ready(std::future<CallResult>& f, std::chrono::milliseconds within = 0ms) {
    return f.wait_for(within) == std::future_status::ready;
}

/// The kernel thread id of the calling thread.
inline int64_t this_tid() { return static_cast<int64_t>(::gettid()); }

using modrt::test::thread_count;

inline std::string error_text(const CallResult& r) {
    return r.error ? std::to_string(r.error->kind) + ": " + r.error->message : "ok";
}

/// Every test starts from zeroed native counters and leaves every gate open,
/// so a failing test never leaves a worker blocked for the next one.
/// Opens every gate when it goes out of scope: declare it after the runtime and the
/// futures of a test, so an early failure unblocks the workers before they are joined.
struct OpenGatesOnExit {
    OpenGatesOnExit() = default;
    OpenGatesOnExit(const OpenGatesOnExit&) = delete;
    OpenGatesOnExit& operator=(const OpenGatesOnExit&) = delete;
    ~OpenGatesOnExit() {
        for (int f = 0; f < kFlags; ++f) open_flag(f);
    }
};

class PoolTest : public ::testing::Test {
protected:
    void SetUp() override { reset_native(); }
    void TearDown() override {
        for (int f = 0; f < kFlags; ++f) open_flag(f);
    }
};

}  // namespace pool_test

#define PT_EXPECT_CONTAINS(haystack, needle) \
    EXPECT_PRED2(::pool_test::contains, std::string(haystack), std::string(needle))
