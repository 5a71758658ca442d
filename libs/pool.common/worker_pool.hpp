// The worker-thread machinery shared by the threaded pool plugins (static,
// lazy, adaptive). Not a plugin itself: a static library each pool plugin
// links, built against the SDK only.
#pragma once

#include <modrt/sdk.hpp>

#include <initializer_list>
#include <string_view>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <pthread.h>
#include <vector>

namespace modrt::pools {

/// How a WorkerPool sizes itself.
struct WorkerPoolConfig {
    std::string name = "pool";                  // for errors and logs: "pool.static"
    size_t min_workers = 1;                     // kept alive while idle
    size_t max_workers = 1;                     // never more threads than this
    size_t queue_capacity = 256;                // queued (not yet running) tasks; beyond it submit fails
    std::chrono::milliseconds idle_timeout{0};  // a worker above min_workers idle this long exits; 0: never
    std::chrono::microseconds spin{20};         // a worker spins this long for new work before parking
};

/// Native stack of every pool worker thread. std::thread would take the process
/// default, which follows `ulimit -s`; function.lua keeps 256 KiB of it free
/// whatever runs (its C stack guard), so calls get the rest for recursion.
inline constexpr size_t kWorkerStackSize = size_t{8} << 20;

/// A joinable thread with a stack of kWorkerStackSize bytes.
class WorkerThread {
public:
    /// Starts `body`; throws std::system_error when the thread cannot be created.
    explicit WorkerThread(std::function<void()> body);
    WorkerThread(WorkerThread&& other) noexcept : handle_(other.handle_), joinable_(other.joinable_) {
        other.joinable_ = false;
    }
    WorkerThread& operator=(WorkerThread&& other) noexcept;
    WorkerThread(const WorkerThread&) = delete;
    WorkerThread& operator=(const WorkerThread&) = delete;
    ~WorkerThread();  // joins a thread nobody joined

    void join();
    pthread_t native_handle() const noexcept { return handle_; }
    bool is(pthread_t id) const noexcept { return joinable_ && pthread_equal(handle_, id) != 0; }

private:
    pthread_t handle_{};
    bool joinable_ = false;
};

/// A queue of tasks served by a variable number of worker threads.
class WorkerPool {
public:
    explicit WorkerPool(WorkerPoolConfig config);
    /// Drops queued tasks (CANCELED), lets running ones finish, joins every thread.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Accept a task (modrt_pool_api.submit semantics).
    modrt::Error submit(modrt_task* task);
    void stats(modrt_pool_stats& out) const;

    /// Change how many workers may run (adaptive pools): at least 1, at most max_workers.
    /// Extra workers exit when they finish their current task; new ones start on demand.
    void set_limit(size_t workers);
    size_t limit() const { return limit_.load(std::memory_order_relaxed); }
    /// Tasks run to the end so far (monotonic; for controllers).
    uint64_t completed() const { return completed_.load(std::memory_order_relaxed); }
    size_t queued() const { return queued_.load(std::memory_order_relaxed); }
    size_t busy() const { return busy_.load(std::memory_order_relaxed); }
    size_t workers() const { return workers_.load(std::memory_order_relaxed); }
    /// CPU time used so far by this pool's worker threads, live and exited (monotonic;
    /// for controllers: busy workers that use little CPU are blocked, not computing).
    /// Takes the pool lock and reads one clock per live worker: call it per tick, not per task.
    std::chrono::nanoseconds cpu_time() const;
    const WorkerPoolConfig& config() const { return config_; }

private:
    void start_worker_locked();
    void worker_main();
    void run(modrt_task* task);
    /// Join threads that have left their loop (outside the lock).
    void reap();

    WorkerPoolConfig config_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<modrt_task*> queue_;
    std::vector<WorkerThread> threads_;  // every thread ever started and not yet joined
    std::vector<pthread_t> exited_;      // threads that left their loop, to join
    size_t parked_ = 0;                  // workers waiting on wake_
    size_t idle_ = 0;                    // workers spinning or parked: free to take a task
    bool stopping_ = false;
    int64_t exited_cpu_ = 0;  // CPU ns of workers that left their loop
    std::atomic<size_t> limit_;
    std::atomic<size_t> workers_{0};  // live workers
    std::atomic<size_t> busy_{0};
    std::atomic<size_t> queued_{0};
    std::atomic<uint64_t> completed_{0};
    std::atomic<uint64_t> rejected_{0};
};

/// A pool plugin that is just a WorkerPool configured from its options by `ReadConfig`.
template <WorkerPoolConfig (*ReadConfig)(modrt::ValueView)>
class ConfiguredPool final : public modrt::Pool {
public:
    ConfiguredPool(const modrt::Host&, modrt::ValueView options) : pool_(ReadConfig(options)) {}
    modrt::Error submit(modrt_task* task) override { return pool_.submit(task); }
    void stats(modrt_pool_stats& out) override { pool_.stats(out); }

private:
    WorkerPool pool_;
};

/// Read a non-negative integer option; throws modrt::Failure (INVALID, with the field) when it is not one.
size_t read_count(modrt::ValueView options, std::string_view field, size_t fallback, size_t min_value);
/// Read a duration option: integer milliseconds or a string like "30s", "500ms", "1m".
std::chrono::milliseconds read_duration(modrt::ValueView options, std::string_view field,
                                        std::chrono::milliseconds fallback);
/// Refuse any option not in `known` (INVALID naming the field).
void check_fields(modrt::ValueView options, std::initializer_list<std::string_view> known, std::string_view pool);

}  // namespace modrt::pools
