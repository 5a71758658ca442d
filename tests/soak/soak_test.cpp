// Soak: a long run of mixed calls through real plugins (function.native on the
// inline, static and lazy pools; nested calls; async fan-outs whose futures are
// waited, canceled or released; root deadlines), checking that
//   - every root call completes exactly once, with its own result or, only when
//     it had a deadline, TIMEOUT/CANCELED; every function ran at most once, and
//     exactly once when its caller got its result;
//   - every async child that started finished exactly once (future_on_done);
//   - resident memory settles after a warm-up;
//   - destroying the runtime leaves no thread behind.
// Figures go to stdout (calls/s, RSS, threads). MODRT_SOAK_CALLS overrides the
// number of root calls (default SOAK_DEFAULT_CALLS: 1,000,000 in the plain build,
// fewer in sanitizer builds, which run 3-15x slower). Run it alone for figures:
// build/bin/soak_test (CTest runs it beside other tests).
#include "proc_stats.hpp"
#include "soak_plan.hpp"
#include "soak_shared.hpp"

#include <gtest/gtest.h>

#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace soak {
namespace {

namespace fs = std::filesystem;
using modrt::kernel::CallResult;
using modrt::kernel::Runtime;
using modrt::kernel::RuntimeOptions;

constexpr int kCallers = 4;  // more callers than the machine's 2 cores: pools queue and hand off

int64_t calls_to_make() {
    if (const char* env = std::getenv("MODRT_SOAK_CALLS"); env && *env) return std::atoll(env);
    return SOAK_DEFAULT_CALLS;
}

/// The native library's shared state: dlopen of the very file the registry names
/// yields the instance the kernel loads (never closed, so it outlives the runtime).
SoakState& native_state(ResetFn* reset) {
    void* lib = ::dlopen(SOAK_NATIVE_LIB, RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) throw std::runtime_error(std::string("dlopen: ") + ::dlerror());
    *reset = reinterpret_cast<ResetFn>(::dlsym(lib, "soak_reset"));
    return *reinterpret_cast<StateFn>(::dlsym(lib, "soak_state"))();
}

/// Outcome of one root call as the caller saw it.
enum Outcome : uint8_t { kNone = 0, kOk = 1, kCutShort = 2 };

class Soak {
public:
    Soak(Runtime& rt, int64_t calls)
        : rt_(rt),
          outcomes_(std::make_unique<std::atomic<uint8_t>[]>(calls)),
          seen_(std::make_unique<std::atomic<uint8_t>[]>(calls)) {
        for (int64_t i = 0; i < calls;
             ++i) {  // touch every page now, so the bookkeeping is resident before the warm-up
            outcomes_[i].store(kNone);
            seen_[i].store(0);
        }
    }

    /// Make root calls [from, to) from kCallers threads, each taking every kCallers-th number.
    void run(int64_t from, int64_t to) {
        std::vector<std::thread> callers;
        for (int t = 0; t < kCallers; ++t)
            callers.emplace_back([this, from, to, t] {
                for (int64_t seq = from + t; seq < to; seq += kCallers) call(seq);
            });
        for (auto& c : callers) c.join();
    }

    uint64_t unexpected() const { return unexpected_.load(); }
    std::string first_unexpected() {
        std::lock_guard lock(mutex_);
        return first_;
    }
    uint64_t cut_short() const { return cut_short_.load(); }
    Outcome outcome(int64_t seq) const { return static_cast<Outcome>(outcomes_[seq].load()); }
    uint8_t times_seen(int64_t seq) const { return seen_[seq].load(); }

private:
    void call(int64_t seq) {
        CallPlan plan = plan_for(seq);
        CallResult r;
        if (plan.timeout.count() > 0) {
            modrt::kernel::CallOptions o;
            o.timeout = plan.timeout;
            r = rt_.call(plan.id, plan.args, o);
        } else {
            r = rt_.call(plan.id, plan.args);
        }
        seen_[seq].fetch_add(1);
        Outcome got = kNone;
        if (r.ok() && r.value.type == MODRT_INT && r.value.scalar.i == seq) {
            got = kOk;
        } else if (!r.ok() && plan.timeout.count() > 0 &&
                   (r.error->kind == MODRT_ERR_TIMEOUT || r.error->kind == MODRT_ERR_CANCELED)) {
            got = kCutShort;
            cut_short_.fetch_add(1, std::memory_order_relaxed);
        } else if (unexpected_.fetch_add(1) == 0) {
            std::lock_guard lock(mutex_);
            first_ = "call " + std::to_string(seq) + " (" + plan.id +
                     "): " + (r.ok() ? "wrong result" : std::to_string(r.error->kind) + " " + r.error->message);
        }
        outcomes_[seq].store(got);
    }

