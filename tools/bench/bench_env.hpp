// A registry written to a temporary directory and a runtime loaded from it, shared by the benchmarks.
#pragma once

#include <modrt/kernel/runtime.hpp>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <string>

namespace modrt::bench {

/// The Lua module of the Lua benchmarks: `add` (what the lua_pcall baseline calls too),
/// `work(n)`, a loop of n additions (n = kWorkLoop is ~10 µs with the JIT on), and
/// `sum({a, b})`, called with and without a contract validating its input and output,
/// and `mandel(size)`, CPU-bound floating-point loops: the points of a size x size grid
/// inside the Mandelbrot set (at most 50 steps each).
inline constexpr const char* kLuaBench = R"lua(
return {
  add = function(a, b) return a + b end,
  work = function(n) local s = 0 for i = 1, n do s = s + i % 7 end return s end,
  sum = function(p) return p.a + p.b end,
  mandel = function(size)
    local inside = 0
    for y = 0, size - 1 do
      local ci = 2 * y / size - 1
      for x = 0, size - 1 do
        local cr, zr, zi, k = 2 * x / size - 1.5, 0, 0, 0
        while k < 50 and zr * zr + zi * zi < 4 do
          zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci
          k = k + 1
        end
        if k == 50 then inside = inside + 1 end
      end
    end
    return inside
  end,
}
)lua";
inline constexpr int64_t kWorkLoop = 10000;
/// `mandel(kMandelSize)` in BM_Lua/cpu_jit and its interpreted baseline: milliseconds of Lua.
inline constexpr int64_t kMandelSize = 200;

/// Lua calling Lua: `nested` through funcs.call (bench:lua_add, inline), `plain` the same
/// function as a plain Lua call in the same state; each makes `n` calls per run.
inline constexpr const char* kLuaNested = R"lua(
local funcs = require("funcs")
local function add(a, b) return a + b end
return {
  nested = function(n) local s = 0 for i = 1, n do s = s + funcs.call("bench:lua_add", i, 1) end return s end,
  plain = function(n) local s = 0 for i = 1, n do s = s + add(i, 1) end return s end,
}
)lua";
inline constexpr int64_t kNestedLoop = 10000;

/// Worker counts tried for the best static pool on blocking work.
inline constexpr int kStaticBlockingWorkers[] = {8, 16, 32, 64, 128};

/// Policies in the scope of the secured runtime.
inline constexpr int kSecuredPolicies = 20;

/// Call `id` with `args` (and `options`, when given) once per iteration; a failed call stops the benchmark.
void run_calls(benchmark::State& state, kernel::Runtime& rt, std::string_view id, const kernel::Value& args,
               const kernel::CallOptions* options = nullptr);
/// The same through a FunctionRef found once (Runtime::find): no lookup by id per call.
void run_prepared_calls(benchmark::State& state, kernel::Runtime& rt, std::string_view id, const kernel::Value& args);

class BenchEnv {
public:
    /// The process-wide environment, built on first use.
    static BenchEnv& get();
    ~BenchEnv();
    kernel::Runtime& runtime() { return *runtime_; }
    /// The same Lua `add` as bench:lua_add in a strict runtime whose outside caller has a scope
    /// of kSecuredPolicies policies, the call allowed by the last one (built on first use).
    kernel::Runtime& secured_runtime();
    const std::filesystem::path& dir() const { return dir_; }

private:
    BenchEnv();
    std::filesystem::path dir_;
    std::unique_ptr<kernel::Runtime> runtime_;
    std::unique_ptr<kernel::Runtime> secured_;
};

}  // namespace modrt::bench
