// function.lua on threaded pools: results from many caller threads, and the
// per-worker Lua state (module-level locals are per worker thread, never shared).
#include "pool_test_util.hpp"

#include <map>
#include <mutex>
#include <set>

namespace pool_test {
namespace {

// `state` is a module-level table created once per Lua state: tostring() of it
// (its address) names the state. `n` is a module-level local bumped per call.
const char* kLuaSource = R"(
local state = tostring({})
local n = 0

local function spin(ms)
  local t = os.clock()
  while (os.clock() - t) * 1000 < ms do end
end

return {
  add = function(a, b) return a + b end,
  -- k nested asynchronous calls of itself, each awaited with :result(): k.
  recurse_async = function(k)
    if k == 0 then return 0 end
    local funcs = require("funcs")
    local f = assert(funcs.async("lp:recurse_async", k - 1))
    return 1 + f:result():data()
  end,
  -- n asynchronous calls of `id`, all started before any is awaited: their results.
  await_all = function(id, n)
    local funcs = require("funcs")
    local futures, out = {}, {}
    for k = 1, n do futures[k] = assert(funcs.async(id, 0)) end
    for k = 1, n do out[k] = assert(futures[k]:result()):data() end
    return out
  end,
  -- k asynchronous calls of lp:add, each awaited: their sum.
  fan_out = function(k)
    local funcs = require("funcs")
    local sum = 0
    for i = 1, k do
      local f = assert(funcs.async("lp:add", i, 0))
      sum = sum + f:result():data()
    end
    return sum
  end,
  count = function(ms)
    n = n + 1
    local mine = n
    if ms and ms > 0 then spin(ms) end
    return { state = state, n = mine }
  end,
}
)";

int64_t as_int(const Value& v) { return v.type == MODRT_INT ? v.scalar.i : static_cast<int64_t>(v.scalar.n); }

std::string lua_entry(std::string_view name, std::string_view method, std::string_view pool) {
    return "  - name: " + std::string(name) +
           "\n    kind: function.lua\n    source: file://funcs.lua\n    method: " + std::string(method) +
           "\n    pool: " + std::string(pool) + "\n";
}

// With `modules: [funcs]` for functions that call others.
std::string lua_caller_entry(std::string_view name, std::string_view method, std::string_view pool) {
    return lua_entry(name, method, pool) + "    modules: [funcs]\n";
}

std::unique_ptr<Runtime> load_lua(std::initializer_list<std::string> entries) {
    fs::path dir = scratch_dir("lua");
    write_file(dir / "funcs.lua", kLuaSource);
    write_file(dir / "registry.yaml", registry("lp", entries));
    auto rt = make_runtime();
    auto errs = rt->load(dir);
    EXPECT_TRUE(errs.empty()) << format_all(errs);
    return rt;
}

using LuaPool = PoolTest;

TEST_F(LuaPool, AwaitingAnAsyncCallQueuedOnTheCallersOwnOneWorkerPoolRunsItInPlace) {
    // Each level's only worker waits on a call queued behind it: :result() runs it there.
    auto rt = load_lua({lua_caller_entry("recurse_async", "recurse_async", "{workers: 1}")});
    auto started = std::chrono::steady_clock::now();
    auto r = call_within(*rt, "lp:recurse_async", args({i(3)}), 3000ms);
    if (!r) {
        (void)rt.release();  // a worker waits on itself: the runtime cannot be destroyed
        FAIL() << "an async call awaited on its caller's one-worker pool deadlocked";
    }
    ASSERT_TRUE(r->ok()) << error_text(*r);
    EXPECT_EQ(as_int(r->value), 3);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2000ms)
        << "waited for a deadline instead of running in place";
}

TEST_F(LuaPool, InlinePoolCountsCallsTheKernelRunsAndCallsSubmittedToIt) {
    // Synchronous calls to pool.inline never reach its submit (MODRT_POOL_CALLER_RUNS: the
    // kernel runs and counts them); asynchronous ones do. Its stats hold both.
    auto rt = load_lua(
        {lua_entry("add", "add", "{type: inline}"), lua_caller_entry("fan_out", "fan_out", "{workers: 1}")});
    for (int n = 0; n < 3; ++n) {
        auto r = rt->call("lp:add", args({i(n), i(1)}));
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(as_int(r.value), n + 1);
    }
    auto fan = rt->call("lp:fan_out", args({i(4)}));
    ASSERT_TRUE(fan.ok()) << fan.error->message;
    EXPECT_EQ(as_int(fan.value), 1 + 2 + 3 + 4);
    auto st = stats(*rt, "lp:add");
    EXPECT_EQ(st.completed, 3u + 4u);
    EXPECT_EQ(st.busy, 0u);
    EXPECT_EQ(st.workers, 0u);
}

