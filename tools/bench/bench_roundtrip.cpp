// One call handed to another thread and waited for: a 1-worker static pool
// beside boost::asio::thread_pool post + std::future of the same Lua work.
#include "bench_env.hpp"

#include <benchmark/benchmark.h>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <lua.hpp>

#include <future>

namespace modrt::bench {

namespace {

/// The add function ready on a lua_State owned by the calling thread.
struct ThreadLua {
    lua_State* L = luaL_newstate();
    int ref = 0;
    ThreadLua() {
        luaL_openlibs(L);
        luaL_loadstring(L, kLuaBench);
        lua_call(L, 0, 1);
        lua_getfield(L, -1, "add");
        ref = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_pop(L, 1);
    }
    ~ThreadLua() { lua_close(L); }
    int64_t add(int64_t a, int64_t b) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
        lua_pushinteger(L, a);
        lua_pushinteger(L, b);
        lua_pcall(L, 2, 1, 0);
        int64_t r = lua_tointeger(L, -1);
        lua_pop(L, 1);
        return r;
    }
};

void BM_Baseline_asio_roundtrip(benchmark::State& state) {
    boost::asio::thread_pool pool(1);
    for (auto _ : state) {
        std::promise<int64_t> done;
        std::future<int64_t> result = done.get_future();
        boost::asio::post(pool, [&done] {
            thread_local ThreadLua lua;  // one ready state per pool thread, like a modrt worker's
            done.set_value(lua.add(20, 22));
        });
        benchmark::DoNotOptimize(result.get());
    }
    pool.join();
}

void BM_Call_lua_static_roundtrip(benchmark::State& state) {
    kernel::Runtime& rt = BenchEnv::get().runtime();
    kernel::Value args = kernel::Value::array();
    args.push() = kernel::Value::integer(20);
    args.push() = kernel::Value::integer(22);
    for (auto _ : state) {
        kernel::CallResult r = rt.call("bench:lua_add_static1", args);
        if (!r.ok()) {
            state.SkipWithError(r.error->message.c_str());
            break;
        }
        benchmark::DoNotOptimize(r.value.scalar.i);
    }
}

}  // namespace

BENCHMARK(BM_Baseline_asio_roundtrip)->Name("BM_Baseline/asio_roundtrip")->UseRealTime();
BENCHMARK(BM_Call_lua_static_roundtrip)->Name("BM_Call/lua_static_roundtrip")->UseRealTime();

}  // namespace modrt::bench
