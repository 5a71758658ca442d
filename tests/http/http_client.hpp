// A small blocking HTTP/1.1 client for the http tests, on Boost.Beast: every operation is
// asynchronous underneath and run for a bounded time, so no test waits forever on a
// server that misbehaves. Raw writes let a test send malformed, slow or pipelined bytes.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <cctype>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace http_test {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

/// ASCII case-insensitive equality (header names).
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

struct Reply {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool keep_alive = true;

    /// The first header named `name` (case-insensitive); "" when absent.
    std::string header(std::string_view name) const {
        for (const auto& [n, v] : headers)
            if (iequals(n, name)) return v;
        return "";
    }
    bool has_header(std::string_view name) const {
        for (const auto& [n, v] : headers)
            if (iequals(n, name)) return true;
        return false;
    }
};

class Client {
public:
    /// Connect to 127.0.0.1:`port`; connected() says whether it worked.
    explicit Client(unsigned short port, std::chrono::milliseconds limit = 5000ms) {
        bool done = false;
        socket_.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                              [&](const boost::system::error_code& e) {
                                  done = true;
                                  ec_ = e;
                              });
        run(limit, done);
        connected_ = done && !ec_;
    }

    bool connected() const { return connected_; }

    /// Send one request and read its response.
    std::optional<Reply> request(const std::string& method, const std::string& target,
                                 const std::vector<std::pair<std::string, std::string>>& headers = {},
                                 const std::string& body = "", std::chrono::milliseconds limit = 5000ms) {
        std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (const auto& [n, v] : headers) raw += n + ": " + v + "\r\n";
        if (!body.empty() || method == "POST" || method == "PUT")
            raw += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        raw += "\r\n" + body;
        if (!send(raw, limit)) return std::nullopt;
        return read(limit, method == "HEAD");
    }

    /// Write `bytes` as they are.
    bool send(const std::string& bytes, std::chrono::milliseconds limit = 5000ms) {
        bool done = false;
        net::async_write(socket_, net::buffer(bytes), [&](const boost::system::error_code& e, size_t) {
            done = true;
            ec_ = e;
        });
        run(limit, done);
        return done && !ec_;
    }

    /// Read one response (for a HEAD request: no body).
    std::optional<Reply> read(std::chrono::milliseconds limit = 5000ms, bool head = false) {
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(64 << 20);
        parser.skip(head);
        bool done = false;
        bhttp::async_read(socket_, buffer_, parser, [&](const boost::system::error_code& e, size_t) {
            done = true;
            ec_ = e;
        });
        run(limit, done);
        if (!done || ec_) return std::nullopt;
        Reply r;
        const auto& msg = parser.get();
        r.status = static_cast<int>(msg.result_int());
        for (const auto& f : msg) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        r.body = msg.body();
        r.keep_alive = msg.keep_alive();
        return r;
    }

    /// Whether the server closes the connection within `limit` (what is read meanwhile is dropped).
    bool closed_by_server(std::chrono::milliseconds limit) {
        bool closed = false;
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (!closed && std::chrono::steady_clock::now() < deadline) {
            char buf[4096];
            bool done = false;
            socket_.async_read_some(net::buffer(buf), [&](const boost::system::error_code& e, size_t) {
                done = true;
                if (e) closed = true;
            });
            run(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()),
                done);
            if (!done) break;
        }
        return closed;
    }

    /// Everything until the server closes (bounded), as raw text.
    std::string read_all(std::chrono::milliseconds limit = 5000ms) {
        std::string out(static_cast<const char*>(buffer_.data().data()), buffer_.size());
        buffer_.consume(buffer_.size());
        auto deadline = std::chrono::steady_clock::now() + limit;
        for (;;) {
            char buf[4096];
            bool done = false, closed = false;
            size_t got = 0;
            socket_.async_read_some(net::buffer(buf), [&](const boost::system::error_code& e, size_t n) {
                done = true;
                got = n;
                closed = static_cast<bool>(e);
            });
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                              std::chrono::steady_clock::now());
            run(left.count() > 0 ? left : 1ms, done);
            out.append(buf, got);
            if (!done || closed) return out;
        }
    }

    void close() {
        boost::system::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
    }

private:
    // Run the context until `done` or `limit`; a late operation is canceled (and drained).
    void run(std::chrono::milliseconds limit, bool& done) {
        ioc_.restart();
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (!done && std::chrono::steady_clock::now() < deadline)
            ioc_.run_one_for(
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()) +
                1ms);
        if (!done) {
            boost::system::error_code ignored;
            socket_.cancel(ignored);
            ioc_.restart();
            ioc_.run_for(1000ms);
            done = false;
        }
    }

    net::io_context ioc_;
    tcp::socket socket_{ioc_};
    boost::beast::flat_buffer buffer_;
    boost::system::error_code ec_;
    bool connected_ = false;
};

/// One request on a fresh connection.
inline std::optional<Reply> fetch(unsigned short port, const std::string& method, const std::string& target,
                                  const std::vector<std::pair<std::string, std::string>>& headers = {},
                                  const std::string& body = "", std::chrono::milliseconds limit = 5000ms) {
    Client c(port, limit);
    if (!c.connected()) return std::nullopt;
    return c.request(method, target, headers, body, limit);
}

}  // namespace http_test
