// JSON text (json.hpp).
#include "json.hpp"

#include <modrt/sdk.hpp>

#include <charconv>
#include <cmath>

namespace modrt::http {

namespace {

constexpr int kMaxDepth = 256;

void append_value(std::string& out, const modrt_value* v, int depth) {
    const modrt_host_api& h = host_api();
    switch (h.value_type(v)) {
        case MODRT_BOOL: out += h.value_bool(v) ? "true" : "false"; return;
        case MODRT_INT: {
            char buf[24];
            auto r = std::to_chars(buf, buf + sizeof buf, h.value_int(v));
            out.append(buf, r.ptr);
            return;
        }
        case MODRT_NUMBER: {
            double d = h.value_number(v);
            if (!std::isfinite(d)) {
                out += "null";
                return;
            }
            char buf[32];
            auto r = std::to_chars(buf, buf + sizeof buf, d);
            out.append(buf, r.ptr);
            return;
        }
        case MODRT_STRING:
        case MODRT_BYTES: append_json_string(out, to_view(h.value_string(v))); return;
        case MODRT_ARRAY:
        case MODRT_MAP: {
            if (depth >= kMaxDepth) {
                out += "null";
                return;
            }
            const bool map = h.value_type(v) == MODRT_MAP;
            const size_t n = h.value_len(v);
            // An empty map and an empty array look alike in Lua: both are sent as [] only when
            // they are arrays, so an empty table from Lua arrives as the kernel typed it.
            out += map ? '{' : '[';
            for (size_t i = 0; i < n; ++i) {
                if (i) out += ',';
                if (map) {
                    append_json_string(out, to_view(h.value_key_at(v, i)));
                    out += ':';
                }
                append_value(out, h.value_at(v, i), depth + 1);
            }
            out += map ? '}' : ']';
            return;
        }
        default: out += "null"; return;
    }
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (char c : s) {
        unsigned char u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (u < 0x20 || u == 0x7f) {
                    out += "\\u00";
                    out += kHex[u >> 4];
                    out += kHex[u & 15];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

void append_json_value(std::string& out, const modrt_value* value) { append_value(out, value, 0); }

}  // namespace modrt::http
