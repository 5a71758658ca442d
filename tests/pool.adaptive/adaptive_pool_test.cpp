// pool.adaptive through the real plugin: a registry pointing at native
// functions built in this folder, loaded by a Runtime on this build's plugins.
#include <modrt/kernel/runtime.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using modrt::kernel::Runtime;
using modrt::kernel::RuntimeOptions;
using modrt::kernel::Value;
using namespace std::chrono_literals;

// ADAPTIVE_LOG=debug shows the controller's decisions.
const bool kLogLevelSet = [] {
    if (const char* level = std::getenv("ADAPTIVE_LOG")) modrt::kernel::set_log_level(level);
    return true;
}();

fs::path scratch(const std::string& name) {
    static std::atomic<int> counter{0};
    fs::path dir = fs::path(ADAPTIVE_SCRATCH_DIR) /
                   (name + "." + std::to_string(::getpid()) + "." + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string entry(const std::string& name, const std::string& method, const std::string& pool) {
    return "  - name: " + name +
           "\n    kind: function.native\n    source: file://" ADAPTIVE_NATIVE_LIB "\n    method: " + method +
           "\n    pool: " + pool + "\n";
}

/// Load a registry of `entries` into a fresh runtime; errors are returned as one string.
std::unique_ptr<Runtime> load(const std::string& entries, std::string* errors = nullptr) {
    fs::path dir = scratch("adaptive");
    std::ofstream(dir / "adaptive.yaml") << "version: \"1.0\"\nnamespace: ad\nentries:\n" << entries;
    auto rt = std::make_unique<Runtime>(RuntimeOptions{.plugin_path = {fs::path(MODRT_TEST_PLUGIN_DIR)},
                                                       .source_roots = {fs::path(ADAPTIVE_NATIVE_LIB).parent_path()}});
    auto errs = rt->load(dir);
    std::string all;
    for (const auto& e : errs) all += e.format() + "\n";
    if (errors) *errors = all;
    else EXPECT_TRUE(errs.empty()) << all;
    return rt;
}

modrt_pool_stats stats_of(const Runtime& rt, const std::string& id) {
    for (const auto& p : rt.pool_stats())
        if (p.id == id) return p.stats;
    ADD_FAILURE() << "no pool stats for " << id;
    return {};
}

Value one_int(int64_t n) {
    Value args = Value::array();
    args.push() = Value::integer(n);
    return args;
}

/// `clients` threads calling `id(arg)` until stopped.
class CallerLoad {
public:
    CallerLoad(Runtime& rt, std::string id, int64_t arg, int clients) {
        for (int i = 0; i < clients; ++i)
            threads_.emplace_back([this, &rt, id, arg] {
                Value args = one_int(arg);
                while (!stop_.load()) {
                    if (!rt.call(id, args).ok()) failures_.fetch_add(1);
                    calls_.fetch_add(1);
                }
            });
    }
    ~CallerLoad() { stop(); }
    void stop() {
        stop_ = true;
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }
    int failures() const { return failures_.load(); }
    int calls() const { return calls_.load(); }

private:
    std::atomic<bool> stop_{false};
    std::atomic<int> failures_{0}, calls_{0};
    std::vector<std::thread> threads_;
};

/// Poll the pool's worker count until `pred(workers)` holds or `limit` passes; returns the time it took.
template <class Pred>
std::chrono::milliseconds wait_for_workers(const Runtime& rt, const std::string& id, Pred pred,
                                           std::chrono::milliseconds limit, uint64_t* last = nullptr) {
    auto start = std::chrono::steady_clock::now();
    for (;;) {
        uint64_t w = stats_of(rt, id).workers;
        if (last) *last = w;
        auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
        if (pred(w) || took > limit) return took;
        std::this_thread::sleep_for(20ms);
    }
}

TEST(AdaptivePool, GrowsUnderBlockedCallsAndShrinksWhenIdle) {
    auto rt = load(entry("sleep", "adaptive_sleep_ms", "{type: adaptive}"));  // defaults: 1..16 workers, 100ms ticks
    EXPECT_EQ(stats_of(*rt, "ad:sleep").workers, 1u);                         // min_size is started up front

    CallerLoad load(*rt, "ad:sleep", 5, 8);
    uint64_t workers = 0;
    auto grew = wait_for_workers(
        *rt, "ad:sleep", [](uint64_t w) { return w > 2; }, 2500ms, &workers);
    EXPECT_GT(workers, 2u) << "no growth after " << grew.count() << " ms of blocked calls";
    // Keep the load a little longer: it should reach one worker per caller.
    wait_for_workers(
        *rt, "ad:sleep", [](uint64_t w) { return w >= 8; }, 1500ms, &workers);
    EXPECT_GE(workers, 6u);
    EXPECT_LE(workers, 8u) << "8 callers never need more than 8 workers";
    load.stop();
    EXPECT_EQ(load.failures(), 0);
    EXPECT_GT(load.calls(), 100);

    auto shrank = wait_for_workers(
        *rt, "ad:sleep", [](uint64_t w) { return w <= 1; }, 4000ms, &workers);
    EXPECT_LE(workers, 1u) << "still " << workers << " workers " << shrank.count() << " ms after the load stopped";
    auto s = stats_of(*rt, "ad:sleep");
    EXPECT_EQ(s.busy, 0u);
    EXPECT_EQ(s.queued, 0u);
}

TEST(AdaptivePool, CpuBoundCallsStayNearTheCores) {
    // 8 callers of 300 µs CPU-bound calls: the CPUs saturate with about 2 workers
    // (this machine's cores), so the pool must not grow towards 8.
    auto rt = load(entry("spin", "adaptive_spin_us", "{type: adaptive, interval: 50ms}"));
    CallerLoad load(*rt, "ad:spin", 300, 8);
    std::this_thread::sleep_for(600ms);  // settle
    double sum = 0;
    int n = 0;
    for (int i = 0; i < 40; ++i, ++n) {  // ~0.8 s
        sum += static_cast<double>(stats_of(*rt, "ad:spin").workers);
        std::this_thread::sleep_for(20ms);
    }
    load.stop();
    EXPECT_EQ(load.failures(), 0);
    double cores = std::max(1u, std::thread::hardware_concurrency());
    EXPECT_LE(sum / n, cores + 2.0) << "mean workers on CPU-bound calls";
}

TEST(AdaptivePool, AcceptsItsOptions) {
    auto rt = load(
        entry("a", "adaptive_sleep_ms", "{type: adaptive, max_size: 256, min_size: 2, buffer: 100, interval: 500ms}") +
        entry("b", "adaptive_sleep_ms", "{type: adaptive, interval: 1s}") +
        entry("c", "adaptive_sleep_ms", "{type: adaptive, interval: 250}"));
    EXPECT_EQ(stats_of(*rt, "ad:a").workers, 2u);
    EXPECT_TRUE(rt->call("ad:b", one_int(1)).ok());
}

TEST(AdaptivePool, RefusesBadOptions) {
    struct Case {
        const char* pool;
        const char* needle;
    } cases[] = {
        {"{type: adaptive, workers: 4}", "workers"},
        {"{type: adaptive, max_size: 0}", "max_size"},
        {"{type: adaptive, min_size: 8, max_size: 4}", "min_size"},
        {"{type: adaptive, interval: soon}", "interval"},
        {"{type: adaptive, interval: 5ms}", "interval"},
        {"{type: adaptive, buffer: -1}", "buffer"},
    };
    for (const auto& c : cases) {
        std::string errors;
        load(entry("bad", "adaptive_sleep_ms", c.pool), &errors);
        EXPECT_NE(errors.find(c.needle), std::string::npos) << c.pool << " gave: " << errors;
    }
}

TEST(AdaptivePool, ShutsDownPromptlyWithALongInterval) {
    auto rt = load(entry("slow_tick", "adaptive_sleep_ms", "{type: adaptive, interval: 10s}"));
    EXPECT_TRUE(rt->call("ad:slow_tick", one_int(1)).ok());
    auto start = std::chrono::steady_clock::now();
    rt.reset();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "the controller thread must wake on destroy";
}

}  // namespace
