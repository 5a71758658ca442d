// modrt values as CBOR and back, exactly: ints stay ints and numbers numbers, bytes stay bytes
// (CBOR byte strings) and strings strings, maps keep their key order, nil stays nil.
#pragma once

#include <modrt/sdk.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace modrt::remote {

using Json = nlohmann::ordered_json;  // ordered: a map's keys come back in the order they left

/// Deepest nesting accepted either way; deeper values are refused instead of overflowing the stack.
inline constexpr int kMaxDepth = 128;

/// `v` as JSON (bytes as binary); throws Failure(INVALID) when nested deeper than kMaxDepth.
Json to_wire(ValueView v);
/// Write `j` into `out`; an unsigned integer above INT64_MAX becomes a number.
void from_wire(const Json& j, ValueSlot out);

/// Parse CBOR bytes, refusing nesting deeper than kMaxDepth; nullopt (with `why`) when malformed.
std::optional<Json> parse_cbor(std::string_view bytes, std::string& why);

}  // namespace modrt::remote
