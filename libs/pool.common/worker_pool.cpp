#include "worker_pool.hpp"

#include <modrt/spin_governor.hpp>

#include <algorithm>
#include <charconv>
#include <memory>
#include <system_error>

#include <pthread.h>
#include <time.h>

namespace modrt::pools {

namespace {

// The pool whose worker the current thread is: a synchronous call from a worker
// into its own pool runs in place instead of queueing behind itself.
thread_local const WorkerPool* t_current_pool = nullptr;

int64_t thread_cpu_ns(clockid_t clock) {
    timespec ts{};
    if (clock_gettime(clock, &ts) != 0) return 0;
    return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void* thread_start(void* arg) {
    std::unique_ptr<std::function<void()>> body(static_cast<std::function<void()>*>(arg));
    (*body)();
    return nullptr;
}

}  // namespace

WorkerThread::WorkerThread(std::function<void()> body) {
    pthread_attr_t attr;
    if (int rc = pthread_attr_init(&attr); rc != 0)
        throw std::system_error(rc, std::generic_category(), "pthread_attr_init");
    auto owned = std::make_unique<std::function<void()>>(std::move(body));
    int rc = pthread_attr_setstacksize(&attr, kWorkerStackSize);
    if (rc == 0) rc = pthread_create(&handle_, &attr, thread_start, owned.get());
    pthread_attr_destroy(&attr);
    if (rc != 0) throw std::system_error(rc, std::generic_category(), "cannot start a pool worker thread");
    owned.release();  // the thread owns it now
    joinable_ = true;
}

WorkerThread& WorkerThread::operator=(WorkerThread&& other) noexcept {
    if (this != &other) {
        if (joinable_) join();
        handle_ = other.handle_;
        joinable_ = other.joinable_;
        other.joinable_ = false;
    }
    return *this;
}

WorkerThread::~WorkerThread() {
    if (joinable_) join();
}

void WorkerThread::join() {
    if (!joinable_) return;
    pthread_join(handle_, nullptr);
    joinable_ = false;
}

WorkerPool::WorkerPool(WorkerPoolConfig config) : config_(std::move(config)), limit_(config_.max_workers) {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < config_.min_workers; ++i) start_worker_locked();
}

WorkerPool::~WorkerPool() {
    std::deque<modrt_task*> dropped;
    std::vector<WorkerThread> threads;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        dropped.swap(queue_);
        queued_.store(0, std::memory_order_relaxed);
        wake_.notify_all();
    }
    for (modrt_task* t : dropped) {
        rejected_.fetch_add(1, std::memory_order_relaxed);
        std::string msg = config_.name + " is shutting down: the call was dropped before it started";
        t->drop(t->self, host_api().error_new(MODRT_ERR_CANCELED, to_str(msg)));
    }
    {
        std::lock_guard lock(mutex_);
        threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
}

void WorkerPool::start_worker_locked() {
    workers_.fetch_add(1, std::memory_order_relaxed);
    threads_.emplace_back([this] { worker_main(); });
}

void WorkerPool::reap() {
    std::vector<WorkerThread> done;
    {
        std::lock_guard lock(mutex_);
        if (exited_.empty()) return;
        for (auto id : exited_) {
            auto it = std::find_if(threads_.begin(), threads_.end(), [&](const WorkerThread& t) { return t.is(id); });
            if (it != threads_.end()) {
                done.push_back(std::move(*it));
                threads_.erase(it);
            }
        }
        exited_.clear();
    }
    for (auto& t : done) t.join();
}

Error WorkerPool::submit(modrt_task* task) {
    bool waits = (task->flags & MODRT_TASK_CALLER_WAITS) != 0;
    if (waits && ((task->flags & MODRT_TASK_REENTRANT) != 0 || t_current_pool == this)) {
        run(task);  // nested synchronous call: queued, it would wait behind the worker waiting for it
        return {};
    }
    bool wake_one = false;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return Error(MODRT_ERR_UNAVAILABLE, config_.name + " is shutting down").set_retryable(false);
        if (queue_.size() >= config_.queue_capacity) {
            rejected_.fetch_add(1, std::memory_order_relaxed);
            return Error(MODRT_ERR_UNAVAILABLE, config_.name + " is full: " + std::to_string(queue_.size()) +
                                                    " calls already queued (buffer " +
                                                    std::to_string(config_.queue_capacity) + ")")
                .set_retryable(true);
        }
        queue_.push_back(task);
        queued_.fetch_add(1, std::memory_order_release);
        if (queue_.size() > idle_ && workers_.load(std::memory_order_relaxed) < limit_.load(std::memory_order_relaxed))
            start_worker_locked();
        else wake_one = parked_ > 0;  // spinning workers see queued_ without a wake-up
    }
    // Woken while this thread still held the lock, the worker would block on it at once: on a
    // busy core that is two more context switches per hand-off.
    if (wake_one) wake_.notify_one();
    reap();
    return {};
}

void WorkerPool::run(modrt_task* task) {
    if (modrt_error_kind cause = host_api().frame_canceled(task->frame); cause != 0) {
        rejected_.fetch_add(1, std::memory_order_relaxed);
        std::string msg = std::string(cause == MODRT_ERR_TIMEOUT ? "deadline exceeded" : "canceled") +
                          " while queued in " + config_.name;
        task->drop(task->self, host_api().error_new(cause, to_str(msg)));
        return;
    }
    busy_.fetch_add(1, std::memory_order_relaxed);
    task->run(task->self);
    busy_.fetch_sub(1, std::memory_order_relaxed);
    completed_.fetch_add(1, std::memory_order_relaxed);
}

