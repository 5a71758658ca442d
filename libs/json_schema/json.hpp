// The compiler's own copy of a schema document.
#pragma once

#include <modrt/abi.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace modrt::contract::json_schema::detail {

class HostValues;

// Copied out of the host value once at compile time: `$ref` JSON Pointers may land
// anywhere in a document, and enum/const literals must outlive the caller's value.
struct Json {
    enum class Type : uint8_t { Null, Bool, Int, Number, String, Array, Object };

    Type type = Type::Null;
    bool boolean = false;
    int64_t integer = 0;
    double number = 0;
    std::string string;
    std::vector<Json> items;        // array items, or object member values (parallel to keys)
    std::vector<std::string> keys;  // object member names, in document order

    bool is_object() const noexcept { return type == Type::Object; }
    bool is_array() const noexcept { return type == Type::Array; }
    bool is_string() const noexcept { return type == Type::String; }
    bool is_bool() const noexcept { return type == Type::Bool; }
    bool is_number() const noexcept { return type == Type::Int || type == Type::Number; }
    // Exact for every int64 and every double (x86-64's long double has a 64-bit mantissa).
    long double numeric() const noexcept {
        return type == Type::Int ? static_cast<long double>(integer) : static_cast<long double>(number);
    }
    // The member `key` of an object; null when absent or not an object.
    const Json* find(std::string_view key) const noexcept;
};

// BYTES become strings: a schema has no byte type.
Json from_host(const HostValues& host, const modrt_value* value);

// Strict JSON text (RFC 8259) into `out`; on bad input false with the byte offset in `error`.
bool parse_json_text(std::string_view text, Json& out, std::string* error);

// Compact JSON text, for messages.
std::string to_text(const Json& value);
// Shortest text that reads back as the same double.
std::string number_text(double value);

}  // namespace modrt::contract::json_schema::detail
