// One client connection (connection.hpp).
#include "connection.hpp"

#include "server.hpp"

#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <span>
#include <sys/socket.h>

namespace modrt::http {

namespace net = boost::asio;
using boost::system::error_code;

namespace {

constexpr size_t kReadChunk = 16 * 1024;
constexpr std::chrono::seconds kLinger{1};  // reading what a refused client still sends, before closing
constexpr size_t kMaxRequestId = 128;

bool valid_request_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > kMaxRequestId) return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                  c == '.' || c == ':' || c == '/' || c == '+' || c == '=';
        if (!ok) return false;
    }
    return true;
}

std::string remote_text(const net::ip::tcp::socket& s) {
    error_code ec;
    auto ep = s.remote_endpoint(ec);
    if (ec) return "";
    std::string ip = ep.address().to_string();
    if (ep.address().is_v6()) ip = "[" + ip + "]";
    return ip + ":" + std::to_string(ep.port());
}

}  // namespace

int64_t steady_now_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

Connection::Connection(Server& server, Shard& shard, net::ip::tcp::socket socket)
    : server_(server),
      shard_(shard),
      socket_(std::move(socket)),
      fd_(socket_.native_handle()),
      exchange_(req_, res_, *this, server.spec().max_body_bytes, client_gone_) {
    req_.remote_addr = remote_text(socket_);
    args_.slot().set_array(0);
}

Connection::~Connection() { server_.detach(this); }

void Connection::start() {
    server_.attach(this);
    if (!enter_idle()) return;
    read_more();
}

void Connection::set_deadline(std::chrono::nanoseconds after) noexcept {
    deadline_ns_.store(after.count() > 0 ? steady_now_ns() + after.count() : 0, std::memory_order_relaxed);
}

void Connection::expire_if_due(int64_t now_ns) noexcept {
    int64_t d = deadline_ns_.load(std::memory_order_relaxed);
    if (d == 0 || now_ns < d) return;
    deadline_ns_.store(0, std::memory_order_relaxed);
    ::shutdown(fd_, SHUT_RDWR);  // the pending read or write fails; the chain then ends
}

bool Connection::close_if_idle() noexcept {
    Phase idle = Phase::Idle;
    if (!phase_.compare_exchange_strong(idle, Phase::Closed)) return false;
    ::shutdown(fd_, SHUT_RDWR);
    return true;
}

void Connection::force_close() noexcept {
    {
        std::lock_guard lock(watch_mutex_);
        if (frame_ != nullptr) host_api().root_frame_cancel(frame_);
    }
    ::shutdown(fd_, SHUT_RDWR);
}

void Connection::end() noexcept {
    phase_.store(Phase::Closed);
    deadline_ns_.store(0, std::memory_order_relaxed);
    ::shutdown(fd_, SHUT_RDWR);
}

bool Connection::enter_idle() {
    phase_.store(Phase::Idle);
    if (server_.stopping()) {  // no new request once the service stops (stop may also have shut it)
        end();
        return false;
    }
    set_deadline(server_.spec().idle_timeout);
    parser_.reset();
    return true;
}

void Connection::read_more() {
    auto space = buffer_.prepare(kReadChunk);
    socket_.async_read_some(space,
                            [self = shared_from_this()](const error_code& ec, size_t n) { self->on_read(ec, n); });
}

void Connection::on_read(const error_code& ec, size_t n) {
    if (ec) {
        end();
        return;
    }
    buffer_.commit(n);
    if (phase_.load() == Phase::Lingering) {  // a refused client's leftovers: drop them
        buffer_.consume(buffer_.size());
        read_more();
        return;
    }
    serve_buffered();
}

