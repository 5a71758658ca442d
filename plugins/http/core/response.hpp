// One HTTP response as a function (through the exchange) and the server build it, and its
// framing on the wire: a head with Content-Length for a buffered body, chunked after a
// flush (HTTP/1.1), or delimited by closing the connection (HTTP/1.0 after a flush).
#pragma once

#include "request.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace modrt::http {

/// How the body after the head is delimited.
enum class Framing { Length, Chunked, UntilClose };

class Response {
public:
    /// Forget the last response, keeping every buffer's capacity.
    void clear();

    int status = 200;
    bool touched = false;    // the function set a status, a header or wrote body
    bool head_sent = false;  // flushed: the head is on the wire
    Framing framing = Framing::Length;
    bool close_after = false;  // close the connection once this response is sent
    bool abort = false;        // send nothing more and close (client gone, or a flushed response failed)
    bool no_body = false;      // HEAD request, or a status that has none: the head only
    std::string body;          // what is buffered and not yet sent

    /// Set `name` to `value`, replacing a header of the same name (ASCII case-insensitive).
    void set_header(std::string_view name, std::string_view value);
    /// Add `name: value` even when one of that name is set (Vary, ...).
    void add_header(std::string_view name, std::string_view value);
    /// The value of `name` (case-insensitive); empty view with null data when unset.
    std::string_view header(std::string_view name) const noexcept;

    /// Serialize the head (status line and headers) into head_text for `request`, with
    /// `framing` and, for Framing::Length, `content_length`.
    void build_head(const Request& request, Framing framing, uint64_t content_length);
    std::string head_text;
    /// Chunk framing scratch (chunk_prefix for the body, the CRLF after it, the last chunk).
    std::string chunk_prefix;

    /// Replace everything a function or middleware wrote with a JSON error answer:
    /// {"error": {"kind": kind, "message": message, "request_id": id}}.
    void set_error(int status, std::string_view kind, std::string_view message, std::string_view request_id);

    /// The headers set so far (by middleware) survive set_error; later ones (a function's) do not.
    void seal_headers() noexcept;

private:
    struct Header {
        uint32_t at, name_len, value_len;
        bool removed;
    };
    std::string header_text_;
    std::vector<Header> headers_;
    size_t sealed_ = 0;
};

/// Valid as a header name: an RFC 9110 token.
bool valid_header_name(std::string_view name) noexcept;
/// Valid as a header value: no CR, LF, NUL or other control character but HTAB.
bool valid_header_value(std::string_view value) noexcept;
/// Whether a response with `status` to `method` carries no body (HEAD, 1xx, 204, 304).
bool status_has_no_body(int status) noexcept;
/// The reason phrase ("OK", "Not Found"); "" for unknown codes.
std::string_view reason_phrase(int status) noexcept;

}  // namespace modrt::http
