// The exchange's hooks (exchange.hpp).
#include "exchange.hpp"
#include "ascii.hpp"

#include <modrt/sdk.hpp>

#include <charconv>
#include <cstddef>
#include <type_traits>

namespace modrt::http {

namespace {

static_assert(std::is_standard_layout_v<LentExchange>, "the C head must be at the start of LentExchange");
static_assert(offsetof(LentExchange, head) == 0, "the C head must be at the start of LentExchange");

LentExchange& self(modrt_http_exchange* ex) noexcept { return *reinterpret_cast<LentExchange*>(ex); }
const LentExchange& self(const modrt_http_exchange* ex) noexcept { return *reinterpret_cast<const LentExchange*>(ex); }

modrt_str str(std::string_view s) noexcept { return modrt_str{s.data(), s.size()}; }

// An empty field is {"",0}, never NULL (http.h).
modrt_str field_str(std::string_view s) noexcept { return s.empty() ? modrt_str{"", 0} : str(s); }

modrt_error* fail(modrt_error_kind kind, std::string_view message) noexcept {
    return host_api().error_new(kind, str(message));
}

modrt_str ex_field(const modrt_http_exchange* ex, modrt_http_field f) noexcept {
    const Request& r = *self(ex).request;
    switch (f) {
        case MODRT_HTTP_METHOD: return field_str(r.method);
        case MODRT_HTTP_PATH: return field_str(r.path);
        case MODRT_HTTP_QUERY_STRING: return field_str(r.query_string);
        case MODRT_HTTP_BODY: return field_str(r.body);
        case MODRT_HTTP_REMOTE_ADDR: return field_str(r.remote_addr);
        case MODRT_HTTP_HOST: return field_str(r.host);
        case MODRT_HTTP_REQUEST_ID: return field_str(r.request_id);
        case MODRT_HTTP_PROTOCOL: return field_str(r.version >= 11 ? "HTTP/1.1" : "HTTP/1.0");
        case MODRT_HTTP_ROUTE: return field_str(r.route);
    }
    return modrt_str{"", 0};
}

size_t ex_count(const modrt_http_exchange* ex, modrt_http_list list) noexcept {
    const Request& r = *self(ex).request;
    switch (list) {
        case MODRT_HTTP_PARAMS: return r.params.size();
        case MODRT_HTTP_HEADERS: return r.headers.size();
        case MODRT_HTTP_QUERY: try { return r.query().size();
            } catch (...) {  // out of memory parsing the query: it reads as empty
                return 0;
            }
    }
    return 0;
}

modrt_str pair_at(const modrt_http_exchange* ex, modrt_http_list list, size_t i, bool name) noexcept {
    const Request& r = *self(ex).request;
    if (i >= ex_count(ex, list)) return modrt_str{"", 0};
    switch (list) {
        case MODRT_HTTP_PARAMS: return str(name ? r.name_of(r.params, i) : r.value_of(r.params, i));
        case MODRT_HTTP_HEADERS: return str(name ? r.name_of(r.headers, i) : r.value_of(r.headers, i));
        case MODRT_HTTP_QUERY: return str(name ? r.query_name(i) : r.query_value(i));
    }
    return modrt_str{"", 0};
}

modrt_str ex_name_at(const modrt_http_exchange* ex, modrt_http_list list, size_t i) noexcept {
    return pair_at(ex, list, i, true);
}

modrt_str ex_value_at(const modrt_http_exchange* ex, modrt_http_list list, size_t i) noexcept {
    return pair_at(ex, list, i, false);
}

modrt_str ex_get(const modrt_http_exchange* ex, modrt_http_list list, modrt_str name) noexcept {
    std::string_view want = name.ptr ? std::string_view(name.ptr, name.len) : std::string_view();
    const Request& r = *self(ex).request;
    // One pass over the list itself (a handler's req:query("name") per request): not through
    // name_at/value_at, which bound-check by counting, and for the query by parsing, each time.
    auto found = [](std::string_view v) { return v.data() ? str(v) : modrt_str{"", 0}; };
    switch (list) {
        case MODRT_HTTP_PARAMS:
            for (size_t i = 0; i < r.params.size(); ++i)
                if (r.name_of(r.params, i) == want) return found(r.value_of(r.params, i));
            break;
        case MODRT_HTTP_HEADERS:
            for (size_t i = 0; i < r.headers.size(); ++i)
                if (iequals(r.name_of(r.headers, i), want)) return found(r.value_of(r.headers, i));
            break;
        case MODRT_HTTP_QUERY:
            try {
                const size_t n = r.query().size();
                for (size_t i = 0; i < n; ++i)
                    if (r.query_name(i) == want) return found(r.query_value(i));
            } catch (...) {  // out of memory parsing the query: it reads as empty
            }
            break;
    }
    return modrt_str{nullptr, 0};
}

modrt_error* ex_set_status(modrt_http_exchange* ex, int status) noexcept {
    Response& res = *self(ex).response;
    if (status < 100 || status > 599) return fail(MODRT_ERR_INVALID, "http: status must be 100-599");
    if (res.head_sent) return fail(MODRT_ERR_INVALID, "http: the response head was already sent (flush)");
    res.status = status;
    res.touched = true;
    return nullptr;
}

modrt_error* ex_set_header(modrt_http_exchange* ex, modrt_str name, modrt_str value) noexcept {
    Response& res = *self(ex).response;
    std::string_view n = name.ptr ? std::string_view(name.ptr, name.len) : std::string_view();
    std::string_view v = value.ptr ? std::string_view(value.ptr, value.len) : std::string_view();
    if (!valid_header_name(n)) return fail(MODRT_ERR_INVALID, "http: not a valid header name");
    if (!valid_header_value(v)) return fail(MODRT_ERR_INVALID, "http: a header value may not hold CR, LF or NUL");
    if (res.head_sent) return fail(MODRT_ERR_INVALID, "http: the response head was already sent (flush)");
    try {
        res.set_header(n, v);
    } catch (...) {
        return fail(MODRT_ERR_INTERNAL, "http: out of memory");
    }
    res.touched = true;
    return nullptr;
}

modrt_error* ex_write(modrt_http_exchange* ex, modrt_str data) noexcept {
    LentExchange& e = self(ex);
    Response& res = *e.response;
    if (e.client_gone->load(std::memory_order_relaxed)) return fail(MODRT_ERR_CANCELED, "http: the client is gone");
    res.touched = true;
    if (data.len == 0) return nullptr;
    if (res.body.size() + data.len > e.max_body_bytes)
        return fail(MODRT_ERR_INVALID, "http: the response body passed the service's max_body_bytes (flush sooner)");
    try {
        res.body.append(data.ptr, data.len);
    } catch (...) {
        return fail(MODRT_ERR_INTERNAL, "http: out of memory");
    }
    return nullptr;
}

modrt_error* ex_flush(modrt_http_exchange* ex) noexcept {
    LentExchange& e = self(ex);
    if (e.client_gone->load(std::memory_order_relaxed)) return fail(MODRT_ERR_CANCELED, "http: the client is gone");
    e.response->touched = true;
    try {
        if (!flush_response(*e.request, *e.response, *e.sink)) {
            e.client_gone->store(true, std::memory_order_relaxed);
            return fail(MODRT_ERR_CANCELED, "http: the client is gone");
        }
    } catch (...) {
        return fail(MODRT_ERR_INTERNAL, "http: out of memory");
    }
    return nullptr;
}

int ex_responded(const modrt_http_exchange* ex) noexcept { return self(ex).response->touched ? 1 : 0; }

constexpr modrt_http_api kApi{
    sizeof(modrt_http_api), &ex_field,      &ex_count, &ex_name_at, &ex_value_at,  &ex_get,
    &ex_set_status,         &ex_set_header, &ex_write, &ex_flush,   &ex_responded,
};

void chunk_prefix(std::string& out, size_t size) {
    out.clear();
    char buf[20];
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<uint64_t>(size), 16);
    out.append(buf, r.ptr);
    out += "\r\n";
}

}  // namespace