void Connection::serve_buffered() {
    for (;;) {
        if (!parser_) {
            if (buffer_.size() == 0) {
                read_more();
                return;
            }
            // The first byte of a request: from here the read timeout runs.
            Phase idle = Phase::Idle;
            if (!phase_.compare_exchange_strong(idle, Phase::Reading)) {
                end();  // closed by stop meanwhile
                return;
            }
            set_deadline(server_.spec().read_timeout);
            req_.clear();
            res_.clear();
            continue_sent_ = false;
            parser_.emplace(req_, server_.spec().max_header_bytes, server_.spec().max_body_bytes);
        }
        size_t used = 0;
        int status = 400;
        auto data = buffer_.data();
        ParseStep step = parse_some(*parser_, std::string_view(static_cast<const char*>(data.data()), data.size()),
                                    used, status);
        buffer_.consume(used);
        if (step == ParseStep::Failed) {
            answer_bad_request(status);
            return;
        }
        if (step == ParseStep::NeedMore) {
            if (req_.expect_continue && !continue_sent_ && parser_->is_header_done() && req_.version >= 11) {
                continue_sent_ = true;
                static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
                net::const_buffer b(kContinue.data(), kContinue.size());
                if (!write_all(&b, 1)) {
                    end();
                    return;
                }
            }
            read_more();
            return;
        }
        if (!serve_request()) return;
    }
}

void Connection::choose_request_id(uint64_t number) {
    std::string_view sent = req_.header("x-request-id");
    if (valid_request_id(sent)) req_.request_id.assign(sent);
    else server_.request_id(number, req_.request_id);
}

bool Connection::serve_request() {
    phase_.store(Phase::Calling);
    deadline_ns_.store(0, std::memory_order_relaxed);  // the call's own deadline (timeouts.write) governs it
    parser_.reset();
    const uint64_t number = shard_.next_number();
    choose_request_id(number);
    exchange_.head.serial = server_.serial(number);
    client_gone_.store(false, std::memory_order_relaxed);
    server_.site().serve(req_, res_, exchange_, *this, scratch_, result_);
    if (server_.stopping()) res_.close_after = true;
    if (res_.abort) {
        end();
        return false;
    }
    phase_.store(Phase::Writing);
    set_deadline(server_.spec().write_timeout);
    if (res_.head_sent) {  // flushed: finish it (the rest of the body, the last chunk)
        if (!finish_flushed_response(res_, *this) || res_.close_after) {
            end();
            return false;
        }
        return enter_idle();
    }
    if (status_has_no_body(res_.status)) res_.no_body = true;
    res_.build_head(req_, Framing::Length, res_.body.size());
    return write_response();
}

bool Connection::write_response() {
    std::array<net::const_buffer, 2> bufs{net::buffer(res_.head_text),
                                          res_.no_body ? net::const_buffer() : net::buffer(res_.body)};
    const size_t total = bufs[0].size() + bufs[1].size();
    // Most responses fit the socket buffer: write now, with no trip through the scheduler.
    error_code ec;
    size_t n = socket_.write_some(bufs, ec);
    if (!ec && n == total) {
        if (res_.close_after) {
            end();
            return false;
        }
        return enter_idle();
    }
    if (ec && ec != net::error::would_block && ec != net::error::try_again) {
        end();
        return false;
    }
    if (ec) n = 0;
    // The rest goes asynchronously.
    if (n < bufs[0].size()) {
        bufs[0] += n;
    } else {
        bufs[1] += n - bufs[0].size();
        bufs[0] = net::const_buffer();
    }
    net::async_write(socket_, bufs, [self = shared_from_this()](const error_code& e, size_t) { self->after_write(e); });
    return false;
}

void Connection::after_write(const error_code& ec) {
    if (ec || res_.close_after) {
        end();
        return;
    }
    if (enter_idle()) serve_buffered();
}

void Connection::answer_bad_request(int status) {
    if (req_.request_id.empty()) server_.request_id(shard_.next_number(), req_.request_id);
    std::string_view message = status == 431   ? "request header too large"
                               : status == 413 ? "request body too large"
                                               : "malformed request";
    parser_.reset();
    res_.clear();
    req_.keep_alive = false;
    res_.set_error(status, "Invalid", message, req_.request_id);
    res_.close_after = true;
    res_.build_head(req_, Framing::Length, res_.body.size());
    phase_.store(Phase::Writing);
    set_deadline(server_.spec().write_timeout.count() > 0 ? server_.spec().write_timeout : kLinger);
    std::array<net::const_buffer, 2> bufs{net::buffer(res_.head_text), net::buffer(res_.body)};
    if (!write_all(bufs.data(), bufs.size())) {
        end();
        return;
    }
    linger();
}

