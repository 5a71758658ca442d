// The pool.adaptive controller on synthetic samples: a small closed-loop load
// model stands in for the pool, so each decision is checked without threads.
#include "controller.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace {

using modrt::adaptive::Controller;
using modrt::adaptive::ControllerConfig;
using modrt::adaptive::Sample;

/// `clients` callers, each with one call in flight at a time.
struct Load {
    int clients = 0;
    double cpu_ms = 0;       // CPU each call needs
    double block_ms = 0;     // time each call waits without CPU (sleep, I/O)
    double cpu_avail = 2;    // cores the workers can actually get
    double contention = 0;   // throughput lost per running worker beyond cpu_avail (0.03 = 3%)
    double noise = 0;        // +- relative noise on each tick's throughput
    bool idle_known = true;  // the machine's idle CPU is reported (Linux /proc/stat)
    double rate_cap = 0;     // calls/s the callers can make at most, however many workers (0: no cap)
};

constexpr double kCores = 2;  // the simulated machine; other processes use kCores - cpu_avail

class Sim {
public:
    explicit Sim(ControllerConfig config, double tick = 0.1) : ctl(config), tick_(tick), rng_(42) {}

    Sample sample(const Load& l, size_t limit) {
        double running = std::min<double>(static_cast<double>(limit), l.clients);
        double per_call = (l.cpu_ms + l.block_ms) / 1000;
        double rate = per_call > 0 ? running / per_call : 0;
        if (l.cpu_ms > 0) rate = std::min(rate, l.cpu_avail / (l.cpu_ms / 1000));
        if (running > l.cpu_avail) rate *= std::max(0.3, 1 - l.contention * (running - l.cpu_avail));
        if (l.rate_cap > 0) rate = std::min(rate, l.rate_cap);
        rate *= 1 + l.noise * std::uniform_real_distribution<double>(-1, 1)(rng_);
        Sample s;
        s.seconds = tick_;
        s.completed = static_cast<uint64_t>(rate * tick_);
        // Runnable workers keep the CPUs busy even when contention wastes part of it.
        double share = per_call > 0 ? l.cpu_ms / 1000 / per_call : 0;
        double used = rate > 0 ? std::min(l.cpu_avail, running * share) : 0;
        s.cpu_seconds = used * tick_;
        s.machine_idle = l.idle_known ? std::max(0.0, l.cpu_avail - used) / kCores : -1;
        s.peak_busy = static_cast<size_t>(running);
        s.waiting = l.clients > static_cast<int>(limit) ? 1.0 : 0.0;
        s.queued = l.clients > static_cast<int>(limit) ? static_cast<size_t>(l.clients) - limit : 0;
        return s;
    }

    /// Run `ticks` ticks of `l`; returns the limit at the end. history gets every tick's limit.
    size_t run(const Load& l, int ticks) {
        for (int i = 0; i < ticks; ++i) {
            size_t before = ctl.limit();
            size_t after = ctl.update(sample(l, before));
            if (after != before) ++changes;
            history.push_back(after);
        }
        return ctl.limit();
    }

    /// Ticks (from `from` on) at which the limit was `n`, as a share of those ticks.
    double share_at(size_t n, size_t from) const {
        size_t hit = 0;
        for (size_t i = from; i < history.size(); ++i) hit += history[i] == n ? 1 : 0;
        return static_cast<double>(hit) / static_cast<double>(history.size() - from);
    }

    /// The first tick at which the limit reached `n`, or -1.
    int first_at_least(size_t n) const {
        for (size_t i = 0; i < history.size(); ++i)
            if (history[i] >= n) return static_cast<int>(i);
        return -1;
    }

    Controller ctl;
    std::vector<size_t> history;
    int changes = 0;

private:
    double tick_;
    std::mt19937_64 rng_;
};

const Load kBlocking64{.clients = 64, .cpu_ms = 0.02, .block_ms = 1};  // the adaptive_blocking bench
const Load kCpu4{.clients = 4, .cpu_ms = 0.01, .contention = 0.03};    // BM_Throughput/adaptive
const Load kIdle{};

TEST(AdaptiveController, StartsAtMinSize) {
    EXPECT_EQ(Controller({.min_size = 3, .max_size = 16}).limit(), 3u);
    EXPECT_EQ(Controller({.min_size = 0, .max_size = 16}).limit(), 1u);    // never below one worker
    EXPECT_EQ(Controller({.min_size = 20, .max_size = 16}).limit(), 20u);  // max follows a larger min
}