void WorkerPool::worker_main() {
    t_current_pool = this;
    SpinGovernor spin;
    std::unique_lock lock(mutex_);
    for (;;) {
        // Above a lowered limit (adaptive pools), leave even while work is queued:
        // the remaining workers serve it. Static and lazy pools never lower it.
        if (workers_.load(std::memory_order_relaxed) > limit_.load(std::memory_order_relaxed)) break;
        if (!queue_.empty()) {
            modrt_task* task = queue_.front();
            queue_.pop_front();
            queued_.fetch_sub(1, std::memory_order_relaxed);
            lock.unlock();
            run(task);
            lock.lock();
            continue;
        }
        if (stopping_ || workers_.load(std::memory_order_relaxed) > limit_.load(std::memory_order_relaxed)) break;

        // Idle: spin briefly (a hand-off to a spinning worker costs ~0.25 µs, a
        // wake-up from parked ~40 µs on 2 cores) while spinning pays, then park.
        ++idle_;
        if (spin.should_spin()) {
            lock.unlock();
            spin.record(spin_until([&] { return queued_.load(std::memory_order_acquire) != 0; }, config_.spin));
            lock.lock();
        }
        bool timed_out = false;
        auto ready = [&] {
            return !queue_.empty() || stopping_ ||
                   workers_.load(std::memory_order_relaxed) > limit_.load(std::memory_order_relaxed);
        };
        if (!ready()) {
            ++parked_;
            bool may_retire = config_.idle_timeout.count() > 0 &&
                              workers_.load(std::memory_order_relaxed) > config_.min_workers;
            if (may_retire) timed_out = !wake_.wait_for(lock, config_.idle_timeout, ready);
            else wake_.wait(lock, ready);
            --parked_;
        }
        --idle_;
        if (timed_out && workers_.load(std::memory_order_relaxed) > config_.min_workers) break;
    }
    workers_.fetch_sub(1, std::memory_order_relaxed);
    exited_cpu_ += thread_cpu_ns(CLOCK_THREAD_CPUTIME_ID);
    exited_.push_back(pthread_self());
}

std::chrono::nanoseconds WorkerPool::cpu_time() const {
    std::lock_guard lock(mutex_);
    int64_t total = exited_cpu_;
    for (const auto& t : threads_) {
        // A thread that left its loop has added its own time to exited_cpu_ already.
        if (std::any_of(exited_.begin(), exited_.end(), [&](pthread_t id) { return t.is(id); })) continue;
        clockid_t clock;
        if (pthread_getcpuclockid(t.native_handle(), &clock) == 0) total += thread_cpu_ns(clock);
    }
    return std::chrono::nanoseconds(total);
}

void WorkerPool::set_limit(size_t workers) {
    workers = std::clamp<size_t>(workers, 1, config_.max_workers);
    std::lock_guard lock(mutex_);
    limit_.store(workers, std::memory_order_relaxed);
    // Start workers for queued work now; surplus ones leave when they see the lower limit.
    while (queue_.size() > idle_ && workers_.load(std::memory_order_relaxed) < workers) start_worker_locked();
    wake_.notify_all();
}

void WorkerPool::stats(modrt_pool_stats& out) const {
    out.workers = workers_.load(std::memory_order_relaxed);
    out.busy = busy_.load(std::memory_order_relaxed);
    out.queued = queued_.load(std::memory_order_relaxed);
    out.completed = completed_.load(std::memory_order_relaxed);
    out.rejected = rejected_.load(std::memory_order_relaxed);
}

size_t read_count(ValueView options, std::string_view field, size_t fallback, size_t min_value) {
    ValueView v = options.find(field);
    if (v.is_nil()) return fallback;
    bool whole = v.type() == MODRT_INT ||
                 (v.type() == MODRT_NUMBER && v.as_number() == static_cast<double>(v.as_int()));
    if (!whole || v.as_int() < static_cast<int64_t>(min_value))
        throw Failure(Error(MODRT_ERR_INVALID, "'" + std::string(field) + "' must be a whole number of at least " +
                                                   std::to_string(min_value))
                          .set_field(field));
    return static_cast<size_t>(v.as_int());
}

std::chrono::milliseconds read_duration(ValueView options, std::string_view field, std::chrono::milliseconds fallback) {
    ValueView v = options.find(field);
    if (v.is_nil()) return fallback;
    auto bad = [&] {
        return Failure(
            Error(MODRT_ERR_INVALID,
                  "'" + std::string(field) + "' must be a duration: milliseconds, or a string such as 30s, 500ms, 1m")
                .set_field(field));
    };
    if (v.type() == MODRT_INT) {
        if (v.as_int() <= 0) throw bad();
        return std::chrono::milliseconds(v.as_int());
    }
    if (!v.is_string()) throw bad();
    std::string_view s = v.as_string();
    double amount = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), amount);
    std::string_view unit(end, static_cast<size_t>(s.data() + s.size() - end));
    double scale = unit == "ms" ? 1 : unit == "s" ? 1e3 : unit == "m" ? 60e3 : unit == "h" ? 3600e3 : 0;
    if (ec != std::errc() || scale == 0 || amount <= 0) throw bad();
    return std::chrono::milliseconds(static_cast<int64_t>(amount * scale));
}

void check_fields(ValueView options, std::initializer_list<std::string_view> known, std::string_view pool) {
    for (size_t i = 0; i < options.size(); ++i) {
        std::string_view key = options.key(i);
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            std::string list;
            for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
            throw Failure(Error(MODRT_ERR_INVALID, "unknown option '" + std::string(key) + "' for " +
                                                       std::string(pool) + " (known: " + list + ")")
                              .set_field(key));
        }
    }
}

}  // namespace modrt::pools