void Connection::linger() {
    // Close the sending side and read what the client still sends, briefly: closing with
    // unread data would reset the connection and could destroy the answer before it is read.
    phase_.store(Phase::Lingering);
    error_code ec;
    socket_.shutdown(net::ip::tcp::socket::shutdown_send, ec);
    set_deadline(kLinger);
    buffer_.consume(buffer_.size());
    read_more();
}

bool Connection::write_all(const net::const_buffer* bufs, size_t count) noexcept {
    std::array<net::const_buffer, 8> pending{};
    if (count > pending.size()) return false;
    std::copy(bufs, bufs + count, pending.begin());
    size_t first = 0;
    while (first < count && pending[first].size() == 0) ++first;
    while (first < count) {
        error_code ec;
        size_t n = socket_.write_some(std::span<const net::const_buffer>(pending.data() + first, count - first), ec);
        if (ec == net::error::would_block || ec == net::error::try_again) {
            socket_.wait(net::ip::tcp::socket::wait_write, ec);  // bounded: the sweeper shuts it down past the deadline
            if (ec) return false;
            continue;
        }
        if (ec) return false;
        while (first < count && n >= pending[first].size()) n -= pending[first++].size();
        if (first < count) pending[first] += n;
    }
    return true;
}

bool Connection::send(const std::string_view* parts, size_t count) {
    std::array<net::const_buffer, 8> bufs{};
    if (count > bufs.size()) return false;
    for (size_t i = 0; i < count; ++i) bufs[i] = net::buffer(parts[i].data(), parts[i].size());
    set_deadline(server_.spec().write_timeout);
    bool ok = write_all(bufs.data(), count);
    deadline_ns_.store(0, std::memory_order_relaxed);
    return ok;
}

CallStatus Connection::call(const EndpointSite& endpoint, const Identity& identity, const std::string* firewall_action,
                            LentExchange& exchange, ValueSlot result, Error& error) {
    const Host& host = server_.host();
    ValueSlot ctx = context_.slot();
    ctx.set_map(1);
    ctx.insert("request_id").set_string(req_.request_id);
    modrt_call_options options{};
    options.struct_size = sizeof options;
    options.context = context_.raw();
    options.actor = identity.actor.get();
    options.scope = to_str(identity.scope);
    options.timeout_ns = server_.spec().write_timeout.count();
    try {
        // The last request's frame, renewed. Kept between requests it holds nothing running: the
        // call is synchronous, and what a function starts asynchronously ends with that function.
        root_.renew(host, options, MODRT_HTTP_EXCHANGE_KEY, &exchange.head);
    } catch (const Failure& f) {
        error = Error(f.release());
        return CallStatus::Failed;
    }
    if (firewall_action != nullptr &&
        host.api().security_allowed(root_.raw(), to_str(*firewall_action), to_str(endpoint.id), nullptr) == 0)
        return identity.actor ? CallStatus::Forbidden : CallStatus::Unauthorized;

    // The sweeper watches for the client going away while the call runs (cancel_if_client_gone).
    {
        std::lock_guard lock(watch_mutex_);
        frame_ = root_.raw();
    }
    {
        CallScope in_call(shard_);  // a shard whose threads all stay in calls gets a helper (shard.hpp)
        error = host.call(root_.raw(), endpoint.func, args_.view(), result);
    }
    {
        std::lock_guard lock(watch_mutex_);
        frame_ = nullptr;
    }
    return error.failed() ? CallStatus::Failed : CallStatus::Returned;
}

void Connection::cancel_if_client_gone() noexcept {
    std::lock_guard lock(watch_mutex_);
    if (frame_ == nullptr || client_gone_.load(std::memory_order_relaxed)) return;
    char peek;
    ssize_t r = ::recv(fd_, &peek, 1, MSG_PEEK | MSG_DONTWAIT);
    // Data (a pipelined request) is not a disconnect.
    if (r > 0 || (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))) return;
    client_gone_.store(true, std::memory_order_relaxed);
    host_api().root_frame_cancel(frame_);
}

}  // namespace modrt::http
