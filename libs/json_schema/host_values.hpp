// The value-reading hooks of the host API: all the validator ever asks of the kernel.
#pragma once

#include <modrt/abi.h>
#include <modrt/sdk.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace modrt::contract::json_schema::detail {

// Copied out of the table at compile time: a runtime's table dies with that runtime,
// while the functions it points to are the kernel's and live as long as the process.
class HostValues {
public:
    explicit HostValues(const modrt_host_api& host) noexcept
        : type_(host.value_type),
          boolean_(host.value_bool),
          integer_(host.value_int),
          number_(host.value_number),
          string_(host.value_string),
          len_(host.value_len),
          at_(host.value_at),
          key_at_(host.value_key_at),
          find_(host.value_find) {}

    // An older kernel's smaller table may end before the hooks copied here.
    static bool covers(const modrt_host_api& host) noexcept {
        return host.struct_size >= offsetof(modrt_host_api, value_find) + sizeof(host.value_find);
    }

    modrt_value_type type(const modrt_value* v) const noexcept { return type_(v); }
    bool boolean(const modrt_value* v) const noexcept { return boolean_(v) != 0; }
    int64_t integer(const modrt_value* v) const noexcept { return integer_(v); }
    double number(const modrt_value* v) const noexcept { return number_(v); }
    std::string_view string(const modrt_value* v) const noexcept { return to_view(string_(v)); }
    size_t size(const modrt_value* v) const noexcept { return len_(v); }
    const modrt_value* at(const modrt_value* v, size_t i) const noexcept { return at_(v, i); }
    std::string_view key(const modrt_value* v, size_t i) const noexcept { return to_view(key_at_(v, i)); }
    const modrt_value* find(const modrt_value* v, std::string_view key) const noexcept { return find_(v, to_str(key)); }

private:
    modrt_value_type (*type_)(const modrt_value*);
    int (*boolean_)(const modrt_value*);
    int64_t (*integer_)(const modrt_value*);
    double (*number_)(const modrt_value*);
    modrt_str (*string_)(const modrt_value*);
    size_t (*len_)(const modrt_value*);
    const modrt_value* (*at_)(const modrt_value*, size_t);
    modrt_str (*key_at_)(const modrt_value*, size_t);
    const modrt_value* (*find_)(const modrt_value*, modrt_str);
};

}  // namespace modrt::contract::json_schema::detail