TEST_F(LuaPool, AsyncCallsToEntriesWithoutAPoolRunConcurrentlyAsUnderWippysDefault) {
    // No `pool:`: synchronous calls run inline; asynchronous ones on the runtime's default
    // async pool (pool.lazy, 100 workers), so three started together all block at once.
    fs::path dir = scratch_dir("lua_default_pool");
    write_file(dir / "funcs.lua", kLuaSource);
    write_file(dir / "registry.yaml",
               registry("lp", {native_entry("block", "block_until"),
                               "  - {name: await_all, kind: function.lua, source: file://funcs.lua, method: await_all,"
                               " modules: [funcs]}\n"}));
    auto rt = make_runtime();
    ASSERT_TRUE(rt->load(dir).empty());
    auto sync = rt->call("lp:await_all", args({s("lp:block"), i(0)}));  // no async call yet
    ASSERT_TRUE(sync.ok()) << error_text(sync);
    for (const auto& p : rt->pool_stats()) EXPECT_EQ(p.type, "inline") << p.id << ": made before any async call";

    OpenGatesOnExit gates;
    auto fan = call_async(*rt, "lp:await_all", args({s("lp:block"), i(3)}));
    ASSERT_TRUE(wait_until([] { return native().blocked.load() == 3; }))
        << "async calls ran one after another: blocked=" << native().blocked.load();
    open_flag(0);
    ASSERT_TRUE(ready(fan, 3000ms));
    auto r = fan.get();
    ASSERT_TRUE(r.ok()) << error_text(r);
    ASSERT_EQ(r.value.items.size(), 3u);
    std::set<int64_t> threads;
    for (const auto& tid : r.value.items) threads.insert(as_int(tid));
    EXPECT_EQ(threads.size(), 3u) << "three concurrent calls on three workers";
    bool listed = false;
    for (const auto& p : rt->pool_stats())
        if (p.id == "(async calls to entries without a pool)") {
            listed = true;
            EXPECT_EQ(p.type, "lazy");
            EXPECT_EQ(p.stats.workers, 3u);
        }
    EXPECT_TRUE(listed) << "the default async pool is not in pool_stats";
    EXPECT_EQ(pool_type(*rt, "lp:block"), "inline");
}

TEST_F(LuaPool, StaticPoolReturnsTheRightResultToEveryCallerThread) {
    auto rt = load_lua({lua_entry("add", "add", "{workers: 2}")});
    constexpr int kThreads = 4, kCalls = 50;
    std::atomic<int> wrong{0}, failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int n = 0; n < kCalls; ++n) {
                auto r = rt->call("lp:add", args({i(t * 1000), i(n)}));
                if (!r.ok()) failed.fetch_add(1);
                else if (as_int(r.value) != t * 1000 + n) wrong.fetch_add(1);
            }
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "lp:add").completed == uint64_t{kThreads * kCalls}; }));
    EXPECT_EQ(stats(*rt, "lp:add").workers, 2u);
}

// What is asserted (function.lua README: "module-level state is per worker"):
//  - at most `workers` distinct Lua states ran the calls, and with 4 concurrent
//    callers doing 3 ms of work each, both workers did (2 states);
//  - within one state the module-level counter went 1, 2, ..., k with no gap and
//    no repeat: a state is used by one thread at a time and its locals persist
//    between calls on it;
//  - the states' counters add up to the number of calls: no state saw another's
//    increments (a shared counter would reach the total in one state).
TEST_F(LuaPool, ModuleLocalsArePerWorker) {
    auto rt = load_lua({lua_entry("count", "count", "{workers: 2}")});
    constexpr int kThreads = 4, kCalls = 10;
    std::mutex mu;
    std::map<std::string, std::vector<int64_t>> by_state;
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&] {
            for (int n = 0; n < kCalls; ++n) {
                auto r = rt->call("lp:count", args({i(3)}));
                if (!r.ok() || r.value.type != MODRT_MAP) {
                    failed.fetch_add(1);
                    continue;
                }
                const Value* state = r.value.find("state");
                const Value* count = r.value.find("n");
                if (!state || !count) {
                    failed.fetch_add(1);
                    continue;
                }
                std::lock_guard lock(mu);
                by_state[state->str].push_back(as_int(*count));
            }
        });
    for (auto& th : threads) th.join();
    ASSERT_EQ(failed.load(), 0);

    EXPECT_LE(by_state.size(), 2u) << "more Lua states than workers";
    EXPECT_EQ(by_state.size(), 2u) << "4 concurrent callers, yet only one worker's state ran calls";
    size_t total = 0;
    for (auto& [state, counts] : by_state) {
        std::sort(counts.begin(), counts.end());
        for (size_t k = 0; k < counts.size(); ++k)
            EXPECT_EQ(counts[k], static_cast<int64_t>(k + 1)) << "state " << state << ": counter not 1..k";
        total += counts.size();
    }
    EXPECT_EQ(total, size_t{kThreads * kCalls});
}

TEST_F(LuaPool, OneWorkerMeansOneStateCountingEveryCall) {
    auto rt = load_lua({lua_entry("count", "count", "{workers: 1}")});
    std::string first_state;
    for (int n = 1; n <= 20; ++n) {
        auto r = rt->call("lp:count", args({i(0)}));
        ASSERT_TRUE(r.ok()) << error_text(r);
        ASSERT_EQ(r.value.type, MODRT_MAP);
        EXPECT_EQ(as_int(*r.value.find("n")), n);
        if (n == 1) first_state = r.value.find("state")->str;
        else EXPECT_EQ(r.value.find("state")->str, first_state);
    }
}

TEST_F(LuaPool, LazyPoolRunsLuaAndShrinksBack) {
    auto rt = load_lua({lua_entry("count", "count", "{max_size: 2, idle_timeout: 100ms}")});
    std::vector<std::future<CallResult>> calls;
    for (int n = 0; n < 4; ++n) calls.push_back(call_async(*rt, "lp:count", args({i(20)})));
    for (auto& c : calls) {
        ASSERT_TRUE(ready(c, 3000ms));
        auto r = c.get();
        EXPECT_TRUE(r.ok()) << error_text(r);
    }
    EXPECT_LE(stats(*rt, "lp:count").workers, 2u);
    EXPECT_TRUE(wait_until([&] { return stats(*rt, "lp:count").workers == 0; }, 3000ms));
    // A new worker gets a new state: its counter starts again at 1.
    auto r = rt->call("lp:count", args({i(0)}));
    ASSERT_TRUE(r.ok()) << error_text(r);
    EXPECT_EQ(as_int(*r.value.find("n")), 1) << "a retired worker's Lua state was reused by a new thread";
}

}  // namespace
}  // namespace pool_test
