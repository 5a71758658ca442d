// A registry written to a temporary directory and a runtime loaded from it, shared by the benchmarks.
#pragma once

#include <modrt/kernel/runtime.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace modrt::bench {

/// The Lua body every Lua benchmark runs (and the baseline calls with lua_pcall).
inline constexpr const char* kLuaAdd = "return { add = function(a, b) return a + b end }";

class BenchEnv {
public:
    /// The process-wide environment, built on first use.
    static BenchEnv& get();
    ~BenchEnv();
    kernel::Runtime& runtime() { return *runtime_; }
    const std::filesystem::path& dir() const { return dir_; }

private:
    BenchEnv();
    std::filesystem::path dir_;
    std::unique_ptr<kernel::Runtime> runtime_;
};

}  // namespace modrt::bench