    Runtime& rt_;
    std::unique_ptr<std::atomic<uint8_t>[]> outcomes_;
    std::unique_ptr<std::atomic<uint8_t>[]> seen_;  // returns per root call: exactly one
    std::atomic<uint64_t> unexpected_{0};
    std::atomic<uint64_t> cut_short_{0};
    std::mutex mutex_;
    std::string first_;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double mib(int64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

TEST(Soak, EveryCallCompletesExactlyOnceMemorySettlesNoThreadLeft) {
    const int64_t calls = calls_to_make();
    ASSERT_GT(calls, 0);
    ResetFn reset = nullptr;
    SoakState& state = native_state(&reset);
    reset(calls);

    const size_t threads_before = thread_count();
    auto rt = std::make_unique<Runtime>(RuntimeOptions{.plugin_path = {fs::path(MODRT_TEST_PLUGIN_DIR)},
                                                       .source_roots = {fs::path(SOAK_NATIVE_LIB).parent_path()}});
    fs::path dir = fs::path(SOAK_SCRATCH_DIR) / ("soak." + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "registry.yaml") << registry_yaml(SOAK_NATIVE_LIB);
    auto errors = rt->load(dir);
    ASSERT_TRUE(errors.empty()) << errors.front().format();

    // Warm-up: pools reach their size, per-thread caches and allocator arenas fill.
    Soak soak(*rt, calls);
    const int64_t warm = calls / 10;
    soak.run(0, warm);
    const int64_t rss_warm = rss_bytes();
    const size_t threads_running = thread_count();
    const uint64_t invocations_warm = state.invocations.load();

    auto start = std::chrono::steady_clock::now();
    const int64_t half = warm + (calls - warm) / 2;
    soak.run(warm, half);
    const int64_t rss_half = rss_bytes();
    soak.run(half, calls);
    const double secs = seconds_since(start);
    const int64_t rss_end = rss_bytes();
    const uint64_t invocations = state.invocations.load();

    rt.reset();  // drops whatever is still queued (finishing those futures) and joins every worker
    const bool threads_back =
        eventually([&] { return thread_count() <= threads_before; }, std::chrono::seconds(30));
    const size_t threads_after = thread_count();

    // Per-call bookkeeping, now that nothing can run any more.
    int64_t lost = 0, doubled = 0, ran_twice = 0, ok_but_not_run = 0, children = 0, children_bad = 0;
    for (int64_t seq = 0; seq < calls; ++seq) {
        if (soak.times_seen(seq) == 0) ++lost;
        if (soak.times_seen(seq) > 1) ++doubled;
        uint8_t runs = state.runs[seq].load();
        if (runs > 1) ++ran_twice;
        if (soak.outcome(seq) == kOk && runs != 1) ++ok_but_not_run;
        for (int64_t i = 0; i < kMaxChildren; ++i) {
            int64_t slot = seq * kMaxChildren + i;
            uint8_t s = state.child_state[slot].load(), done = state.child_done[slot].load(),
                    ran = state.child_runs[slot].load();
            bool started = (s & kChildStarted) != 0;
            children += started;
            bool good = started ? done == 1 && ran <= 1 && ((s & kChildWaited) == 0 || ran == 1)
                                : done == 0 && ran == 0;
            children_bad += !good;
        }
    }

    const double rate = static_cast<double>(calls - warm) / secs;
    std::printf("[soak] %lld root calls (%lld after a %lld-call warm-up) from %d threads in %.2f s: %.0f calls/s\n",
                static_cast<long long>(calls), static_cast<long long>(calls - warm), static_cast<long long>(warm),
                kCallers, secs, rate);
    std::printf("[soak] %llu function runs in all (%.0f/s: nested, async children and roots); %llu async children; "
                "%llu root calls cut short by their deadline\n",
                static_cast<unsigned long long>(invocations),
                static_cast<double>(invocations - invocations_warm) / secs, static_cast<unsigned long long>(children),
                static_cast<unsigned long long>(soak.cut_short()));
    std::printf("[soak] RSS after warm-up %.1f MiB, halfway %.1f MiB, end %.1f MiB (%+.1f MiB)\n", mib(rss_warm),
                mib(rss_half), mib(rss_end), mib(rss_end - rss_warm));
    std::printf("[soak] threads before the runtime %zu, while running %zu, after it %zu\n", threads_before,
                threads_running, threads_after);
    std::fflush(stdout);

    EXPECT_EQ(soak.unexpected(), 0u) << soak.first_unexpected();
    EXPECT_EQ(state.problems.load(), 0u) << state.first_problem;
    EXPECT_EQ(lost, 0) << "root calls that never returned";
    EXPECT_EQ(doubled, 0) << "root calls that returned twice";
    EXPECT_EQ(ran_twice, 0) << "functions that ran twice for one call";
    EXPECT_EQ(ok_but_not_run, 0) << "results delivered for functions that did not run exactly once";
    EXPECT_EQ(children_bad, 0) << "async children not finished exactly once (of " << children << ")";
    EXPECT_GT(children, 0);
    EXPECT_GT(soak.cut_short(), 0u) << "no deadline ever cut a call short: the mix lost its cancellations";
    // Settling: after the warm-up nothing grows per call. 8 MiB allows for allocator arenas
    // and caches settling (measured: +0.2 MiB over 900,000 calls) yet catches a leak of
    // 16 bytes a call (14 MiB over 900,000 calls). Sanitizer runtimes grow metadata per
    // allocation (CMakeLists.txt), so there the figures are printed but not judged.
#if SOAK_CHECK_RSS
    EXPECT_LT(rss_end - rss_warm, int64_t{8} * 1024 * 1024) << "RSS kept growing after the warm-up";
#endif
    EXPECT_TRUE(threads_back) << "threads before=" << threads_before << " after=" << threads_after;
}

}  // namespace
}  // namespace soak
