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
// How often the watcher looks for starved shards: a shard whose threads have all been in
// calls for a whole period gets a helper (so within 10-20 ms of the last one blocking).
constexpr std::chrono::milliseconds kWatchPeriod{10};
// Helper threads per worker at most: each is one more call that may block before the shard stalls.
constexpr unsigned kHelpersPerWorker = 16;

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
      shards_([&] {
          std::vector<std::unique_ptr<Shard>> shards;
          for (unsigned i = 0; i < spec_.workers; ++i) shards.push_back(std::make_unique<Shard>(i, spec_.workers));
          return shards;
      }()),
      accept_strand_(net::make_strand(shards_.front()->ioc())),
      acceptor_(accept_strand_),
      accept_retry_(accept_strand_),
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
    started_ = true;
    bool all_started = true;
    try {
        watcher_ = std::thread([this] { watch(); });  // stop always joins it: it never waits on a call
    } catch (const std::system_error& e) {
        host_.log(MODRT_LOG_ERROR, spec_.id + ": cannot start a thread: " + e.what());
        all_started = false;
    }
    for (auto& shard : shards_)
        all_started = all_started && start_thread([s = shard.get()](Server& self) { self.run_owner(*s); });
    if (!all_started) {
        stop(host_api().now_ns());
        throw Failure(MODRT_ERR_UNAVAILABLE, "cannot start the I/O threads");
    }
    std::string ip = bound.address().to_string();
    if (bound.address().is_v6()) ip = "[" + ip + "]";
    return ip + ":" + std::to_string(bound.port());
}

template <class Body>
bool Server::start_thread(Body body) {
    std::lock_guard lock(mutex_);
    try {
        // Each thread holds the server: one left behind by stop (detached) outlives its owner.
        threads_.emplace_back([self = shared_from_this(), body] {
            body(*self);
            std::lock_guard lock(self->mutex_);
            --self->running_workers_;
            self->changed_.notify_all();
        });
    } catch (const std::system_error& e) {
        host_.log(MODRT_LOG_ERROR, spec_.id + ": cannot start a thread: " + e.what());
        return false;
    }
    ++running_workers_;
    return true;
}

void Server::report(const std::exception& e) const {
    host_.log(MODRT_LOG_ERROR, spec_.id + ": I/O thread: " + e.what());
}

void Server::run_owner(Shard& shard) {
    shard.run_owner([this](const std::exception& e) { report(e); });
}

void Server::run_helper() {
    std::unique_lock lock(mutex_);
    for (;;) {
        ++idle_helpers_;
        loan_ready_.wait(lock, [&] { return retiring_ || !loans_.empty(); });
        --idle_helpers_;
        if (retiring_) return;
        Shard* shard = loans_.back();
        loans_.pop_back();
        lock.unlock();
        shard->run_helper([this](const std::exception& e) { report(e); });
        lock.lock();
    }
}

void Server::watch() {
    auto next_sweep = std::chrono::steady_clock::now() + tick_;
    std::unique_lock lock(mutex_);
    while (!retiring_) {
        watch_wake_.wait_for(lock, kWatchPeriod, [&] { return retiring_; });
        if (retiring_) break;
        lock.unlock();
        lend_helpers();
        if (std::chrono::steady_clock::now() >= next_sweep) {
            sweep();
            next_sweep = std::chrono::steady_clock::now() + tick_;
        }
        lock.lock();
    }
}

void Server::lend_helpers() {
    for (auto& shard : shards_) {
        if (!shard->starved_since_last_look()) continue;
        bool start = false;
        {
            std::lock_guard lock(mutex_);
            if (retiring_ || std::find(loans_.begin(), loans_.end(), shard.get()) != loans_.end()) continue;
            if (idle_helpers_ > loans_.size()) {
                loans_.push_back(shard.get());
                loan_ready_.notify_one();
            } else if (helpers_ < kHelpersPerWorker * spec_.workers) {
                loans_.push_back(shard.get());
                ++helpers_;
                start = true;
            }
        }
        if (start && !start_thread([](Server& self) { self.run_helper(); })) {
            std::lock_guard lock(mutex_);
            --helpers_;
            std::erase(loans_, shard.get());
        }
    }
}

Shard& Server::pick_shard() noexcept {
    for (size_t tries = 0; tries < shards_.size(); ++tries) {
        Shard& s = *shards_[next_shard_];
        next_shard_ = (next_shard_ + 1) % shards_.size();
        if (!s.all_threads_in_calls()) return s;
    }
    return *shards_[next_shard_];
}

void Server::accept() {
    Shard* shard = &pick_shard();
    acceptor_.async_accept(shard->ioc().get_executor(), [this, shard](const error_code& ec, tcp::socket socket) {
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
            std::make_shared<Connection>(*this, *shard, std::move(socket))->start();
        }
        accept();
    });
}

void Server::sweep() {
    int64_t now = steady_now_ns();
    std::lock_guard lock(mutex_);
    for (Connection* c : connections_) {
        c->expire_if_due(now);
        c->cancel_if_client_gone();
    }
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

void Server::request_id(uint64_t number, std::string& out) const {
    char buf[24];
    buf[0] = '-';
    // to_chars, not snprintf: a request id per request, and snprintf's format parsing cost more.
    auto [end, ec] = std::to_chars(buf + 1, buf + sizeof buf, number, 16);
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
    {
        std::lock_guard lock(mutex_);
        retiring_ = true;  // the watcher and parked helpers leave
        loan_ready_.notify_all();
        watch_wake_.notify_all();
    }
    if (watcher_.joinable()) watcher_.join();  // from here on, only stop touches threads_
    for (auto& shard : shards_) shard->ioc().stop();
    bool all_done;
    {
        std::unique_lock lock(mutex_);
        all_done = changed_.wait_for(lock, kStopGrace, [&] { return running_workers_ == 0; });
    }
    for (auto& t : threads_) {
        if (all_done) t.join();
        else t.detach();  // it holds the server alive until its call returns
    }
    threads_.clear();
}

}  // namespace modrt::http
