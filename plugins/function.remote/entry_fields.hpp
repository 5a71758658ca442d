// Reading the fields both kinds share: registry errors that point at their field, durations.
#pragma once

#include <modrt/duration.hpp>
#include <modrt/sdk.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace modrt::remote {

[[noreturn]] inline void refuse(std::string_view field, const std::string& message) {
    throw Failure(Error(MODRT_ERR_INVALID, std::string(field) + ": " + message).set_field(field));
}

/// A duration written as "30s" or as milliseconds; nullopt when `v` is neither.
inline std::optional<std::chrono::nanoseconds> duration_of(ValueView v) {
    if (v.is_string()) return parse_duration(v.as_string());
    if (v.type() == MODRT_INT) return duration_from_ms(static_cast<double>(v.as_int()));
    if (v.type() == MODRT_NUMBER) return duration_from_ms(v.as_number());
    return std::nullopt;
}

/// `field` of the entry as a positive duration, `fallback` when absent.
inline std::chrono::nanoseconds positive_duration(const EntryInfo& info, std::string_view field,
                                                  std::chrono::nanoseconds fallback) {
    ValueView v = info.field(field);
    if (v.is_nil()) return fallback;
    auto d = duration_of(v);
    if (!d || d->count() == 0) refuse(field, "expected a duration such as 30s or 500ms");
    return *d;
}

/// `prefix` of the entry (default modrt.call), checked.
std::string subject_prefix(const EntryInfo& info);

}  // namespace modrt::remote
