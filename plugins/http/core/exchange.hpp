// The HTTP exchange the http plugin lends to each request's root call (modrt/http.h): the
// C hooks of modrt_http_api over a Request and a Response. It never touches a socket: a
// flush goes through a Sink, so the same code runs in the server and in the fuzz target.
#pragma once

#include "request.hpp"
#include "response.hpp"

#include <modrt/http.h>

#include <atomic>
#include <cstdint>
#include <string_view>

namespace modrt::http {

/// Where a flush sends bytes: the connection's socket, synchronously, on the thread of the call.
class Sink {
public:
    virtual ~Sink() = default;
    /// Send every part in order; false when the client is gone or the write timed out.
    virtual bool send(const std::string_view* parts, size_t count) = 0;
};

/// The object behind modrt_http_exchange*: its first member is the C head (http.h).
struct LentExchange {
    modrt_http_exchange head;  // must stay first: functions see &head
    Request* request;
    Response* response;
    Sink* sink;
    uint64_t max_body_bytes;         // the most a response may buffer between flushes
    std::atomic<bool>* client_gone;  // set when the client closed the connection

    LentExchange(Request& req, Response& res, Sink& sink, uint64_t max_body, std::atomic<bool>& gone) noexcept;
    LentExchange(const LentExchange&) = delete;
    LentExchange& operator=(const LentExchange&) = delete;
};

/// The hooks (static storage).
const modrt_http_api* exchange_api() noexcept;

/// Send what a flush sends: the head (once) and the buffered body as a chunk. Also used at
/// the end of a call that flushed. False when the sink failed (the client is gone).
bool flush_response(const Request& req, Response& res, Sink& sink);
/// Send the end of a flushed response: the buffered rest and the last chunk.
bool finish_flushed_response(Response& res, Sink& sink);

}  // namespace modrt::http
