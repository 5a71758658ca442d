// JSON <-> value conversion (CLI arguments and output, fixtures).
#pragma once

#include <modrt/kernel/error.hpp>
#include <modrt/kernel/value.hpp>

#include <string>
#include <string_view>

namespace modrt::kernel {

/// Parse one JSON text. Integers that fit int64 become INT, other numbers NUMBER
/// (an integer beyond int64, like 18446744073709551615, the nearest double); a
/// number too large for a double (1e400) is an error. On bad JSON returns an
/// INVALID error whose message names the byte offset.
ErrorPtr parse_json(std::string_view text, Value& out);

/// Serialise a value as JSON, for diagnostics (error details, stats): BYTES become
/// base64 strings, a NaN or infinite number becomes null; `indent` < 0 gives one line.
/// Numbers are lossless otherwise: an INT prints its digits, a finite double the
/// shortest text that reads back as the same double, and an integral double from
/// 2^53 up to 10^21 its exact digits plus ".0" (2^63 -> 9223372036854775808.0).
std::string to_json(const Value& value, int indent = -1);

/// Like to_json, for output a program reads (a call's result): a NaN or infinite
/// number is an INVALID error naming its path from `name` ("result.stats.mean is
/// NaN; JSON has no NaN or Infinity"), and `out` is left empty.
ErrorPtr write_json(const Value& value, std::string& out, int indent = -1, std::string_view name = "value");

}  // namespace modrt::kernel
