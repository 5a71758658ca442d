// The decision logic of pool.adaptive: observed samples in, a worker limit out.
// No threads, no clocks, no SDK: the pool feeds it one Sample per control tick,
// and tests feed it synthetic ones. README.md explains the algorithm.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace modrt::adaptive {

/// What the pool looked like over one control tick.
struct Sample {
    double seconds = 0;        // wall time the tick covered
    uint64_t completed = 0;    // calls finished during it
    double cpu_seconds = 0;    // CPU time the pool's worker threads used during it
    size_t peak_busy = 0;      // most workers seen running a call at once (over the tick's looks)
    double waiting = 0;        // share of the tick's looks that found calls queued, 0..1
    size_t queued = 0;         // most calls seen queued at one look
    double machine_idle = -1;  // share of the machine's CPU time left idle during it, 0..1; < 0: unknown
};

struct ControllerConfig {
    size_t min_size = 1;
    size_t max_size = 16;
    double cores = 2;   // CPUs the process may use
    uint64_t seed = 1;  // for the cooldown jitter (fixed in tests)
};

/// Hybrid controller: demand and CPU signals propose a change, a throughput
/// comparison (hill climbing) decides whether it stays.
class Controller {
public:
    // -- constants (README.md gives the reasons) --
    static constexpr double kPressure = 0.5;         // queue seen non-empty in at least half the looks
    static constexpr double kCpuSaturated = 0.75;    // workers use >= 75% of all cores: CPU-bound
    static constexpr double kBlocked = 0.15;         // a busy worker on < 15% of a core is mostly blocked
    static constexpr double kMachineIdle = 0.10;     // below 10% idle CPU the machine is full: only blocked calls grow
    static constexpr double kMinGain = 0.05;         // a change must move throughput by more than 5% ...
    static constexpr double kNoiseFactor = 3.0;      // ... and by more than 3x the measured tick-to-tick noise
    static constexpr double kEfficiency = 0.2;       // a grow must earn 20% of what it would if calls scaled perfectly
    static constexpr uint64_t kMinCompletions = 32;  // a verdict needs this many calls at the new limit ...
    static constexpr int kMaxProbeTicks = 10;        // ... or this many ticks, whichever comes first
    static constexpr int kIdleTicks = 3;             // ticks with spare workers before shrinking
    static constexpr int kCooldownBase = 2;          // ticks after a first rejected change ...
    static constexpr int kCooldownMax = 50;          // ... doubling per rejection, capped, +-25% jitter
    static constexpr double kMinStep = 0.25;         // a grow adds at least 25% (a smaller gain drowns in noise)

    explicit Controller(ControllerConfig config);

    size_t limit() const { return limit_; }
    /// Feed one tick; returns the limit to apply now (often the current one).
    size_t update(const Sample& s);
    /// What the last update decided and why ("grow 4->8 (blocked)", "keep 8", ...).
    const std::string& reason() const { return reason_; }
    /// A change is being measured.
    bool probing() const { return probe_.active; }
    int cooldown() const { return cooldown_; }

private:
    struct Probe {
        bool active = false;
        bool grow = false;
        size_t from = 0;
        double baseline = 0;  // calls/s at `from`
        int ticks = 0;
        uint64_t completed = 0;
        double seconds = 0;
        double cpu_seconds = 0;
        double waiting = 0;  // sum of the ticks' Sample::waiting
    };

    /// Finish the probe if it has seen enough; returns true when the tick is used up.
    bool judge(const Sample& s);
    void start(size_t to, bool grow, const char* why);
    void set_level(double rate);
    void reject();
    double jitter();

    ControllerConfig config_;
    size_t limit_;
    double level_ = 0;     // throughput EMA at the current limit (calls/s)
    int level_ticks_ = 0;  // ticks seen at the current limit
    double noise_ = 0.05;  // EMA of |tick - level| / level at a steady limit
    Probe probe_;
    int cooldown_ = 0;      // ticks before the next probe may start
    int failures_ = 0;      // rejected changes in a row
    int idle_run_ = 0;      // consecutive ticks with spare workers
    size_t idle_peak_ = 0;  // most busy workers seen during that run
    uint64_t rng_;
    std::string reason_;
};

}  // namespace modrt::adaptive
