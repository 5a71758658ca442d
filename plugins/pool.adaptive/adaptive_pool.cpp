// pool.adaptive: a worker pool whose size a controller thread adjusts every
// `interval` to get the most calls per second out of the current load: it adds
// workers while calls wait and the busy workers are blocked (sleep, I/O), stops
// at what the CPUs can feed, keeps a change only if throughput rose, and sheds
// workers that stay idle. README.md explains the algorithm.
//   pool: {type: adaptive, max_size: 256, min_size: 1, buffer: 16384, interval: 100ms}
#include "controller.hpp"
#include "worker_pool.hpp"

#include <sched.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

namespace {

using namespace std::chrono_literals;

constexpr size_t kDefaultMaxSize = 16;   // Wippy's default
constexpr size_t kBufferPerWorker = 64;  // Wippy's queue = max x 64
constexpr std::chrono::milliseconds kDefaultInterval{100};
constexpr std::chrono::milliseconds kMinInterval{10};
constexpr int kLooksPerTick = 10;  // queue/busy looks per tick

struct Options {
    modrt::pools::WorkerPoolConfig pool;
    std::chrono::milliseconds interval{};
};

Options read_options(modrt::ValueView options) {
    modrt::pools::check_fields(options, {"max_size", "min_size", "buffer", "interval"}, "pool.adaptive");
    Options o;
    o.pool.name = "pool.adaptive";
    o.pool.max_workers = modrt::pools::read_count(options, "max_size", kDefaultMaxSize, 1);
    o.pool.min_workers = modrt::pools::read_count(options, "min_size", 1, 1);
    if (o.pool.min_workers > o.pool.max_workers)
        throw modrt::Failure(modrt::Error(MODRT_ERR_INVALID, "'min_size' (" + std::to_string(o.pool.min_workers) +
                                                                 ") must not exceed 'max_size' (" +
                                                                 std::to_string(o.pool.max_workers) + ")")
                                 .set_field("min_size"));
    o.pool.queue_capacity = modrt::pools::read_count(options, "buffer", o.pool.max_workers * kBufferPerWorker, 1);
    o.interval = modrt::pools::read_duration(options, "interval", kDefaultInterval);
    if (o.interval < kMinInterval)
        throw modrt::Failure(modrt::Error(MODRT_ERR_INVALID, "'interval' must be at least 10ms").set_field("interval"));
    return o;
}

/// Idle and total CPU time of the whole machine so far (Linux /proc/stat, in clock ticks).
bool machine_cpu(uint64_t& idle, uint64_t& total) {
    std::FILE* f = std::fopen("/proc/stat", "r");
    if (!f) return false;
    unsigned long long v[8] = {};  // user nice system idle iowait irq softirq steal
    int n = std::fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
                        &v[6], &v[7]);
    std::fclose(f);
    if (n < 4) return false;
    idle = v[3] + v[4];
    total = 0;
    for (auto x : v) total += x;
    return true;
}

double usable_cores() {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
    return std::max(1u, std::thread::hardware_concurrency());
}

class AdaptivePool final : public modrt::Pool {
public:
    AdaptivePool(const modrt::Host&, modrt::ValueView options) : AdaptivePool(read_options(options)) {}

    ~AdaptivePool() override {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        thread_.join();
        // pool_ (declared first) is destroyed last: queued calls dropped, workers joined.
    }

    modrt::Error submit(modrt_task* task) override { return pool_.submit(task); }
    void stats(modrt_pool_stats& out) override { pool_.stats(out); }

private:
    explicit AdaptivePool(const Options& o)
        : pool_(o.pool),
          interval_(o.interval),
          controller_({o.pool.min_workers, o.pool.max_workers, usable_cores(),
                       static_cast<uint64_t>(reinterpret_cast<uintptr_t>(this)) ^
                           static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())}) {
        pool_.set_limit(controller_.limit());
        thread_ = std::thread([this] { control_loop(); });
    }

    void control_loop() {
        using clock = std::chrono::steady_clock;
        auto tick_start = clock::now();
        uint64_t done_before = pool_.completed();
        auto cpu_before = pool_.cpu_time();
        uint64_t idle_before = 0, total_before = 0;
        bool have_machine = machine_cpu(idle_before, total_before);
        bool quiet = true;  // idle at the floor: one look per tick is enough
        std::unique_lock lock(mutex_);
        for (;;) {
            int looks = quiet ? 1 : kLooksPerTick;
            auto pause = std::chrono::duration_cast<std::chrono::microseconds>(interval_) / looks;
            size_t peak_busy = 0, waiting = 0, queued = 0;
            for (int i = 0; i < looks; ++i) {
                if (wake_.wait_for(lock, pause, [this] { return stop_; })) return;
                size_t q = pool_.queued();
                peak_busy = std::max(peak_busy, pool_.busy());
                waiting += q > 0 ? 1 : 0;
                queued = std::max(queued, q);
            }
            auto now = clock::now();
            uint64_t done = pool_.completed();
            auto cpu = pool_.cpu_time();
            modrt::adaptive::Sample s;
            s.seconds = std::chrono::duration<double>(now - tick_start).count();
            s.completed = done - done_before;
            s.cpu_seconds = std::chrono::duration<double>(cpu - cpu_before).count();
            s.peak_busy = peak_busy;
            s.waiting = static_cast<double>(waiting) / looks;
            s.queued = queued;
            uint64_t idle = 0, total = 0;
            if (have_machine && machine_cpu(idle, total)) {
                if (total > total_before && idle >= idle_before)
                    s.machine_idle = static_cast<double>(idle - idle_before) /
                                     static_cast<double>(total - total_before);
                idle_before = idle;
                total_before = total;
            }
            tick_start = now;
            done_before = done;
            cpu_before = cpu;

            size_t before = controller_.limit();
            size_t after = controller_.update(s);
            if (after != before) pool_.set_limit(after);
            bool verdict = controller_.reason().rfind("keep", 0) == 0;
            if ((after != before || verdict) && host_api_log_enabled())
                modrt::log(MODRT_LOG_DEBUG, "pool.adaptive",
                           controller_.reason() + " [" + std::to_string(s.completed) + " calls, cpu " +
                               std::to_string(static_cast<int>(100 * s.cpu_seconds / s.seconds)) + "%, machine idle " +
                               std::to_string(static_cast<int>(100 * s.machine_idle)) + "%, busy " +
                               std::to_string(peak_busy) + ", queued " + std::to_string(pool_.queued()) + "]");
            quiet = s.completed == 0 && peak_busy == 0 && waiting == 0 && after == pool_.config().min_workers;
        }
    }

    static bool host_api_log_enabled() { return modrt::host_api().log_enabled(MODRT_LOG_DEBUG) != 0; }

    modrt::pools::WorkerPool pool_;
    std::chrono::milliseconds interval_;
    modrt::adaptive::Controller controller_;  // touched by the controller thread only (after construction)
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace

MODRT_PLUGIN("pool.adaptive", "0.1.0", modrt::provide_pool<AdaptivePool>("pool.adaptive"))
