#include <modrt/kernel/error.hpp>

#include <modrt/error_kinds.hpp>

#include <utility>

namespace modrt::kernel {

bool default_retryable(modrt_error_kind kind) {
    return kind == MODRT_ERR_UNAVAILABLE || kind == MODRT_ERR_TIMEOUT || kind == MODRT_ERR_RATE_LIMITED ||
           kind == MODRT_ERR_CONFLICT;
}

ErrorPtr make_error(modrt_error_kind kind, std::string message) {
    auto e = std::make_unique<modrt_error>();
    e->kind = kind;
    e->message = std::move(message);
    e->retryable = default_retryable(kind);
    return e;
}

ErrorPtr clone_error(const modrt_error& src) {
    auto e = std::make_unique<modrt_error>();
    e->kind = src.kind;
    e->message = src.message;
    e->retryable = src.retryable;
    if (src.details) e->details = std::make_unique<modrt_value>(*src.details);
    e->stack = src.stack;
    return e;
}

std::string_view kind_name(modrt_error_kind kind) { return error_kind_name(kind); }

std::optional<modrt_error_kind> parse_kind(std::string_view name) { return parse_error_kind(name); }

std::string describe(const modrt_error& e) {
    std::string out(kind_name(e.kind));
    out += ": ";
    out += e.message;
    return out;
}

}  // namespace modrt::kernel
