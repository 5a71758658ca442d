// JSON equality for enum, const and uniqueItems: 1 == 1.0, objects ignore member order,
// arrays compare in order; STRING and BYTES both compare as strings.
#pragma once

#include "host_values.hpp"
#include "json.hpp"

#include <cstdint>
#include <string_view>

namespace modrt::contract::json_schema::detail {

bool equal(const HostValues& host, const modrt_value* a, const modrt_value* b) noexcept;
bool equal(const HostValues& host, const modrt_value* a, const Json& b) noexcept;
// A property name (propertyNames validates names as string instances).
bool equal(std::string_view name, const Json& b) noexcept;

// Consistent with equal(): equal values hash equal (so 1 and 1.0 do, and member order does not count).
uint64_t hash(const HostValues& host, const modrt_value* value) noexcept;

}  // namespace modrt::contract::json_schema::detail
