// The names of the error kinds, shared by the kernel, the CLI and plugins so
// that every side spells them the same way (header-only, C++ only).
#ifndef MODRT_ERROR_KINDS_HPP
#define MODRT_ERROR_KINDS_HPP

#include <modrt/abi.h>

#include <optional>
#include <string_view>

namespace modrt {

/// One error kind and its two spellings.
struct ErrorKindName {
    modrt_error_kind kind;
    std::string_view name;      ///< Wippy's spelling: what err:kind() returns and the CLI prints ("NotFound")
    std::string_view constant;  ///< the constant's name and UPPER_SNAKE spelling ("NOT_FOUND")
};

/// Every kind, in enum order.
inline constexpr ErrorKindName kErrorKinds[] = {
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
};

/// Wippy's spelling of `kind` ("Unknown" for values outside the enum).
constexpr std::string_view error_kind_name(modrt_error_kind kind) noexcept {
    for (const auto& k : kErrorKinds)
        if (k.kind == kind) return k.name;
    return "Unknown";
}

/// Either spelling back to the kind; nullopt when unknown.
constexpr std::optional<modrt_error_kind> parse_error_kind(std::string_view name) noexcept {
    for (const auto& k : kErrorKinds)
        if (k.name == name || k.constant == name) return k.kind;
    return std::nullopt;
}

}  // namespace modrt

#endif  // MODRT_ERROR_KINDS_HPP
