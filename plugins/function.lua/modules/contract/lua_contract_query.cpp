// Binding id queries (lua_contract_query.hpp).
#include "modules/contract/lua_contract_query.hpp"

#include <modrt/sdk.hpp>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

namespace modrt::lua {
namespace {

int hex_digit(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decode `in` into `out`; false on a malformed escape.
bool decode(std::string_view in, std::string& out) {
    out.clear();
    for (size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%') {
            if (i + 2 >= in.size()) return false;
            int hi = hex_digit(in[i + 1]);
            int lo = hex_digit(in[i + 2]);
            if (hi < 0 || lo < 0) return false;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return true;
}

bool is_integer(std::string_view s) noexcept {
    size_t i = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    if (i == s.size()) return false;
    for (; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

// Digits with one '.' and an optional exponent: what strtod reads, without inf, nan and hex.
bool is_decimal(std::string_view s) noexcept {
    bool digit = false;
    for (char c : s) {
        if (c >= '0' && c <= '9') digit = true;
        else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') return false;
    }
    return digit;
}

}  // namespace

void set_query_value(modrt_value* out, std::string_view text) noexcept {
    const modrt_host_api& h = host_api();
    if (text == "true" || text == "false") {
        h.value_set_bool(out, text == "true");
        return;
    }
    char buf[64];
    if (!text.empty() && text.size() < sizeof buf && is_decimal(text)) {
        text.copy(buf, text.size());
        buf[text.size()] = '\0';
        char* end = nullptr;
        errno = 0;
        if (is_integer(text)) {
            long long i = std::strtoll(buf, &end, 10);
            if (errno == 0 && *end == '\0') {
                h.value_set_int(out, i);
                return;
            }
        }
        errno = 0;
        double d = std::strtod(buf, &end);
        if (*end == '\0' && std::isfinite(d)) {
            h.value_set_number(out, d);
            return;
        }
    }
    h.value_set_string(out, to_str(text));
}

const char* split_binding_query(modrt_str text, modrt_str* id, modrt_value* context) noexcept {
    std::string_view all = to_view(text);
    size_t q = all.find('?');
    *id = to_str(all.substr(0, q));
    if (q == std::string_view::npos) return nullptr;
    const modrt_host_api& h = host_api();
    if (h.value_type(context) != MODRT_MAP) h.value_set_map(context, 4);
    try {
        std::string key;
        std::string value;
        std::string_view rest = all.substr(q + 1);
        while (!rest.empty()) {
            size_t amp = rest.find('&');
            std::string_view pair = rest.substr(0, amp);
            rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
            if (pair.empty()) continue;  // "a=1&&b=2", a trailing '&'
            size_t eq = pair.find('=');
            if (!decode(pair.substr(0, eq), key) ||
                !decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), value))
                return "malformed %-escape in the query";
            if (key.empty()) return "a query parameter has an empty name";
            set_query_value(h.value_insert(context, to_str(key)), value);
        }
    } catch (...) {
        return "out of memory reading the query";
    }
    return nullptr;
}

}  // namespace modrt::lua
