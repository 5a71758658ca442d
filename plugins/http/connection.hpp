// One client connection of an http.service (server.hpp): reads with Beast's parser into
// per-connection buffers (kept between requests), serves each request by one root call on
// the I/O thread of its shard that parsed it, and writes responses in request order (HTTP/1.1
// keep-alive and pipelining). While a call runs, the server's sweep (on its watcher thread)
// looks at the socket on each tick, and an EOF or error seen by a MSG_PEEK recv cancels the
// call's root frame. Not an async_wait armed per call: Asio
// re-registers the socket with epoll for each (one epoll_ctl per request, a third of the
// system calls of a keep-alive request).
#pragma once

#include "core/exchange.hpp"
#include "core/site.hpp"

#include <modrt/sdk.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

namespace modrt::http {

class Server;
class Shard;

class Connection final : public std::enable_shared_from_this<Connection>, private Sink, private Caller {
public:
    /// `socket` belongs to `shard`'s io_context.
    Connection(Server& server, Shard& shard, boost::asio::ip::tcp::socket socket);
    ~Connection() override;

    /// Register with the server and start reading.
    void start();

    // From other threads (the sweeper, stop), with the server's registry lock held.
    /// Shut the socket down when its deadline has passed.
    void expire_if_due(int64_t now_ns) noexcept;
    /// Close now if waiting for a next request (stop); true when it did.
    bool close_if_idle() noexcept;
    /// Cancel the call in flight and shut the socket down (stop deadline).
    void force_close() noexcept;
    /// Cancel the call in flight when the client has gone away (closed or reset).
    void cancel_if_client_gone() noexcept;

private:
    enum class Phase : int { Idle, Reading, Calling, Writing, Lingering, Closed };

    void read_more();
    void on_read(const boost::system::error_code& ec, size_t n);
    /// Parse and serve what the buffer holds, request after request while each response is
    /// written at once; returns when it waits for the network (a read or a write in flight).
    void serve_buffered();
    /// Serve the parsed request; true when its response is written and the next may follow.
    bool serve_request();
    /// Write the response head and body; true when done at once, false when an async write
    /// finishes it (after_write then continues) or the connection ended.
    bool write_response();
    void after_write(const boost::system::error_code& ec);
    /// Become idle for the next request; false when the connection ends instead.
    bool enter_idle();
    void answer_bad_request(int status);
    void linger();
    void end() noexcept;  // stop the chain; the socket closes when the last handler lets go

    // Sink: flush() while the call runs (synchronous, on this thread).
    bool send(const std::string_view* parts, size_t count) override;
    bool write_all(const boost::asio::const_buffer* bufs, size_t count) noexcept;
    // Caller: the request's root call.
    CallStatus call(const EndpointSite& endpoint, const Identity& identity, const std::string* firewall_action,
                    LentExchange& exchange, ValueSlot result, Error& error) override;

    void set_deadline(std::chrono::nanoseconds after) noexcept;
    /// The client's X-Request-Id when it is a valid one, else the service's for `number`.
    void choose_request_id(uint64_t number);

    Server& server_;
    Shard& shard_;
    boost::asio::ip::tcp::socket socket_;
    const int fd_;
    boost::beast::flat_buffer buffer_;
    std::optional<RequestParser> parser_;
    bool continue_sent_ = false;
    Request req_;
    Response res_;
    std::atomic<bool> client_gone_{false};
    LentExchange exchange_;
    Scratch scratch_;
    Value result_, context_, args_;
    RootFrame root_;  // the root frame of the request being served, renewed for the next one

    std::atomic<Phase> phase_{Phase::Idle};
    std::atomic<int64_t> deadline_ns_{0};  // steady clock; 0: none

    std::mutex watch_mutex_;
    modrt_frame* frame_ = nullptr;  // the call in flight (guarded by watch_mutex_)
};

/// Steady-clock nanoseconds (the clock of connection deadlines).
int64_t steady_now_ns() noexcept;

}  // namespace modrt::http
