#include "equality.hpp"

#include <bit>
#include <cmath>
#include <functional>

namespace modrt::contract::json_schema::detail {

namespace {

// INT and NUMBER are one JSON type; STRING and BYTES another.
enum class Sort : uint8_t { Null, Bool, Number, String, Array, Object };

Sort sort_of(modrt_value_type t) noexcept {
    switch (t) {
        case MODRT_NIL: return Sort::Null;
        case MODRT_BOOL: return Sort::Bool;
        case MODRT_INT:
        case MODRT_NUMBER: return Sort::Number;
        case MODRT_STRING:
        case MODRT_BYTES: return Sort::String;
        case MODRT_ARRAY: return Sort::Array;
        case MODRT_MAP: return Sort::Object;
    }
    return Sort::Null;
}

Sort sort_of(Json::Type t) noexcept {
    switch (t) {
        case Json::Type::Null: return Sort::Null;
        case Json::Type::Bool: return Sort::Bool;
        case Json::Type::Int:
        case Json::Type::Number: return Sort::Number;
        case Json::Type::String: return Sort::String;
        case Json::Type::Array: return Sort::Array;
        case Json::Type::Object: return Sort::Object;
    }
    return Sort::Null;
}

// Exact for every int64 and double, so 2^53 + 1 never equals 2^53.
long double numeric(const HostValues& host, const modrt_value* v) noexcept {
    return host.type(v) == MODRT_INT ? static_cast<long double>(host.integer(v))
                                     : static_cast<long double>(host.number(v));
}

uint64_t mix(uint64_t h) noexcept {  // splitmix64 finaliser
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

}  // namespace

bool equal(const HostValues& host, const modrt_value* a, const modrt_value* b) noexcept {
    modrt_value_type ta = host.type(a), tb = host.type(b);
    Sort sort = sort_of(ta);
    if (sort != sort_of(tb)) return false;
    switch (sort) {
        case Sort::Null: return true;
        case Sort::Bool: return host.boolean(a) == host.boolean(b);
        case Sort::Number:
            if (ta == MODRT_INT && tb == MODRT_INT) return host.integer(a) == host.integer(b);
            return numeric(host, a) == numeric(host, b);
        case Sort::String: return host.string(a) == host.string(b);
        case Sort::Array: {
            size_t n = host.size(a);
            if (n != host.size(b)) return false;
            for (size_t i = 0; i < n; ++i)
                if (!equal(host, host.at(a, i), host.at(b, i))) return false;
            return true;
        }
        case Sort::Object: {
            size_t n = host.size(a);
            if (n != host.size(b)) return false;
            // Keys are unique, so equal sizes plus every key of a in b means the same key set.
            for (size_t i = 0; i < n; ++i) {
                const modrt_value* other = host.find(b, host.key(a, i));
                if (!other || !equal(host, host.at(a, i), other)) return false;
            }
            return true;
        }
    }
    return false;
}

bool equal(const HostValues& host, const modrt_value* a, const Json& b) noexcept {
    modrt_value_type ta = host.type(a);
    Sort sort = sort_of(ta);
    if (sort != sort_of(b.type)) return false;
    switch (sort) {
        case Sort::Null: return true;
        case Sort::Bool: return host.boolean(a) == b.boolean;
        case Sort::Number:
            if (ta == MODRT_INT && b.type == Json::Type::Int) return host.integer(a) == b.integer;
            return numeric(host, a) == b.numeric();
        case Sort::String: return host.string(a) == b.string;
        case Sort::Array: {
            size_t n = host.size(a);
            if (n != b.items.size()) return false;
            for (size_t i = 0; i < n; ++i)
                if (!equal(host, host.at(a, i), b.items[i])) return false;
            return true;
        }
        case Sort::Object: {
            if (host.size(a) != b.items.size()) return false;
            for (size_t i = 0; i < b.items.size(); ++i) {
                const modrt_value* mine = host.find(a, b.keys[i]);
                if (!mine || !equal(host, mine, b.items[i])) return false;
            }
            return true;
        }
    }
    return false;
}

bool equal(std::string_view name, const Json& b) noexcept { return b.is_string() && b.string == name; }

uint64_t hash(const HostValues& host, const modrt_value* value) noexcept {
    modrt_value_type t = host.type(value);
    Sort sort = sort_of(t);
    uint64_t h = static_cast<uint64_t>(sort) * 0x9e3779b97f4a7c15ULL;
    switch (sort) {
        case Sort::Null: break;
        case Sort::Bool: h ^= host.boolean(value) ? 1 : 2; break;
        case Sort::Number: {
            // Integral values hash by their int64 so that 1 and 1.0 (and 0 and -0.0) agree.
            if (t == MODRT_INT) {
                h ^= static_cast<uint64_t>(host.integer(value));
                break;
            }
            double d = host.number(value);
            if (std::trunc(d) == d && d >= -0x1p63 && d < 0x1p63) h ^= static_cast<uint64_t>(static_cast<int64_t>(d));
            else h ^= std::bit_cast<uint64_t>(d);
            break;
        }
        case Sort::String: h ^= std::hash<std::string_view>{}(host.string(value)); break;
        case Sort::Array: {
            size_t n = host.size(value);
            for (size_t i = 0; i < n; ++i) h = mix(h + hash(host, host.at(value, i)));
            break;
        }
        case Sort::Object: {
            // A sum of per-member hashes: member order must not count.
            size_t n = host.size(value);
            uint64_t sum = 0;
            for (size_t i = 0; i < n; ++i)
                sum += mix(std::hash<std::string_view>{}(host.key(value, i)) ^ mix(hash(host, host.at(value, i))));
            h ^= sum;
            break;
        }
    }
    return mix(h);
}

}  // namespace modrt::contract::json_schema::detail
