// A running http.service (server.hpp).
#include "server.hpp"

#include "connection.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <random>
#include <sys/socket.h>

namespace modrt::http {

namespace net = boost::asio;
using boost::system::error_code;
using tcp = net::ip::tcp;

namespace {

// How long stop waits for what it canceled or shut down to let go, beyond the deadline.
constexpr std::chrono::seconds kStopGrace{3};

std::chrono::nanoseconds sweep_tick(const ServiceSpec& s) {
    std::chrono::nanoseconds shortest = std::chrono::seconds(1);
    for (auto t : {s.read_timeout, s.write_timeout, s.idle_timeout})
        if (t.count() > 0) shortest = std::min(shortest, t);
    return std::clamp<std::chrono::nanoseconds>(shortest / 4, std::chrono::milliseconds(10), std::chrono::seconds(1));
}

std::string make_id_prefix() {
    std::random_device rd;
    char buf[17];
    std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
    return buf;
}

}  // namespace

Server::Server(const Host& host, ServiceSpec spec, Site site)
    : host_(host),
      spec_(std::move(spec)),
      site_(std::move(site)),
      id_prefix_(make_id_prefix()),
      serial_base_((uint64_t{std::random_device{}()} << 32) ^ std::random_device{}()),
      ioc_(static_cast<int>(spec_.workers)),
      accept_strand_(net::make_strand(ioc_)),
      acceptor_(accept_strand_),
      accept_retry_(accept_strand_),
      sweeper_(ioc_),
      tick_(sweep_tick(spec_)) {}

Server::~Server() { stop(host_api().now_ns()); }

std::string Server::start() {
    auto fail = [&](const std::string& why) {
        error_code ignored;
        acceptor_.close(ignored);
        throw Failure(
            Error(MODRT_ERR_UNAVAILABLE, "addr: cannot listen on " + spec_.addr + ": " + why).set_field("addr"));
    };
    error_code ec;
    net::ip::address address = spec_.host.empty()          ? net::ip::address(net::ip::address_v4::any())
                               : spec_.host == "localhost" ? net::ip::address(net::ip::address_v4::loopback())
                                                           : net::ip::make_address(spec_.host, ec);
    if (ec) fail(ec.message());
    tcp::endpoint endpoint(address, spec_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) fail(ec.message());
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    acceptor_.bind(endpoint, ec);
    if (ec) fail(ec.message());
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) fail(ec.message());
    tcp::endpoint bound = acceptor_.local_endpoint(ec);
    if (ec) fail(ec.message());
    listen_fd_ = acceptor_.native_handle();

    accept();
    sweep();
    started_ = true;
    try {
        for (unsigned i = 0; i < spec_.workers; ++i) {
            {
                std::lock_guard lock(mutex_);
                ++running_workers_;
            }
            workers_.emplace_back([self = shared_from_this()] { self->run_worker(); });
        }
    } catch (const std::system_error& e) {
        {
            std::lock_guard lock(mutex_);
            --running_workers_;  // the one that did not start
        }
        stop(host_api().now_ns());
        throw Failure(MODRT_ERR_UNAVAILABLE, std::string("cannot start the I/O threads: ") + e.what());
    }
    std::string ip = bound.address().to_string();
    if (bound.address().is_v6()) ip = "[" + ip + "]";
    return ip + ":" + std::to_string(bound.port());
}

void Server::run_worker() {
    for (;;) {
        try {
            ioc_.run();
            break;
        } catch (const std::exception& e) {  // a handler threw: report it and keep serving
            host_.log(MODRT_LOG_ERROR, spec_.id + ": I/O thread: " + e.what());
        }
    }
    std::lock_guard lock(mutex_);
    --running_workers_;
    changed_.notify_all();
}

