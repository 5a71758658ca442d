// The request storage and the Beast parser feeding it (request.hpp).
#include "request.hpp"
#include "ascii.hpp"

#include <boost/beast/http/error.hpp>

#include <algorithm>

namespace modrt::http {

namespace {

namespace bhttp = boost::beast::http;

int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

Pair append_pair(std::string& arena, std::string_view name, std::string_view value, bool lower_name) {
    Pair p{static_cast<uint32_t>(arena.size()), static_cast<uint32_t>(name.size()), 0,
           static_cast<uint32_t>(value.size())};
    if (lower_name)
        for (char c : name) arena.push_back(ascii_lower(c));
    else arena.append(name);
    p.value_at = static_cast<uint32_t>(arena.size());
    arena.append(value);
    return p;
}

std::string_view host_without_port(std::string_view host) noexcept {
    if (host.starts_with('[')) {  // [v6]:port
        size_t end = host.find(']');
        return end == std::string_view::npos ? host : host.substr(0, end + 1);
    }
    size_t colon = host.rfind(':');
    return colon == std::string_view::npos ? host : host.substr(0, colon);
}

}  // namespace

void Request::clear() {
    // Buffers are kept for the next request, unless one large body made them large.
    if (body.capacity() > kKeptCapacity) std::string().swap(body);
    method.clear();
    target.clear();
    path.clear();
    query_string.clear();
    body.clear();
    request_id.clear();
    route.clear();
    host.clear();
    version = 11;
    keep_alive = true;
    expect_continue = false;
    headers.clear();
    header_text.clear();
    params.clear();
    param_text.clear();
    query_.clear();
    query_text_.clear();
    query_parsed_ = false;
}

const std::string& Request::arena_of(const std::vector<Pair>& list) const noexcept {
    if (&list == &headers) return header_text;
    if (&list == &params) return param_text;
    return query_text_;
}

std::string_view Request::name_of(const std::vector<Pair>& list, size_t i) const noexcept {
    const std::string& a = arena_of(list);
    return std::string_view(a).substr(list[i].name_at, list[i].name_len);
}

std::string_view Request::value_of(const std::vector<Pair>& list, size_t i) const noexcept {
    const std::string& a = arena_of(list);
    return std::string_view(a).substr(list[i].value_at, list[i].value_len);
}

std::string_view Request::header(std::string_view lower_name) const noexcept {
    for (size_t i = 0; i < headers.size(); ++i)
        if (name_of(headers, i) == lower_name) return value_of(headers, i);
    return {};
}

void Request::add_param(std::string_view name, std::string_view value) {
    params.push_back(append_pair(param_text, name, value, false));
}

const std::vector<Pair>& Request::query() const {
    if (query_parsed_) return query_;
    query_parsed_ = true;
    std::string_view q = query_string;
    std::string name, value;
    while (!q.empty()) {
        size_t amp = q.find('&');
        std::string_view item = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
        if (item.empty()) continue;
        size_t eq = item.find('=');
        name.clear();
        value.clear();
        // A malformed escape keeps its raw text: the query is the client's, not ours to refuse.
        if (!percent_decode(item.substr(0, eq), name, true)) name.assign(item.substr(0, eq));
        if (eq != std::string_view::npos && !percent_decode(item.substr(eq + 1), value, true))
            value.assign(item.substr(eq + 1));
        query_.push_back(append_pair(query_text_, name, value, false));
    }
    return query_;
}

std::string_view Request::query_name(size_t i) const noexcept {
    return std::string_view(query_text_).substr(query_[i].name_at, query_[i].name_len);
}

std::string_view Request::query_value(size_t i) const noexcept {
    return std::string_view(query_text_).substr(query_[i].value_at, query_[i].value_len);
}

bool percent_decode(std::string_view in, std::string& out, bool plus_is_space) {
    for (size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) return false;
            int hi = hex_digit(in[i + 1]), lo = hex_digit(in[i + 2]);
            if (hi < 0 || lo < 0) return false;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return true;
}

RequestParser::RequestParser(Request& request, uint32_t max_header_bytes, uint64_t max_body_bytes)
    : req_(request) {
    header_limit(max_header_bytes);
    body_limit(max_body_bytes);
    eager(true);
}

void RequestParser::on_request_impl(bhttp::verb, string_view method_str, string_view target, int version, error_code&) {
    req_.method.assign(method_str.data(), method_str.size());
    req_.target.assign(target.data(), target.size());
    req_.version = version;
}

void RequestParser::on_response_impl(int, string_view, int, error_code& ec) { ec = bhttp::error::bad_version; }

void RequestParser::on_field_impl(bhttp::field name, string_view name_string, string_view value, error_code&) {
    req_.headers.push_back(append_pair(req_.header_text, std::string_view(name_string.data(), name_string.size()),
                                       std::string_view(value.data(), value.size()), true));
    if (name == bhttp::field::host) {
        req_.host.assign(host_without_port(std::string_view(value.data(), value.size())));
    } else if (name == bhttp::field::expect) {
        std::string_view v(value.data(), value.size());
        static constexpr std::string_view kContinue = "100-continue";
        req_.expect_continue = v.size() == kContinue.size();
        for (size_t i = 0; req_.expect_continue && i < v.size(); ++i)
            req_.expect_continue = ascii_lower(v[i]) == kContinue[i];
    }
}

void RequestParser::on_header_impl(error_code&) { req_.keep_alive = keep_alive(); }

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length, error_code&) {
    // What the client claims is reserved only up to a point: it may never send it.
    if (content_length) req_.body.reserve(static_cast<size_t>(std::min<uint64_t>(*content_length, kKeptCapacity)));
}

std::size_t RequestParser::on_body_impl(string_view body, error_code&) {
    req_.body.append(body.data(), body.size());
    return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, string_view, error_code&) {}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
    req_.body.append(body.data(), body.size());
    return body.size();
}

void RequestParser::on_finish_impl(error_code&) {}

ParseStep parse_some(RequestParser& parser, std::string_view data, size_t& used, int& status) {
    used = 0;
    boost::beast::error_code ec;
    while (used < data.size()) {
        size_t n = parser.put(boost::asio::const_buffer(data.data() + used, data.size() - used), ec);
        used += n;
        if (ec == bhttp::error::need_more) return ParseStep::NeedMore;
        if (ec) {
            status = ec == bhttp::error::header_limit ? 431 : ec == bhttp::error::body_limit ? 413 : 400;
            return ParseStep::Failed;
        }
        if (parser.is_done()) return ParseStep::Done;
        if (n == 0) return ParseStep::NeedMore;
    }
    return parser.is_done() ? ParseStep::Done : ParseStep::NeedMore;
}

}  // namespace modrt::http
