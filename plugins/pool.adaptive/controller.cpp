#include "controller.hpp"

#include <algorithm>
#include <cmath>

namespace modrt::adaptive {

Controller::Controller(ControllerConfig config) : config_(config), rng_(config.seed | 1) {
    config_.min_size = std::max<size_t>(1, config_.min_size);
    config_.max_size = std::max(config_.max_size, config_.min_size);
    config_.cores = std::max(1.0, config_.cores);
    limit_ = config_.min_size;
}

double Controller::jitter() {  // xorshift64: 0.75 .. 1.25
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 7;
    rng_ ^= rng_ << 17;
    return 0.75 + 0.5 * static_cast<double>(rng_ >> 11) / static_cast<double>(1ull << 53);
}

void Controller::set_level(double rate) {
    if (level_ticks_ > 0 && level_ > 0) {
        double deviation = std::min(1.0, std::abs(rate - level_) / level_);
        noise_ = 0.8 * noise_ + 0.2 * deviation;
        level_ = 0.7 * level_ + 0.3 * rate;
    } else {
        level_ = rate;
    }
    ++level_ticks_;
}

void Controller::start(size_t to, bool grow, const char* why) {
    probe_ = Probe{};
    probe_.active = true;
    probe_.grow = grow;
    probe_.from = limit_;
    probe_.baseline = level_;
    reason_ += std::string(reason_.empty() ? "" : "; ") + (grow ? "grow " : "shrink ") + std::to_string(limit_) + "->" +
               std::to_string(to) + " (" + why + ")";
    limit_ = to;
}

void Controller::reject() {
    ++failures_;
    int base = std::min(kCooldownMax, kCooldownBase << std::min(failures_ - 1, 10));
    cooldown_ = std::max(1, static_cast<int>(std::lround(base * jitter())));
}

bool Controller::judge(const Sample& s) {
    Probe& p = probe_;
    ++p.ticks;
    p.completed += s.completed;
    p.seconds += s.seconds;
    p.cpu_seconds += s.cpu_seconds;
    p.waiting += s.waiting;
    if (p.completed < kMinCompletions && p.ticks < kMaxProbeTicks) {
        reason_ = "measuring " + std::to_string(limit_);
        return true;
    }
    double rate = static_cast<double>(p.completed) / p.seconds;
    double gain = p.baseline > 0 ? rate / p.baseline - 1 : (rate > 0 ? 1e9 : 0);
    bool blocked = p.cpu_seconds / p.seconds / static_cast<double>(limit_) < kBlocked;  // workers mostly wait
    bool kept;
    if (p.completed < kMinCompletions) {
        // Too few calls to tell (slow calls). More workers that mostly wait cost
        // little and may be what such calls need; anything else goes back.
        kept = p.grow && blocked;
    } else {
        double threshold = std::max({kMinGain, kNoiseFactor * noise_, 1.0 / std::sqrt(double(p.completed))});
        if (p.grow) {
            double ideal = static_cast<double>(limit_) / static_cast<double>(p.from) - 1;
            kept = gain > std::max(threshold, kEfficiency * ideal);
            // Blocked calls that no longer queue: the new workers mostly wait, so they cost
            // little, and no call waits for a worker any more. When something else limits the
            // rate (the callers themselves, or the CPUs they share with the pool), throughput
            // stays flat, and reverting would only bring the queue back: 64 callers of a 1 ms
            // sleep on 2 cores swung 32 -> 64 -> 32 on flat throughput, at 0.85-0.93x a static pool.
            bool queue_gone = p.waiting / p.ticks < kPressure;
            // "Flat" is judged without the noise allowance, which starts wide (the first climb).
            if (!kept && blocked && queue_gone && gain > -kMinGain) kept = true;
        } else {
            kept = gain > -threshold;  // fewer workers and no real loss: they only added contention
        }
    }
    p.active = false;
    std::string pct = p.baseline > 0 ? std::to_string(static_cast<int>(std::lround(gain * 100))) + "%" : "n/a";
    if (kept) {
        if (p.grow) failures_ = 0;
        level_ = rate;
        level_ticks_ = 1;
        reason_ = "keep " + std::to_string(limit_) + " (throughput " + pct + ")";
        return false;  // the tick was spent at the new limit: decide the next step from it
    }
    reason_ = "revert " + std::to_string(limit_) + "->" + std::to_string(p.from) + " (throughput " + pct + ")";
    limit_ = p.from;
    level_ = p.baseline;
    level_ticks_ = 1;
    reject();
    return true;
}

size_t Controller::update(const Sample& s) {
    reason_.clear();
    if (s.seconds <= 0) return limit_;
    if (probe_.active) {
        if (judge(s)) return limit_;
    } else {
        set_level(static_cast<double>(s.completed) / s.seconds);
        if (cooldown_ > 0) --cooldown_;
    }
    auto append = [&](const std::string& what) { reason_ += (reason_.empty() ? "" : "; ") + what; };

    // Spare workers: shrink once they have been spare for a few ticks, halving the surplus.
    bool spare = s.waiting <= 0 && s.peak_busy + 1 < limit_;
    if (spare) {
        ++idle_run_;
        idle_peak_ = std::max(idle_peak_, s.peak_busy);
    } else {
        idle_run_ = 0;
        idle_peak_ = 0;
    }
    if (idle_run_ >= kIdleTicks && limit_ > config_.min_size) {
        size_t floor = std::max(config_.min_size, idle_peak_ + 1);
        size_t step = std::max<size_t>(1, (limit_ - floor + 1) / 2);
        size_t to = std::max(floor, limit_ - step);
        append("shrink " + std::to_string(limit_) + "->" + std::to_string(to) + " (idle)");
        limit_ = to;
        level_ticks_ = 0;
        idle_run_ = 0;
        idle_peak_ = 0;
        failures_ = 0;  // the load has changed: the next climb starts afresh
        cooldown_ = 0;
        return limit_;
    }

    bool pressure = s.waiting >= kPressure && s.peak_busy >= limit_;
    if (!pressure) return limit_;
    if (cooldown_ > 0) {
        append("cooldown " + std::to_string(cooldown_));
        return limit_;
    }

    double cores = config_.cores;
    double cpu = s.cpu_seconds / s.seconds;  // cores the workers kept busy
    if (cpu >= kCpuSaturated * cores) {
        // CPU-bound: more workers cannot help; if there are more than cores, try fewer.
        size_t floor = std::max(config_.min_size, static_cast<size_t>(std::ceil(cores)));
        if (limit_ > floor) start(limit_ - std::max<size_t>(1, (limit_ - floor) / 2), false, "cpu saturated");
        else append("cpu-bound");
        return limit_;
    }
    if (limit_ >= config_.max_size) return limit_;
    // How many workers the cores can feed at this CPU share per busy worker.
    double per_worker = cpu / static_cast<double>(limit_);
    double fed = per_worker > 0 ? cores / per_worker + 0.25 : static_cast<double>(config_.max_size);
    size_t cap = static_cast<size_t>(std::min(fed, static_cast<double>(config_.max_size)));
    bool blocked = per_worker < kBlocked;
    if (!blocked && s.machine_idle >= 0 && s.machine_idle < kMachineIdle) {
        append("cpu-bound (machine busy)");  // other threads or processes hold the CPUs
        return limit_;
    }
    size_t step = std::max(
        {s.queued, static_cast<size_t>(std::ceil(kMinStep * static_cast<double>(limit_))), size_t{1}});
    size_t to = std::min({config_.max_size, cap, 2 * limit_, limit_ + step});
    if (to <= limit_) {
        append("cpu-bound");
        return limit_;
    }
    start(to, true, blocked ? "blocked" : "queued");
    return limit_;
}

}  // namespace modrt::adaptive
