// Fuzz target: the input is the source of a Lua module. It is loaded (under the load
// budget) into a fresh runtime with the real plugins and its `run` function is called
// with a 100 ms deadline. Load errors and call errors are fine; a crash, a hang, or a
// call that returns long after its deadline is a finding.
#include <modrt/kernel/runtime.hpp>

#include "support/sanitizer.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {

using namespace std::chrono_literals;

constexpr auto kLuaSourceDeadline = 100ms;
// How late a call may return: conversion of a large result, a sanitizer build on a
// loaded 2-core machine. Far below "ignored the deadline" (seconds to forever).
// Sanitizers slow deep recursion (an ASan libFuzzer run beside two other fuzzers
// on 2 cores returned a coroutine recursion 2.1 s after its deadline); TSan more so.
constexpr auto kLuaSourceLateness = modrt::test::kUnderTsan ? 15000ms : 4000ms;

// A scratch registry holding the input as fuzz.lua, removed when done.
class LuaSourceScratch {
public:
    explicit LuaSourceScratch(std::string_view source) {
        static std::atomic<int> counter{0};
        namespace fs = std::filesystem;
        dir_ = fs::temp_directory_path() /
               ("modrt-fuzz-lua-source-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        std::ofstream(dir_ / "fuzz.lua", std::ios::binary) << source;
        std::ofstream(dir_ / "registry.yaml")
            << "version: \"1.0\"\nnamespace: fuzz\nentries:\n"
               "  - {name: run, kind: function.lua, source: file://fuzz.lua, method: run, jit: false}\n";
    }
    ~LuaSourceScratch() {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    LuaSourceScratch(const LuaSourceScratch&) = delete;
    LuaSourceScratch& operator=(const LuaSourceScratch&) = delete;
    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path dir_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace modrt::kernel;
    LuaSourceScratch scratch(std::string_view(reinterpret_cast<const char*>(data), size));
    Runtime rt(RuntimeOptions{{MODRT_FUZZ_PLUGIN_DIR}});
    if (!rt.load(scratch.dir()).empty()) return 0;  // not a loadable module: fine
    CallOptions options;
    options.timeout = kLuaSourceDeadline;
    const auto start = std::chrono::steady_clock::now();
    CallResult result = rt.call("fuzz:run", Value::array(), options);
    const auto took = std::chrono::steady_clock::now() - start;
    if (took > kLuaSourceDeadline + kLuaSourceLateness) {
        std::fprintf(stderr, "fuzz_lua_source: the call returned after %lld ms, deadline %lld ms (%s)\n",
                     static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()),
                     static_cast<long long>(kLuaSourceDeadline.count()),
                     result.ok() ? "ok" : result.error->message.c_str());
        __builtin_trap();
    }
    return 0;
}
