#include <modrt/kernel/error.hpp>

#include <array>
#include <utility>

namespace modrt::kernel {

namespace {
struct KindName {
    modrt_error_kind kind;
    std::string_view wippy;  // what err:kind() returns and the CLI prints
    std::string_view upper;  // the constant's name
};
constexpr std::array<KindName, 11> kKinds{{
    {MODRT_ERR_UNKNOWN, "Unknown", "UNKNOWN"},
    {MODRT_ERR_NOT_FOUND, "NotFound", "NOT_FOUND"},
    {MODRT_ERR_ALREADY_EXISTS, "AlreadyExists", "ALREADY_EXISTS"},
    {MODRT_ERR_INVALID, "Invalid", "INVALID"},
    {MODRT_ERR_PERMISSION_DENIED, "PermissionDenied", "PERMISSION_DENIED"},
    {MODRT_ERR_UNAVAILABLE, "Unavailable", "UNAVAILABLE"},
    {MODRT_ERR_INTERNAL, "Internal", "INTERNAL"},
    {MODRT_ERR_CANCELED, "Canceled", "CANCELED"},
    {MODRT_ERR_CONFLICT, "Conflict", "CONFLICT"},
    {MODRT_ERR_TIMEOUT, "Timeout", "TIMEOUT"},
    {MODRT_ERR_RATE_LIMITED, "RateLimited", "RATE_LIMITED"},
}};
}  // namespace

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

std::string_view kind_name(modrt_error_kind kind) {
    for (const auto& k : kKinds)
        if (k.kind == kind) return k.wippy;
    return "Unknown";
}

std::optional<modrt_error_kind> parse_kind(std::string_view name) {
    for (const auto& k : kKinds)
        if (k.wippy == name || k.upper == name) return k.kind;
    return std::nullopt;
}

std::string describe(const modrt_error& e) {
    std::string out(kind_name(e.kind));
    out += ": ";
    out += e.message;
    return out;
}

}  // namespace modrt::kernel
