// One HTTP request as the http plugin holds it while its function runs: method, target,
// headers (names lower-cased), body, and what routing adds (path parameters), all in
// per-connection storage that is cleared, not freed, between requests. The bytes are
// parsed by Beast's HTTP/1 parser (RequestParser); nothing here parses HTTP by hand.
#pragma once

#include <boost/beast/http/basic_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace modrt::http {

/// A body buffer larger than this is freed between requests rather than kept.
inline constexpr size_t kKeptCapacity = 1 << 20;

/// A name/value pair stored as offsets into one of the request's string arenas (offsets,
/// because an arena may grow while the request is parsed).
struct Pair {
    uint32_t name_at, name_len, value_at, value_len;
};

/// The request: read by the exchange while the call runs, written only before it.
class Request {
public:
    /// Forget the last request, keeping every buffer's capacity.
    void clear();

    std::string method;
    std::string target;  // as sent
    std::string path;    // percent-decoded, without the query string
    std::string query_string;
    std::string body;
    std::string request_id;
    std::string route;        // the matched endpoint's pattern ("/users/{id}")
    std::string remote_addr;  // "ip:port", set once per connection
    std::string host;         // the Host header without the port
    int version = 11;         // 10 or 11
    bool keep_alive = true;   // what the client asked for (Connection, version)
    bool expect_continue = false;

    /// Headers in the order they came, names lower-cased.
    std::vector<Pair> headers;
    std::string header_text;
    /// Path parameters in pattern order.
    std::vector<Pair> params;
    std::string param_text;

    /// The first header named `lower_name` (lower case); nullptr-data view when absent.
    std::string_view header(std::string_view lower_name) const noexcept;
    std::string_view name_of(const std::vector<Pair>& list, size_t i) const noexcept;
    std::string_view value_of(const std::vector<Pair>& list, size_t i) const noexcept;

    /// Query parameters (percent-decoded, '+' as space), parsed on first use: the exchange asks
    /// for them only when a function does. Strings of the other lists stay valid meanwhile.
    const std::vector<Pair>& query() const;
    std::string_view query_name(size_t i) const noexcept;
    std::string_view query_value(size_t i) const noexcept;

    void add_param(std::string_view name, std::string_view value);

private:
    const std::string& arena_of(const std::vector<Pair>& list) const noexcept;

    mutable std::vector<Pair> query_;
    mutable std::string query_text_;
    mutable bool query_parsed_ = false;
};

/// Percent-decode `in` onto `out`; '+' becomes a space when `plus_is_space`. False for a
/// malformed escape (then `out` holds what was decoded so far).
bool percent_decode(std::string_view in, std::string& out, bool plus_is_space);

/// Feeds bytes to Beast's request parser, storing what it finds into a Request. A new one
/// is made (in place) for every request; Beast's parser cannot be reset.
class RequestParser final : public boost::beast::http::basic_parser<true> {
public:
    RequestParser(Request& request, uint32_t max_header_bytes, uint64_t max_body_bytes);

private:
    using error_code = boost::beast::error_code;
    using string_view = boost::beast::string_view;

    void on_request_impl(boost::beast::http::verb method, string_view method_str, string_view target, int version,
                         error_code& ec) override;
    void on_response_impl(int, string_view, int, error_code& ec) override;
    void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                       error_code& ec) override;
    void on_header_impl(error_code& ec) override;
    void on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code& ec) override;
    std::size_t on_body_impl(string_view body, error_code& ec) override;
    void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override;
    std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
    void on_finish_impl(error_code& ec) override;

    Request& req_;
};

/// What feeding a parser came to.
enum class ParseStep {
    NeedMore,  // the message is not complete: read more
    Done,      // a whole request is in the Request; unparsed bytes stay in the buffer
    Failed     // malformed or too large: answer `status` and close
};

/// Parse what `data` holds; `used` receives how many bytes were consumed (drop them from the
/// buffer), `status` the status to answer on Failed (400, 413 or 431).
ParseStep parse_some(RequestParser& parser, std::string_view data, size_t& used, int& status);

}  // namespace modrt::http
