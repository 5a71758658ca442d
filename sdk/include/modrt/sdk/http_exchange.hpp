// modrt SDK, the HTTP exchange a native function serving a request reads and writes
// (modrt/http.h). Part of the header-only C++ layer; include <modrt/sdk.hpp>.
#ifndef MODRT_SDK_HTTP_EXCHANGE_HPP
#define MODRT_SDK_HTTP_EXCHANGE_HPP

#include <modrt/http.h>
#include <modrt/sdk/trigger_calls.hpp>

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace modrt::http {

/// A borrowed view of the request being served and its response: valid while the call runs.
///
///   MODRT_NATIVE_FUNCTION(hello) {
///       auto ex = modrt::http::Exchange::of(frame);
///       if (!ex) return modrt::Error(MODRT_ERR_INVALID, "hello serves HTTP requests");
///       ex->set_header("Content-Type", "text/plain");
///       return ex->write("hello " + std::string(ex->query("name").value_or("world")));
///   }
class Exchange {
public:
    explicit Exchange(modrt_http_exchange* ex) noexcept : ex_(ex) {}

    /// The exchange lent to the call of `frame` (or a synchronous caller of it); nullopt outside HTTP requests.
    template <unsigned TargetMinor = MODRT_TARGET_ABI_MINOR>
    static std::optional<Exchange> of(const Frame& frame) noexcept {
        void* p = frame_attachment<TargetMinor>(frame, MODRT_HTTP_EXCHANGE_KEY);
        if (p == nullptr) return std::nullopt;
        return Exchange(static_cast<modrt_http_exchange*>(p));
    }

    std::string_view method() const noexcept { return field(MODRT_HTTP_METHOD); }
    std::string_view path() const noexcept { return field(MODRT_HTTP_PATH); }
    std::string_view query_string() const noexcept { return field(MODRT_HTTP_QUERY_STRING); }
    std::string_view body() const noexcept { return field(MODRT_HTTP_BODY); }
    std::string_view remote_addr() const noexcept { return field(MODRT_HTTP_REMOTE_ADDR); }
    std::string_view host() const noexcept { return field(MODRT_HTTP_HOST); }
    std::string_view request_id() const noexcept { return field(MODRT_HTTP_REQUEST_ID); }
    std::string_view route() const noexcept { return field(MODRT_HTTP_ROUTE); }
    std::string_view field(modrt_http_field f) const noexcept { return to_view(ex_->api->field(ex_, f)); }

    /// A path parameter, query parameter or header (case-insensitive name); nullopt when absent.
    std::optional<std::string_view> param(std::string_view name) const noexcept { return get(MODRT_HTTP_PARAMS, name); }
    std::optional<std::string_view> query(std::string_view name) const noexcept { return get(MODRT_HTTP_QUERY, name); }
    std::optional<std::string_view> header(std::string_view name) const noexcept {
        return get(MODRT_HTTP_HEADERS, name);
    }
    std::optional<std::string_view> get(modrt_http_list list, std::string_view name) const noexcept {
        modrt_str v = ex_->api->get(ex_, list, to_str(name));
        if (v.ptr == nullptr) return std::nullopt;
        return to_view(v);
    }
    /// Every pair of `list`, in order.
    std::vector<std::pair<std::string_view, std::string_view>> all(modrt_http_list list) const {
        std::vector<std::pair<std::string_view, std::string_view>> out;
        size_t n = ex_->api->count(ex_, list);
        out.reserve(n);
        for (size_t i = 0; i < n; ++i)
            out.emplace_back(to_view(ex_->api->name_at(ex_, list, i)), to_view(ex_->api->value_at(ex_, list, i)));
        return out;
    }

    Error set_status(int status) noexcept { return Error(ex_->api->set_status(ex_, status)); }
    Error set_header(std::string_view name, std::string_view value) noexcept {
        return Error(ex_->api->set_header(ex_, to_str(name), to_str(value)));
    }
    Error write(std::string_view data) noexcept { return Error(ex_->api->write(ex_, to_str(data))); }
    Error flush() noexcept { return Error(ex_->api->flush(ex_)); }
    bool responded() const noexcept { return ex_->api->responded(ex_) != 0; }
    modrt_http_exchange* raw() const noexcept { return ex_; }

private:
    modrt_http_exchange* ex_;
};

}  // namespace modrt::http

#endif  // MODRT_SDK_HTTP_EXCHANGE_HPP
