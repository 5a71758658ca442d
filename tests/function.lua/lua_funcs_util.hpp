// Shared helpers of the funcs/ctx/channel tests: the fixtures/funcs registry
// (a template filled with this checkout's paths), the native test library's
// counters.
#pragma once

#include "lua_test_util.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace lua_test {

namespace fs = std::filesystem;

/// The native library's counters, through dlopen of the very file the registry names.
struct NativeCounters {
    int (*started)() = nullptr;
    int (*canceled)() = nullptr;
    int (*running)() = nullptr;
    void (*reset)() = nullptr;
};

inline NativeCounters& native() {
    static NativeCounters c = [] {
        NativeCounters n;
        void* lib = dlopen(LUA_NATIVE_LIB, RTLD_NOW | RTLD_LOCAL);
        if (lib == nullptr) return n;  // never closed: the runtime keeps it loaded too
        n.started = reinterpret_cast<int (*)()>(dlsym(lib, "lt_started"));
        n.canceled = reinterpret_cast<int (*)()>(dlsym(lib, "lt_canceled"));
        n.running = reinterpret_cast<int (*)()>(dlsym(lib, "lt_running"));
        n.reset = reinterpret_cast<void (*)()>(dlsym(lib, "lt_reset"));
        return n;
    }();
    return c;
}

/// Wait up to `limit` for `done()`.
template <class F>
bool eventually(F done, std::chrono::milliseconds limit = std::chrono::milliseconds(3000)) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return done();
}

/// Every test of a suite derived from this shares one runtime over fixtures/funcs.
class FuncsRegistry : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        std::string dir = fixture("funcs");
        std::ifstream in(dir + "/registry.yaml.in");
        std::stringstream text;
        text << in.rdbuf();
        std::string yaml = text.str();
        replace_all(yaml, "@DIR@", dir);
        replace_all(yaml, "@NATIVE@", LUA_NATIVE_LIB);
        // One directory per process: CTest runs each test in its own process, in parallel.
        fs::path scratch = fs::path(LUA_SCRATCH_DIR) / ("funcs-" + std::to_string(getpid()));
        fs::create_directories(scratch);
        std::ofstream(scratch / "registry.yaml") << yaml;
        rt_ = make_runtime();
        for (const auto& e : rt_->load(scratch)) load_errors_ += e.format() + "\n";
        fs::remove_all(scratch);
        ASSERT_NE(native().reset, nullptr) << dlerror();
    }
    static void TearDownTestSuite() { rt_.reset(); }
    void SetUp() override {
        // Not from SetUpTestSuite: GoogleTest would skip the tests, and CTest pass them.
        ASSERT_EQ(load_errors_, "");
        // A callee an earlier test canceled may still be on its way out: let it finish first.
        EXPECT_TRUE(eventually([] { return native().running() == 0; }));
        native().reset();
    }

    static CallResult call(std::string_view id, const Value& a = Value::array()) { return rt_->call(id, a); }
    static CallResult call(std::string_view id, const Value& a, const modrt::kernel::CallOptions& o) {
        return rt_->call(id, a, o);
    }
    static Value integer(int64_t i) { return Value::integer(i); }
    static inline std::unique_ptr<Runtime> rt_;
    static inline std::string load_errors_;

private:
    static void replace_all(std::string& s, std::string_view from, std::string_view to) {
        for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
            s.replace(at, from.size(), to);
    }
};

}  // namespace lua_test