void Server::accept() {
    acceptor_.async_accept(ioc_.get_executor(), [this](const error_code& ec, tcp::socket socket) {
        if (stopping() || ec == net::error::operation_aborted) return;
        if (ec) {
            // Out of descriptors or memory: try again shortly rather than spin.
            host_.log(MODRT_LOG_WARN, spec_.id + ": accept failed: " + ec.message());
            accept_retry_.expires_after(std::chrono::milliseconds(50));
            accept_retry_.async_wait([this](const error_code& e) {
                if (!e && !stopping()) accept();
            });
            return;
        }
        bool full;
        {
            std::lock_guard lock(mutex_);
            full = connections_.size() >= spec_.max_connections;
        }
        error_code ignored;
        if (full) {
            static constexpr std::string_view kBody =
                "{\"error\":{\"kind\":\"Unavailable\",\"message\":\"too many connections\",\"request_id\":\"\"}}";
            static const std::string kBusy =
                "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " +
                std::to_string(kBody.size()) + "\r\nConnection: close\r\n\r\n" + std::string(kBody);
            ::send(socket.native_handle(), kBusy.data(), kBusy.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
            socket.shutdown(tcp::socket::shutdown_both, ignored);
            socket.close(ignored);
        } else {
            socket.set_option(tcp::no_delay(true), ignored);
            socket.non_blocking(true, ignored);
            std::make_shared<Connection>(*this, std::move(socket))->start();
        }
        accept();
    });
}

void Server::sweep() {
    sweeper_.expires_after(tick_);
    sweeper_.async_wait([this](const error_code& ec) {
        if (ec) return;
        int64_t now = steady_now_ns();
        {
            std::lock_guard lock(mutex_);
            for (Connection* c : connections_) {
                c->expire_if_due(now);
                c->cancel_if_client_gone();
            }
        }
        sweep();
    });
}

void Server::attach(Connection* c) {
    std::lock_guard lock(mutex_);
    connections_.insert(c);
}

void Server::detach(Connection* c) {
    std::lock_guard lock(mutex_);
    connections_.erase(c);
    changed_.notify_all();
}

void Server::next_request_id(std::string& out) {
    char buf[24];
    buf[0] = '-';
    // to_chars, not snprintf: a request id per request, and snprintf's format parsing cost more.
    auto [end, ec] = std::to_chars(buf + 1, buf + sizeof buf, id_counter_.fetch_add(1, std::memory_order_relaxed) + 1, 16);
    (void)ec;  // 17 characters always fit a uint64_t in hex
    out.assign(id_prefix_);
    out.append(buf, static_cast<size_t>(end - buf));
}

bool Server::wait_connections_gone(std::chrono::steady_clock::time_point limit) {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, limit, [&] { return connections_.empty(); });
}

void Server::stop(int64_t deadline_ns) {
    if (!started_ || stopped_) return;
    stopped_ = true;
    stopping_.store(true, std::memory_order_release);
    // No new connections from now on: shutting the listening socket down fails the pending
    // accept at once, whatever the I/O threads are busy with; the acceptor closes on its strand.
    ::shutdown(listen_fd_, SHUT_RDWR);
    net::post(accept_strand_, [this] {
        error_code ignored;
        acceptor_.close(ignored);
        accept_retry_.cancel();
    });
    {
        std::lock_guard lock(mutex_);
        for (Connection* c : connections_) c->close_if_idle();
    }
    const auto now = std::chrono::steady_clock::now();
    const auto deadline = now + std::chrono::nanoseconds(std::max<int64_t>(deadline_ns - host_api().now_ns(), 0));
    if (!wait_connections_gone(deadline)) {
        size_t left;
        {
            std::lock_guard lock(mutex_);
            left = connections_.size();
            for (Connection* c : connections_) c->force_close();
        }
        host_.log(MODRT_LOG_WARN,
                  spec_.id + ": stop deadline passed; canceled " + std::to_string(left) + " connection(s) still busy");
        if (!wait_connections_gone(std::chrono::steady_clock::now() + kStopGrace))
            host_.log(MODRT_LOG_ERROR, spec_.id + ": a call ignored its cancellation; leaving it behind");
    }
    ioc_.stop();
    bool all_done;
    {
        std::unique_lock lock(mutex_);
        all_done = changed_.wait_for(lock, kStopGrace, [&] { return running_workers_ == 0; });
    }
    for (auto& t : workers_) {
        if (all_done) t.join();
        else t.detach();  // it holds the server alive until its call returns
    }
    workers_.clear();
}

}  // namespace modrt::http