LentExchange::LentExchange(Request& req, Response& res, Sink& s, uint64_t max_body, std::atomic<bool>& gone) noexcept
    : head{sizeof(modrt_http_exchange), &kApi, 0},
      request(&req),
      response(&res),
      sink(&s),
      max_body_bytes(max_body),
      client_gone(&gone) {}

const modrt_http_api* exchange_api() noexcept { return &kApi; }

bool flush_response(const Request& req, Response& res, Sink& sink) {
    std::string_view parts[4];
    size_t n = 0;
    if (!res.head_sent) {
        res.no_body = res.no_body || status_has_no_body(res.status);
        res.build_head(req, req.version >= 11 ? Framing::Chunked : Framing::UntilClose, 0);
        parts[n++] = res.head_text;
        res.head_sent = true;
    }
    if (!res.no_body && !res.body.empty()) {
        if (res.framing == Framing::Chunked) {
            chunk_prefix(res.chunk_prefix, res.body.size());
            parts[n++] = res.chunk_prefix;
            parts[n++] = res.body;
            parts[n++] = "\r\n";
        } else {
            parts[n++] = res.body;
        }
    }
    bool ok = n == 0 || sink.send(parts, n);
    res.body.clear();
    return ok;
}

bool finish_flushed_response(Response& res, Sink& sink) {
    std::string_view parts[4];
    size_t n = 0;
    if (!res.no_body && !res.body.empty()) {
        if (res.framing == Framing::Chunked) {
            chunk_prefix(res.chunk_prefix, res.body.size());
            parts[n++] = res.chunk_prefix;
            parts[n++] = res.body;
            parts[n++] = "\r\n";
        } else {
            parts[n++] = res.body;
        }
    }
    if (!res.no_body && res.framing == Framing::Chunked) parts[n++] = "0\r\n\r\n";
    bool ok = n == 0 || sink.send(parts, n);
    res.body.clear();
    return ok;
}

}  // namespace modrt::http
