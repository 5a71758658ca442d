// The kernel's error model: the definition behind the opaque modrt_error.
#pragma once

#include <modrt/abi.h>
#include <modrt/kernel/value.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct modrt_error {
    modrt_error_kind kind = MODRT_ERR_UNKNOWN;
    std::string message;
    bool retryable = false;
    std::unique_ptr<modrt_value> details;  // null when none
    std::string stack;
};

namespace modrt::kernel {

using ErrorPtr = std::unique_ptr<modrt_error>;

/// New error; retryable defaults by kind (UNAVAILABLE, TIMEOUT, RATE_LIMITED, CONFLICT).
ErrorPtr make_error(modrt_error_kind kind, std::string message);
ErrorPtr clone_error(const modrt_error& e);
/// Wippy's spelling of a kind: "NotFound", "PermissionDenied", ...
std::string_view kind_name(modrt_error_kind kind);
/// Parse either spelling ("NotFound" or "NOT_FOUND"); nullopt when unknown.
std::optional<modrt_error_kind> parse_kind(std::string_view name);
bool default_retryable(modrt_error_kind kind);
/// "Kind: message" (the CLI's first line for an error).
std::string describe(const modrt_error& e);

}  // namespace modrt::kernel