TEST(AdaptiveController, BlockedCallsGrowQuicklyToTheCallers) {
    Sim sim({.min_size = 1, .max_size = 128, .cores = kCores});
    sim.run(kBlocking64, 30);
    EXPECT_EQ(sim.ctl.limit(), 64u);  // one worker per caller: nothing waits any more
    int reached = sim.first_at_least(64);
    ASSERT_GE(reached, 0);
    EXPECT_LE(reached, 14) << "1 -> 64 should take a doubling per verified step";
    EXPECT_EQ(sim.share_at(64, 20), 1.0) << "no waiting calls: no reason to move";
}

TEST(AdaptiveController, BlockedGrowthThatEndsTheQueueStaysWhenThroughputIsFlat) {
    // The callers cannot make more than 24k calls/s (their own CPU on 2 cores): 32 workers
    // already carry that, with calls queued; 64 carry the same with none queued.
    Load capped = kBlocking64;
    capped.rate_cap = 24000;
    capped.noise = 0.05;
    Sim sim({.min_size = 1, .max_size = 128, .cores = kCores});
    sim.run(capped, 60);
    EXPECT_EQ(sim.ctl.limit(), 64u);
    EXPECT_EQ(sim.share_at(64, 30), 1.0) << "reverting to 32 brings the queue back";
}

TEST(AdaptiveController, BlockedGrowthThatLosesThroughputIsReverted) {
    // Each running worker beyond the cores costs 5% of throughput (contention): 8 -> 16
    // loses 14%, so the grow goes back even though it ended the queue.
    Load crowded{.clients = 16, .cpu_ms = 0.02, .block_ms = 1, .contention = 0.05};
    Sim sim({.min_size = 8, .max_size = 16, .cores = kCores});
    sim.run(crowded, 60);
    EXPECT_EQ(sim.ctl.limit(), 8u);
    EXPECT_GE(sim.share_at(8, 5), 0.8);
}

TEST(AdaptiveController, BlockedGrowthStopsAtMaxSize) {
    Sim sim({.min_size = 1, .max_size = 16, .cores = kCores});
    EXPECT_EQ(sim.run(kBlocking64, 30), 16u);
    EXPECT_EQ(sim.share_at(16, 15), 1.0);
}

TEST(AdaptiveController, SlowBlockedCallsStillGrow) {
    // 1 s calls: a tick sees almost no completions, so verdicts are inconclusive;
    // blocked workers are cheap, so the grows stay.
    Sim sim({.min_size = 1, .max_size = 16, .cores = kCores});
    EXPECT_EQ(sim.run({.clients = 8, .cpu_ms = 1, .block_ms = 1000}, 80), 8u);
}

TEST(AdaptiveController, CpuBoundLoadSettlesAtTheCores) {
    Sim sim({.min_size = 1, .max_size = 16, .cores = kCores});
    sim.run(kCpu4, 200);
    EXPECT_EQ(sim.ctl.limit(), 2u);
    EXPECT_EQ(sim.share_at(2, 5), 1.0) << "saturated CPUs: no probing above the cores";
}

TEST(AdaptiveController, BusyMachineStopsCpuBoundGrowth) {
    // Other processes hold 0.6 of the 2 cores: the workers never reach the
    // saturation mark themselves, but the machine has no idle CPU left.
    Load busy_machine = kCpu4;
    busy_machine.cpu_avail = 1.4;
    Sim sim({.min_size = 1, .max_size = 16, .cores = kCores});
    sim.run(busy_machine, 100);
    EXPECT_EQ(sim.ctl.limit(), 2u);
    EXPECT_EQ(sim.share_at(2, 2), 1.0);
    EXPECT_EQ(sim.changes, 1);
}

TEST(AdaptiveController, NoGainMeansRevertWithGrowingCooldown) {
    // The same busy machine where its idle CPU cannot be read: the CPU never looks
    // saturated, but a third worker adds nothing. Each probe is reverted and the
    // next one waits longer.
    Load busy_machine = kCpu4;
    busy_machine.cpu_avail = 1.4;
    busy_machine.idle_known = false;
    Sim sim({.min_size = 1, .max_size = 16, .cores = kCores, .seed = 7});
    std::vector<int> cooldowns;
    for (int i = 0; i < 300; ++i) {
        int before = sim.ctl.cooldown();
        sim.run(busy_machine, 1);
        if (sim.ctl.cooldown() > before + 1) cooldowns.push_back(sim.ctl.cooldown());
    }
    EXPECT_EQ(sim.ctl.limit(), 2u);
    EXPECT_GE(sim.share_at(2, 10), 0.9);
    ASSERT_GE(cooldowns.size(), 4u);
    EXPECT_LE(cooldowns.size(), 14u);
    EXPECT_GT(cooldowns[3], cooldowns[0]);
    for (int c : cooldowns) EXPECT_LE(c, static_cast<int>(Controller::kCooldownMax * 1.25) + 1);
}

