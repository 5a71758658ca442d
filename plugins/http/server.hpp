// One running http.service: `workers` shards (shard.hpp), each an io_context run by its own
// thread, one acceptor handing connections to the shards in turn, and a watcher thread. Each
// connection is a sequential callback chain with no strand: it has one operation in flight at
// a time, and a request's function is called on the I/O thread that parsed it (Connection).
// The watcher, every 10 ms, lends a helper thread to a shard whose threads are all stuck in
// calls; and it sweeps: timeouts are not timers per connection, each keeps a deadline, and a
// sweep shuts down the sockets past theirs and cancels the calls of clients that went away.
//
// Stop: the listening socket closes at once, idle keep-alive connections are closed, calls
// in flight get until the deadline, then their root frames are canceled and every socket is
// shut down; every wait is bounded, and a thread stuck in a function that ignores
// cancellation is left behind (detached, reported) rather than hanging the stop.
#pragma once

#include "core/site.hpp"
#include "shard.hpp"
#include "specs.hpp"

#include <modrt/sdk.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace modrt::http {

class Connection;

class Server : public std::enable_shared_from_this<Server> {
public:
    Server(const Host& host, ServiceSpec spec, Site site);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Bind, listen and start the workers; returns the bound address ("127.0.0.1:41234").
    /// Throws Failure (field addr) when it cannot listen; then nothing is left running.
    std::string start();
    /// See the file comment. `deadline_ns` is on the host's now_ns clock.
    void stop(int64_t deadline_ns);

    const Host& host() const noexcept { return host_; }
    const ServiceSpec& spec() const noexcept { return spec_; }
    const Site& site() const noexcept { return site_; }
    bool stopping() const noexcept { return stopping_.load(std::memory_order_acquire); }

    /// A connection begins or ends (the registry the sweeper and stop walk).
    void attach(Connection* c);
    void detach(Connection* c);
    /// The request id ("<prefix>-<hex number>") for a number from Shard::next_number, into `out`.
    void request_id(uint64_t number, std::string& out) const;
    /// The exchange serial (http.h) for a number from Shard::next_number: a random base plus
    /// it, so that servers of one process (whose exchanges may reuse each other's freed
    /// addresses) do not repeat one another's.
    uint64_t serial(uint64_t number) const noexcept { return serial_base_ + number; }

private:
    void accept();
    /// The shard for a new connection: the next in turn whose threads are not all in calls.
    Shard& pick_shard() noexcept;
    void watch();
    void sweep();
    void lend_helpers();
    void run_owner(Shard& shard);
    void run_helper();
    /// Start a thread counted in running_workers_ (stop waits for them); false when none could start.
    template <class Body>
    bool start_thread(Body body);
    void report(const std::exception& e) const;
    /// Wait until no connection is left or `limit` (steady clock) passes; true when none is left.
    bool wait_connections_gone(std::chrono::steady_clock::time_point limit);

    const Host& host_;
    const ServiceSpec spec_;
    const Site site_;
    std::string id_prefix_;
    uint64_t serial_base_;
    std::atomic<bool> stopping_{false};
    bool started_ = false, stopped_ = false;

    // Declared before the shards: handlers their io_contexts destroy release connections, which detach.
    std::mutex mutex_;
    std::condition_variable changed_;
    std::unordered_set<Connection*> connections_;
    unsigned running_workers_ = 0;      // owners and helpers
    std::vector<std::thread> threads_;  // owners and helpers
    std::thread watcher_;
    // Helpers: started by the watcher up to a cap, parked between loans (their Lua states stay warm).
    std::vector<Shard*> loans_;  // shards waiting for a helper
    unsigned helpers_ = 0, idle_helpers_ = 0;
    bool retiring_ = false;  // stop: helpers leave
    std::condition_variable loan_ready_;
    std::condition_variable watch_wake_;

    std::vector<std::unique_ptr<Shard>> shards_;  // before the acceptor, whose executor is shard 0's
    unsigned next_shard_ = 0;                     // on the accept strand
    boost::asio::strand<boost::asio::io_context::executor_type> accept_strand_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer accept_retry_;
    std::chrono::nanoseconds tick_;
    int listen_fd_ = -1;
};

}  // namespace modrt::http
