// One I/O thread's share of an http.service (server.hpp): an io_context of its own, so a
// connection's handlers, buffers and socket stay on one core (a shared io_context moved them
// between cores on every request and cost about a tenth of the throughput), and the counters
// its requests draw ids from.
//
// A connection's function runs on its shard's thread, so a function that blocks would stall
// every connection of the shard. The shard counts the threads running it and those inside a
// call; the server's watcher (server.cpp) lends a helper thread to a shard whose threads have
// all been inside calls for a whole watch period, as Go's runtime hands a blocked thread's
// work to another, and the helper leaves once one of the shard's threads is free again.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>

namespace modrt::http {

class Shard {
public:
    /// Shard `index` of `count`: the ids it makes are index + k·count, distinct across shards.
    Shard(unsigned index, unsigned count);
    Shard(const Shard&) = delete;
    Shard& operator=(const Shard&) = delete;

    boost::asio::io_context& ioc() noexcept { return ioc_; }

    /// A number no other request of the service gets (request ids, exchange serials).
    uint64_t next_number() noexcept { return (counter_.fetch_add(1, std::memory_order_relaxed) + 1) * count_ + index_; }

    /// Around a request's function call (CallScope).
    void enter_call() noexcept { in_call_.fetch_add(1, std::memory_order_relaxed); }
    void leave_call() noexcept {
        in_call_.fetch_sub(1, std::memory_order_relaxed);
        returned_.fetch_add(1, std::memory_order_relaxed);
    }

    /// Run the io_context until it stops, as its owning thread; a handler that throws is passed to `report`.
    template <class Report>
    void run_owner(Report&& report) {
        running_.fetch_add(1, std::memory_order_relaxed);
        run_guarded(report, [&] {
            ioc_.run();
            return true;
        });
        running_.fetch_sub(1, std::memory_order_relaxed);
    }
    /// Run the io_context as a helper until one of the shard's other threads is free or it stops.
    template <class Report>
    void run_helper(Report&& report) {
        running_.fetch_add(1, std::memory_order_relaxed);
        run_guarded(report, [&] {
            ioc_.run_one_for(kHelperLook);
            return ioc_.stopped() || has_free_thread_besides_me();
        });
        running_.fetch_sub(1, std::memory_order_relaxed);
    }

    /// Every thread running the shard is inside a call (new connections go elsewhere if they can).
    bool all_threads_in_calls() const noexcept {
        int running = running_.load(std::memory_order_relaxed);
        return running > 0 && in_call_.load(std::memory_order_relaxed) >= running;
    }
    /// The watcher's look, once per period: true when every thread of the shard has been
    /// inside a call since the previous look and none returned meanwhile.
    bool starved_since_last_look() noexcept;

private:
    // How long a helper waits for a handler before looking whether it is still needed.
    static constexpr std::chrono::milliseconds kHelperLook{10};

    template <class Report, class Step>
    void run_guarded(Report& report, Step step) {
        for (;;) {
            try {
                if (step()) return;
            } catch (const std::exception& e) {  // a handler threw: report it and keep serving
                report(e);
            }
        }
    }
    bool has_free_thread_besides_me() const noexcept {
        return in_call_.load(std::memory_order_relaxed) + 1 < running_.load(std::memory_order_relaxed);
    }

    const unsigned index_, count_;
    // The default concurrency hint, not 1: with 1, Asio wakes no other thread for the handlers
    // a reactor run leaves queued, and an owner could sleep on them after a helper left.
    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::atomic<uint64_t> counter_{0};
    std::atomic<int> running_{0}, in_call_{0};
    std::atomic<uint64_t> returned_{0};
    // The watcher's own (one thread reads and writes them).
    uint64_t seen_returned_ = 0;
    bool seen_starved_ = false;
};

/// Marks a request's function call on its shard.
class CallScope {
public:
    explicit CallScope(Shard& s) noexcept : shard_(s) { shard_.enter_call(); }
    ~CallScope() { shard_.leave_call(); }
    CallScope(const CallScope&) = delete;
    CallScope& operator=(const CallScope&) = delete;

private:
    Shard& shard_;
};

}  // namespace modrt::http
