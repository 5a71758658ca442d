// The kernel's value model: the definition behind the opaque modrt_value.
#pragma once

#include <modrt/abi.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Defined in the global namespace because abi.h declares it there; plugins never
// see this layout, only the host API functions that read and write it.
struct modrt_value {
    modrt_value_type type = MODRT_NIL;
    // True only while every MAP key was added by insert in strictly ascending byte
    // order (as function.lua produces them): insert and find then binary-search, so
    // building a map of n keys is O(n log n), not O(n^2). Code that appends to `keys`
    // directly starts from a fresh map (false) and leaves it false. Sits in the
    // padding after `type`.
    bool keys_sorted = false;
    union {
        bool b;
        int64_t i;
        double n;
    } scalar{};
    std::string str;                 // STRING and BYTES
    std::vector<modrt_value> items;  // ARRAY items, or MAP values (parallel to keys)
    std::vector<std::string> keys;   // MAP keys, unique, in insertion order

    modrt_value() = default;
    static modrt_value boolean(bool b);
    static modrt_value integer(int64_t i);
    static modrt_value number(double n);
    static modrt_value string(std::string_view s);
    static modrt_value bytes(std::string_view b);
    static modrt_value array();
    static modrt_value map();

    /// Become an empty value of type `t` (keeps container capacity).
    void reset(modrt_value_type t) {
        if (type >= MODRT_STRING) {  // scalars never hold container content: nothing to clear
            str.clear();
            items.clear();
            keys.clear();
        }
        type = t;
        scalar = {};
        keys_sorted = false;
    }
    modrt_value& push();
    /// Insert or replace `key`; the slot is reset to nil.
    modrt_value& insert(std::string_view key);
    const modrt_value* find(std::string_view key) const;
    size_t size() const { return type == MODRT_ARRAY || type == MODRT_MAP ? items.size() : 0; }

    friend bool operator==(const modrt_value& a, const modrt_value& b);
};

namespace modrt::kernel {
using Value = ::modrt_value;
/// Human-readable type name ("nil", "integer", ...).
std::string_view type_name(modrt_value_type t);
}  // namespace modrt::kernel
