// Calls per second from many client threads: CPU-bound Lua work on a 2-worker
// static pool vs the adaptive pool, and blocking work (1 ms sleep) on the
// adaptive pool vs the fastest of several static pools, all in the same run.
#include "bench_env.hpp"

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace modrt::bench {

namespace {

/// `clients` threads each make `calls` calls of `id`; returns the wall time in seconds.
double run_batch(std::string_view id, const kernel::Value& args, int clients, int calls, std::atomic<int>& failures) {
    kernel::Runtime& rt = BenchEnv::get().runtime();
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&] {
            for (int i = 0; i < calls; ++i)
                if (!rt.call(id, args).ok()) failures.fetch_add(1, std::memory_order_relaxed);
        });
    for (auto& t : threads) t.join();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

kernel::Value one_int(int64_t n) {
    kernel::Value args = kernel::Value::array();
    args.push() = kernel::Value::integer(n);
    return args;
}

void throughput(benchmark::State& state, std::string_view id, int64_t arg, int clients, int calls) {
    kernel::Value args = one_int(arg);
    std::atomic<int> failures{0};
    for (auto _ : state) state.SetIterationTime(run_batch(id, args, clients, calls, failures));
    if (failures.load() > 0) state.SkipWithError("calls failed");
    state.SetItemsProcessed(state.iterations() * clients * calls);
}

constexpr int kCpuClients = 4;
constexpr int kCpuCalls = 500;  // ~10 µs each: ~2.5 ms of work per client per batch
constexpr int kBlockingClients = 64;
constexpr int kBlockingCalls = 10;  // 1 ms each

void BM_Throughput_static_2workers(benchmark::State& state) {
    throughput(state, "bench:lua_work_static2", kWorkLoop, kCpuClients, kCpuCalls);
}

void BM_Throughput_adaptive(benchmark::State& state) {
    throughput(state, "bench:lua_work_adaptive", kWorkLoop, kCpuClients, kCpuCalls);
}

void BM_Throughput_adaptive_blocking(benchmark::State& state) {
    throughput(state, "bench:sleep_adaptive", 1, kBlockingClients, kBlockingCalls);
}

// The worker count whose static pool serves the blocking load fastest: each count runs
// kCalibrationBatches batches (after one unmeasured) and the lowest total wins; the benchmark
// then measures that one pool. Keeping the fastest batch across all counts in every iteration
// would report the luckiest of several similar pools (32 and 64 workers are within noise
// here), not a throughput any one pool sustains.
int fastest_static_workers() {
    constexpr int kCalibrationBatches = 5;
    kernel::Value args = one_int(1);
    std::atomic<int> failures{0};
    int best_workers = 0;
    double best = 1e9;
    for (int workers : kStaticBlockingWorkers) {
        std::string id = "bench:sleep_static" + std::to_string(workers);
        run_batch(id, args, kBlockingClients, kBlockingCalls, failures);
        double total = 0;
        for (int b = 0; b < kCalibrationBatches; ++b)
            total += run_batch(id, args, kBlockingClients, kBlockingCalls, failures);
        if (total < best) {
            best = total;
            best_workers = workers;
        }
    }
    return failures.load() == 0 ? best_workers : 0;
}

// Then that pool, measured as the adaptive one is.
void BM_Throughput_static_best_blocking(benchmark::State& state) {
    static const int workers = fastest_static_workers();  // once per process: repetitions compare one pool
    if (workers == 0) {
        state.SkipWithError("calls failed while choosing the worker count");
        return;
    }
    throughput(state, "bench:sleep_static" + std::to_string(workers), 1, kBlockingClients, kBlockingCalls);
    state.SetLabel("best: " + std::to_string(workers) + " workers");
}

}  // namespace

// Throughput under a steady load, each after the same warm-up: an adaptive pool idles
// back to one worker while other benchmarks run, and its climb (1 -> 32 takes about
// 0.6 s, see plugins/pool.adaptive/README.md) would otherwise land in some runs'
// measurement and not others'.
constexpr double kWarmUpSeconds = 1.0;

BENCHMARK(BM_Throughput_static_2workers)
    ->Name("BM_Throughput/static_2workers")
    ->UseManualTime()
    ->MinWarmUpTime(kWarmUpSeconds);
BENCHMARK(BM_Throughput_adaptive)->Name("BM_Throughput/adaptive")->UseManualTime()->MinWarmUpTime(kWarmUpSeconds);
BENCHMARK(BM_Throughput_static_best_blocking)
    ->Name("BM_Throughput/static_best_blocking")
    ->UseManualTime()
    ->MinWarmUpTime(kWarmUpSeconds);
BENCHMARK(BM_Throughput_adaptive_blocking)
    ->Name("BM_Throughput/adaptive_blocking")
    ->UseManualTime()
    ->MinWarmUpTime(kWarmUpSeconds);

}  // namespace modrt::bench