TEST(AdaptiveController, ExtraWorkersOnSaturatedCpusAreShed) {
    // Grow on blocked calls, then the same callers turn CPU-bound: workers beyond
    // the cores only add contention, so the controller halves down to them.
    Sim sim({.min_size = 1, .max_size = 16, .cores = kCores});
    ASSERT_EQ(sim.run(kBlocking64, 20), 16u);
    sim.run({.clients = 64, .cpu_ms = 0.05, .contention = 0.03}, 30);
    EXPECT_EQ(sim.ctl.limit(), 2u);
}

TEST(AdaptiveController, ShrinkThatCostsThroughputIsReverted) {
    // Half CPU, half blocked: on 2 cores about 4 workers saturate the CPU. A probe
    // down to 2 loses throughput and goes back.
    Sim sim({.min_size = 1, .max_size = 16, .cores = kCores});
    sim.run({.clients = 32, .cpu_ms = 1, .block_ms = 1, .contention = 0.01}, 150);
    EXPECT_GE(sim.ctl.limit(), 4u);
    EXPECT_LE(sim.ctl.limit(), 8u);
    EXPECT_LT(sim.share_at(2, 50), 0.1);
}

TEST(AdaptiveController, IdleShrinksToMinSize) {
    Sim sim({.min_size = 1, .max_size = 16, .cores = kCores});
    ASSERT_EQ(sim.run(kBlocking64, 20), 16u);
    sim.run(kIdle, 20);  // 2 s
    EXPECT_EQ(sim.ctl.limit(), 1u);

    Sim floor({.min_size = 3, .max_size = 16, .cores = kCores});
    ASSERT_EQ(floor.run(kBlocking64, 20), 16u);
    EXPECT_EQ(floor.run(kIdle, 40), 3u);
}

TEST(AdaptiveController, LighterLoadShrinksToWhatItUses) {
    Sim sim({.min_size = 1, .max_size = 32, .cores = kCores});
    ASSERT_EQ(sim.run(kBlocking64, 30), 32u);
    // 6 callers now: 32 workers are mostly spare; keep one spare above the peak.
    Load six = kBlocking64;
    six.clients = 6;
    size_t end = sim.run(six, 40);
    EXPECT_GE(end, 6u);
    EXPECT_LE(end, 7u);
}

TEST(AdaptiveController, NoiseDoesNotCauseFlapping) {
    // +-15% throughput noise on a load that 8 workers serve fully (8 callers):
    // once there, nothing waits, so nothing moves.
    Sim sim({.min_size = 1, .max_size = 16, .cores = kCores});
    Load noisy{.clients = 8, .cpu_ms = 0.05, .block_ms = 5, .noise = 0.15};
    sim.run(noisy, 300);
    EXPECT_EQ(sim.ctl.limit(), 8u);
    EXPECT_LE(sim.changes, 6);

    // +-10% noise on CPU-bound work that cannot use a third worker (busy machine):
    // random "gains" must not walk the limit upwards.
    Load cpu_noisy = kCpu4;
    cpu_noisy.cpu_avail = 1.4;
    cpu_noisy.noise = 0.10;
    cpu_noisy.idle_known = false;
    Sim cpu({.min_size = 1, .max_size = 16, .cores = kCores, .seed = 3});
    cpu.run(cpu_noisy, 300);
    EXPECT_LE(cpu.ctl.limit(), 3u);
    EXPECT_GE(cpu.share_at(2, 20), 0.85);
    EXPECT_LE(*std::max_element(cpu.history.begin(), cpu.history.end()), 4u);
    EXPECT_LE(cpu.changes, 30);
}

TEST(AdaptiveController, EmptyTickChangesNothing) {
    Controller ctl({.min_size = 2, .max_size = 8});
    EXPECT_EQ(ctl.update(Sample{}), 2u);
    EXPECT_EQ(ctl.update(Sample{.seconds = 0.1}), 2u);
}

}  // namespace
