// One running http.service: an io_context run by `workers` threads, one acceptor, and the
// connections it accepted. Each connection is a sequential callback chain with no strand:
// it has one operation in flight at a time, and a request's function is called on the I/O
// thread that parsed it (Connection). Timeouts are not timers per connection: each keeps a
// deadline, and one sweeper tick shuts down the sockets past theirs.
//
// Stop: the listening socket closes at once, idle keep-alive connections are closed, calls
// in flight get until the deadline, then their root frames are canceled and every socket is
// shut down; every wait is bounded, and a thread stuck in a function that ignores
// cancellation is left behind (detached, reported) rather than hanging the stop.
#pragma once

#include "core/site.hpp"
#include "specs.hpp"

#include <modrt/sdk.hpp>

#include <boost/asio/io_context.hpp>
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
    /// A fresh request id ("<prefix>-<counter>") into `out`.
    void next_request_id(std::string& out);
    /// A fresh exchange serial (http.h): a random base plus a counter, so that servers of one
    /// process (whose exchanges may reuse each other's freed addresses) do not repeat one another's.
    uint64_t next_serial() noexcept { return serial_base_ + serial_counter_.fetch_add(1, std::memory_order_relaxed); }

private:
    void accept();
    void sweep();
    void run_worker();
    /// Wait until no connection is left or `limit` (steady clock) passes; true when none is left.
    bool wait_connections_gone(std::chrono::steady_clock::time_point limit);

    const Host& host_;
    const ServiceSpec spec_;
    const Site site_;
    std::string id_prefix_;
    std::atomic<uint64_t> id_counter_{0};
    uint64_t serial_base_;
    std::atomic<uint64_t> serial_counter_{1};
    std::atomic<bool> stopping_{false};
    bool started_ = false, stopped_ = false;

    // Declared before the io_context: handlers it destroys release connections, which detach.
    std::mutex mutex_;
    std::condition_variable changed_;
    std::unordered_set<Connection*> connections_;
    unsigned running_workers_ = 0;

    boost::asio::io_context ioc_;
    boost::asio::strand<boost::asio::io_context::executor_type> accept_strand_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer accept_retry_;
    boost::asio::steady_timer sweeper_;
    std::chrono::nanoseconds tick_;
    int listen_fd_ = -1;
    std::vector<std::thread> workers_;
};

}  // namespace modrt::http
