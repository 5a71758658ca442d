#include <modrt/kernel/value.hpp>

#include <algorithm>

modrt_value modrt_value::boolean(bool b) {
    modrt_value v;
    v.type = MODRT_BOOL;
    v.scalar.b = b;
    return v;
}

modrt_value modrt_value::integer(int64_t i) {
    modrt_value v;
    v.type = MODRT_INT;
    v.scalar.i = i;
    return v;
}

modrt_value modrt_value::number(double n) {
    modrt_value v;
    v.type = MODRT_NUMBER;
    v.scalar.n = n;
    return v;
}

modrt_value modrt_value::string(std::string_view s) {
    modrt_value v;
    v.type = MODRT_STRING;
    v.str.assign(s);
    return v;
}

modrt_value modrt_value::bytes(std::string_view b) {
    modrt_value v;
    v.type = MODRT_BYTES;
    v.str.assign(b);
    return v;
}

modrt_value modrt_value::array() {
    modrt_value v;
    v.type = MODRT_ARRAY;
    return v;
}

modrt_value modrt_value::map() {
    modrt_value v;
    v.type = MODRT_MAP;
    return v;
}

modrt_value& modrt_value::push() {
    if (type != MODRT_ARRAY) reset(MODRT_ARRAY);
    return items.emplace_back();
}

namespace {
// Where `key` is, or where it would go, in sorted keys.
std::vector<std::string>::const_iterator sorted_position(const std::vector<std::string>& keys, std::string_view key) {
    return std::lower_bound(keys.begin(), keys.end(), key,
                            [](const std::string& a, std::string_view b) { return std::string_view(a) < b; });
}
}  // namespace

modrt_value& modrt_value::insert(std::string_view key) {
    if (type != MODRT_MAP) reset(MODRT_MAP);
    if (keys.empty()) keys_sorted = true;
    bool after_last = keys.empty() || std::string_view(keys.back()) < key;
    if (!after_last) {
        auto it = keys_sorted ? sorted_position(keys, key) : std::find(keys.begin(), keys.end(), key);
        if (it != keys.end() && *it == key) {
            modrt_value& slot = items[static_cast<size_t>(it - keys.begin())];
            slot.reset(MODRT_NIL);
            return slot;
        }
    } else if (!keys_sorted) {  // unsorted keys: a larger key may still be among them
        if (auto it = std::find(keys.begin(), keys.end(), key); it != keys.end()) {
            modrt_value& slot = items[static_cast<size_t>(it - keys.begin())];
            slot.reset(MODRT_NIL);
            return slot;
        }
    }
    // Append; keys and items stay parallel even when an allocation throws.
    items.emplace_back();
    try {
        keys.emplace_back(key);
    } catch (...) {
        items.pop_back();
        throw;
    }
    keys_sorted = keys_sorted && after_last;
    return items.back();
}

const modrt_value* modrt_value::find(std::string_view key) const {
    if (type != MODRT_MAP) return nullptr;
    if (keys_sorted) {
        auto it = sorted_position(keys, key);
        return it != keys.end() && *it == key ? &items[static_cast<size_t>(it - keys.begin())] : nullptr;
    }
    for (size_t i = 0; i < keys.size(); ++i)
        if (keys[i] == key) return &items[i];
    return nullptr;
}

bool operator==(const modrt_value& a, const modrt_value& b) {
    if (a.type != b.type) return false;
    switch (a.type) {
        case MODRT_NIL: return true;
        case MODRT_BOOL: return a.scalar.b == b.scalar.b;
        case MODRT_INT: return a.scalar.i == b.scalar.i;
        case MODRT_NUMBER: return a.scalar.n == b.scalar.n;
        case MODRT_STRING:
        case MODRT_BYTES: return a.str == b.str;
        case MODRT_ARRAY: return a.items == b.items;
        case MODRT_MAP: return a.keys == b.keys && a.items == b.items;
    }
    return false;
}

namespace modrt::kernel {
std::string_view type_name(modrt_value_type t) {
    switch (t) {
        case MODRT_NIL: return "nil";
        case MODRT_BOOL: return "boolean";
        case MODRT_INT: return "integer";
        case MODRT_NUMBER: return "number";
        case MODRT_STRING: return "string";
        case MODRT_BYTES: return "bytes";
        case MODRT_ARRAY: return "array";
        case MODRT_MAP: return "map";
    }
    return "unknown";
}
}  // namespace modrt::kernel
