// A CPU-bound Lua function compiled by LuaJIT's JIT (the default) against the same
// code interpreted (`jit: false`), in the same run; and compiled again with a deadline,
// which function.lua watches without slowing the compiled loop (vm/call_watch.hpp).
#include "bench_env.hpp"

#include <benchmark/benchmark.h>

#include <chrono>

namespace modrt::bench {

namespace {

void cpu_loop(benchmark::State& state, std::string_view id, const kernel::CallOptions* options = nullptr) {
    kernel::Value args = kernel::Value::array();
    args.push() = kernel::Value::integer(kMandelSize);
    run_calls(state, BenchEnv::get().runtime(), id, args, options);
}

void BM_Lua_cpu_jit(benchmark::State& state) { cpu_loop(state, "bench:lua_cpu"); }
void BM_Baseline_lua_cpu_interpreted(benchmark::State& state) { cpu_loop(state, "bench:lua_cpu_interpreted"); }
void BM_Lua_cpu_jit_deadline(benchmark::State& state) {
    kernel::CallOptions options;
    options.timeout = std::chrono::seconds(10);
    cpu_loop(state, "bench:lua_cpu", &options);
}

}  // namespace

BENCHMARK(BM_Baseline_lua_cpu_interpreted)->Name("BM_Baseline/lua_cpu_interpreted")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Lua_cpu_jit)->Name("BM_Lua/cpu_jit")->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Lua_cpu_jit_deadline)->Name("BM_Lua/cpu_jit_deadline")->Unit(benchmark::kMillisecond);

}  // namespace modrt::bench
