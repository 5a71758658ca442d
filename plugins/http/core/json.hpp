// JSON text for what the http plugin sends itself: error bodies, and a handler's returned
// value when it wrote no response (a modrt value tree, read through the host API).
#pragma once

#include <modrt/abi.h>

#include <string>
#include <string_view>

namespace modrt::http {

/// Append `s` as a JSON string literal (quotes included); control characters escaped.
void append_json_string(std::string& out, std::string_view s);
/// Append `value` as JSON: nil -> null, bytes as a string, a non-finite number as null;
/// containers nested deeper than 256 levels are cut off as null.
void append_json_value(std::string& out, const modrt_value* value);

}  // namespace modrt::http
