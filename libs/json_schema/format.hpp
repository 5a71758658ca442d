// "format" checks: date-time, date, time, email, idn-email, hostname, idn-hostname, ipv4,
// ipv6, uri, uri-reference, iri, iri-reference, uri-template, json-pointer,
// relative-json-pointer, regex. Syntax only, allocation-free except "regex".
#pragma once

#include "node.hpp"

#include <string_view>

namespace modrt::contract::json_schema::detail {

// The check for format `name`; null for formats we do not know, which then always pass.
FormatCheck find_format(std::string_view name) noexcept;

}  // namespace modrt::contract::json_schema::detail
