// JSON <-> value conversion (CLI arguments and output, fixtures).
#pragma once

#include <modrt/kernel/error.hpp>
#include <modrt/kernel/value.hpp>

#include <string>
#include <string_view>

namespace modrt::kernel {

/// Parse one JSON text. Integers that fit int64 become INT, other numbers NUMBER.
/// On bad JSON returns an INVALID error whose message names the byte offset.
ErrorPtr parse_json(std::string_view text, Value& out);

/// Serialise a value as JSON. BYTES become base64 strings; `indent` < 0 gives one line.
std::string to_json(const Value& value, int indent = -1);

}  // namespace modrt::kernel
