// The cost of one call through the runtime, beside the same work done directly.
#include "bench_env.hpp"

#include <benchmark/benchmark.h>
#include <lua.hpp>

#include <chrono>
#include <memory>

#include <dlfcn.h>

namespace modrt::bench {

namespace {

kernel::Value two_ints(int64_t a, int64_t b) {
    kernel::Value args = kernel::Value::array();
    args.push() = kernel::Value::integer(a);
    args.push() = kernel::Value::integer(b);
    return args;
}

void call_loop(benchmark::State& state, std::string_view id, kernel::Runtime& rt = BenchEnv::get().runtime(),
               const kernel::CallOptions* options = nullptr) {
    run_calls(state, rt, id, two_ints(20, 22), options);
}

void BM_Baseline_direct_call(benchmark::State& state) {
    BenchEnv::get();  // loads the library
    void* lib = ::dlopen(MODRT_BENCH_NATIVE_LIB, RTLD_NOW | RTLD_NOLOAD);
    auto* fn = reinterpret_cast<int64_t (*)(int64_t, int64_t)>(::dlsym(lib, "bench_add_raw"));
    int64_t a = 20, b = 22;
    for (auto _ : state) {
        benchmark::DoNotOptimize(a);
        benchmark::DoNotOptimize(fn);
        benchmark::DoNotOptimize(fn(a, b));
    }
    ::dlclose(lib);
}

void BM_Call_native_inline(benchmark::State& state) { call_loop(state, "bench:native_add"); }
// Found once (Runtime::find), then called: what an embedder calling one function in a loop does.
void BM_Call_native_prepared(benchmark::State& state) {
    run_prepared_calls(state, BenchEnv::get().runtime(), "bench:native_add", two_ints(20, 22));
}

void BM_Baseline_lua_pcall(benchmark::State& state) {
    lua_State* L = luaL_newstate();
    luaL_openlibs(L);
    luaL_loadstring(L, kLuaBench);  // the same module the runtime loads
    lua_call(L, 0, 1);
    lua_getfield(L, -1, "add");
    int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    for (auto _ : state) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
        lua_pushinteger(L, 20);
        lua_pushinteger(L, 22);
        if (lua_pcall(L, 2, 1, 0) != 0) {
            state.SkipWithError(lua_tostring(L, -1));
            break;
        }
        benchmark::DoNotOptimize(lua_tointeger(L, -1));
        lua_pop(L, 1);
    }
    lua_close(L);
}

void BM_Call_lua_inline(benchmark::State& state) { call_loop(state, "bench:lua_add"); }
void BM_Call_lua_prepared(benchmark::State& state) {
    run_prepared_calls(state, BenchEnv::get().runtime(), "bench:lua_add", two_ints(20, 22));
}

// The same call when something could stop it while it runs, which function.lua then
// watches (plugins/function.lua/vm/call_watch.hpp): a deadline (the plugin's deadline
// timer) or a canceler (the kernel's frame_on_cancel). Both build a root frame for the
// options, which the plain call does not: `native_deadline` is that part alone.
void BM_Call_lua_inline_deadline(benchmark::State& state) {
    kernel::CallOptions options;
    options.timeout = std::chrono::seconds(10);
    call_loop(state, "bench:lua_add", BenchEnv::get().runtime(), &options);
}
void BM_Call_lua_inline_canceler(benchmark::State& state) {
    kernel::CallOptions options;
    options.canceler = std::make_shared<kernel::CallCanceler>();
    call_loop(state, "bench:lua_add", BenchEnv::get().runtime(), &options);
}
void BM_Call_native_deadline(benchmark::State& state) {
    kernel::CallOptions options;
    options.timeout = std::chrono::seconds(10);
    call_loop(state, "bench:native_add", BenchEnv::get().runtime(), &options);
}

kernel::Value sum_args() {
    kernel::Value pair = kernel::Value::map();
    pair.insert("a") = kernel::Value::integer(20);
    pair.insert("b") = kernel::Value::integer(22);
    kernel::Value args = kernel::Value::array();
    args.push() = std::move(pair);
    return args;
}

void sum_loop(benchmark::State& state, std::string_view id) {
    run_calls(state, BenchEnv::get().runtime(), id, sum_args());
}

// sum({a, b}) in Lua, bare, and bound to a contract whose schemas check its input and output.
void BM_Call_lua_sum(benchmark::State& state) { sum_loop(state, "bench:lua_sum"); }
void BM_Call_contract_validated(benchmark::State& state) { sum_loop(state, "bench:lua_sum_validated"); }

// A Lua function calling another kNestedLoop times: through funcs.call (both inline), and
// as a plain Lua call in the same state. Figures are per inner call.
void nested_loop(benchmark::State& state, std::string_view id) {
    kernel::Value args = kernel::Value::array();
    args.push() = kernel::Value::integer(kNestedLoop);
    run_calls(state, BenchEnv::get().runtime(), id, args);
    state.counters["per_call"] = benchmark::Counter(static_cast<double>(state.iterations() * kNestedLoop),
                                                    benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
void BM_Baseline_lua_plain_call(benchmark::State& state) { nested_loop(state, "bench:lua_plain"); }
void BM_Nested_lua_funcs_call(benchmark::State& state) { nested_loop(state, "bench:lua_nested"); }
// The same caller interpreted (jit: false). The compiled loop leaves its trace around every
// funcs.call (a C function); interpreting it costs more still (2,251 instructions a call
// against 2,147: each funcs.call goes through the sealed module's __index).
void BM_Nested_lua_funcs_call_interpreted(benchmark::State& state) {
    nested_loop(state, "bench:lua_nested_interpreted");
}

// The same call checked by security.policy: a strict runtime, a scope of 20 policies.
void BM_Call_lua_inline_secured(benchmark::State& state) {
    call_loop(state, "bench:lua_add", BenchEnv::get().secured_runtime());
}

}  // namespace

BENCHMARK(BM_Baseline_direct_call)->Name("BM_Baseline/direct_call");
BENCHMARK(BM_Call_native_inline)->Name("BM_Call/native_inline");
BENCHMARK(BM_Call_native_prepared)->Name("BM_Call/native_prepared");
BENCHMARK(BM_Baseline_lua_pcall)->Name("BM_Baseline/lua_pcall");
BENCHMARK(BM_Call_lua_inline)->Name("BM_Call/lua_inline");
BENCHMARK(BM_Call_lua_prepared)->Name("BM_Call/lua_prepared");
BENCHMARK(BM_Call_lua_inline_secured)->Name("BM_Call/lua_inline_secured");
BENCHMARK(BM_Call_native_deadline)->Name("BM_Call/native_deadline");
BENCHMARK(BM_Call_lua_inline_deadline)->Name("BM_Call/lua_inline_deadline");
BENCHMARK(BM_Call_lua_inline_canceler)->Name("BM_Call/lua_inline_canceler");
BENCHMARK(BM_Call_lua_sum)->Name("BM_Call/lua_sum");
BENCHMARK(BM_Call_contract_validated)->Name("BM_Call/contract_validated");
BENCHMARK(BM_Baseline_lua_plain_call)->Name("BM_Baseline/lua_plain_call");
BENCHMARK(BM_Nested_lua_funcs_call)->Name("BM_Nested/lua_funcs_call");
BENCHMARK(BM_Nested_lua_funcs_call_interpreted)->Name("BM_Nested/lua_funcs_call_interpreted");

}  // namespace modrt::bench
