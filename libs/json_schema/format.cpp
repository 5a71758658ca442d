#include "format.hpp"

#include "regex.hpp"

namespace modrt::contract::json_schema::detail {

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool alnum(char c) { return alpha(c) || digit(c); }
bool hexdig(char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
// Every byte of a multi-byte UTF-8 sequence: the IDN and IRI formats allow non-ASCII text.
bool non_ascii(char c) { return static_cast<unsigned char>(c) >= 0x80; }

// Exactly `n` digits at `pos`.
bool digits(std::string_view s, size_t pos, size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (!digit(s[i])) return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

// --- dates and times (RFC 3339 section 5.6) ---

bool is_date(std::string_view s) {
    int y = 0, m = 0, d = 0;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return false;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1) return false;
    bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool is_time(std::string_view s) {
    int h = 0, m = 0, sec = 0;
    if (s.size() < 9 || s[2] != ':' || s[5] != ':') return false;
    if (!digits(s, 0, 2, h) || !digits(s, 3, 2, m) || !digits(s, 6, 2, sec)) return false;
    if (h > 23 || m > 59 || sec > 60) return false;
    size_t pos = 8;
    if (s[pos] == '.') {
        size_t start = ++pos;
        while (pos < s.size() && digit(s[pos])) ++pos;
        if (pos == start) return false;
    }
    if (pos >= s.size()) return false;  // the offset is not optional
    int offset = 0;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        if (pos + 1 != s.size()) return false;
    } else if (s[pos] == '+' || s[pos] == '-') {
        int oh = 0, om = 0;
        if (s.size() != pos + 6 || s[pos + 3] != ':') return false;
        if (!digits(s, pos + 1, 2, oh) || !digits(s, pos + 4, 2, om) || oh > 23 || om > 59) return false;
        offset = (s[pos] == '+' ? 1 : -1) * (oh * 60 + om);
    } else {
        return false;
    }
    // A leap second exists only at 23:59:60 UTC.
    if (sec == 60) {
        int utc = ((h * 60 + m - offset) % 1440 + 1440) % 1440;
        if (utc != 23 * 60 + 59) return false;
    }
    return true;
}

bool is_date_time(std::string_view s) {
    return s.size() > 11 && (s[10] == 'T' || s[10] == 't') && is_date(s.substr(0, 10)) && is_time(s.substr(11));
}

// --- addresses and names ---

bool is_ipv4(std::string_view s) {
    int parts = 0;
    size_t i = 0;
    for (;;) {
        size_t start = i;
        int value = 0;
        while (i < s.size() && digit(s[i]) && i - start < 3) value = value * 10 + (s[i++] - '0');
        size_t len = i - start;
        // No leading zeros: "010" reads as octal to some parsers.
        if (len == 0 || value > 255 || (len > 1 && s[start] == '0')) return false;
        ++parts;
        if (i == s.size()) return parts == 4;
        if (s[i] != '.' || parts == 4) return false;
        ++i;
    }
}

// Groups of one side of "::"; -1 when malformed. An IPv4 tail counts as two groups.
int ipv6_groups(std::string_view s, bool ipv4_tail) {
    if (s.empty()) return 0;
    int groups = 0;
    size_t start = 0;
    for (;;) {
        size_t colon = s.find(':', start);
        std::string_view g = s.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
        if (colon == std::string_view::npos && ipv4_tail && g.find('.') != std::string_view::npos)
            return is_ipv4(g) ? groups + 2 : -1;
        if (g.empty() || g.size() > 4) return -1;
        for (char c : g)
            if (!hexdig(c)) return -1;
        ++groups;
        if (colon == std::string_view::npos) return groups;
        start = colon + 1;
    }
}

bool is_ipv6(std::string_view s) {
    size_t gap = s.find("::");
    if (gap == std::string_view::npos) return ipv6_groups(s, true) == 8;
    if (s.find("::", gap + 1) != std::string_view::npos) return false;
    int left = ipv6_groups(s.substr(0, gap), false);
    int right = ipv6_groups(s.substr(gap + 2), true);
    return left >= 0 && right >= 0 && left + right <= 7;
}

// RFC 1123 host names; with `idn`, labels may hold non-ASCII characters (lengths in bytes
// then run long, so they are only capped at what any DNS label can encode to).
bool hostname(std::string_view s, bool idn) {
    if (s.empty() || s.size() > (idn ? 1024 : 253)) return false;
    size_t start = 0;
    for (;;) {
        size_t dot = s.find('.', start);
        std::string_view label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > (idn ? 252 : 63) || label.front() == '-' || label.back() == '-')
            return false;
        for (char c : label)
            if (!alnum(c) && c != '-' && !(idn && non_ascii(c))) return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

bool is_hostname(std::string_view s) { return hostname(s, false); }
bool is_idn_hostname(std::string_view s) { return hostname(s, true); }

// RFC 5321 mailbox: dot-atom or quoted local part; host name or address literal.
bool email(std::string_view s, bool idn) {
    size_t at = s.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == s.size()) return false;
    std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
    if (local.front() == '"') {
        if (local.size() < 2 || local.back() != '"') return false;
        for (size_t i = 1; i + 1 < local.size(); ++i) {
            if (local[i] == '\\') ++i;
            else if (local[i] == '"') return false;
        }
    } else {
        static constexpr std::string_view kAtext = "!#$%&'*+-/=?^_`{|}~";
        if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
        for (char c : local)
            if (!alnum(c) && c != '.' && kAtext.find(c) == std::string_view::npos && !(idn && non_ascii(c)))
                return false;
    }
    if (domain.front() == '[') {
        if (domain.back() != ']') return false;
        std::string_view literal = domain.substr(1, domain.size() - 2);
        if (literal.starts_with("IPv6:")) return is_ipv6(literal.substr(5));
        return is_ipv4(literal);
    }
    return hostname(domain, idn);
}

bool is_email(std::string_view s) { return email(s, false); }
bool is_idn_email(std::string_view s) { return email(s, true); }

// --- URIs (RFC 3986) and IRIs (RFC 3987: the same with non-ASCII text allowed) ---

bool unreserved(char c) { return alnum(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
bool sub_delim(char c) { return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos; }

// Every character unreserved, a sub-delim, in `extra`, or %-encoded.
bool uri_chars(std::string_view s, std::string_view extra, bool iri) {
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size() || !hexdig(s[i + 1]) || !hexdig(s[i + 2])) return false;
            i += 2;
        } else if (!unreserved(c) && !sub_delim(c) && extra.find(c) == std::string_view::npos &&
                   !(iri && non_ascii(c))) {
            return false;
        }
    }
    return true;
}

bool ip_future(std::string_view s) {
    size_t dot = s.find('.');
    if (s.size() < 4 || (s[0] != 'v' && s[0] != 'V') || dot == std::string_view::npos || dot < 2 || dot + 1 == s.size())
        return false;
    for (size_t i = 1; i < dot; ++i)
        if (!hexdig(s[i])) return false;
    for (char c : s.substr(dot + 1))
        if (!unreserved(c) && !sub_delim(c) && c != ':') return false;
    return true;
}

bool authority(std::string_view a, bool iri) {
    size_t at = a.rfind('@');
    if (at != std::string_view::npos) {
        if (!uri_chars(a.substr(0, at), ":", iri)) return false;
        a.remove_prefix(at + 1);
    }
    if (!a.empty() && a.front() == '[') {
        size_t close = a.find(']');
        if (close == std::string_view::npos) return false;
        std::string_view literal = a.substr(1, close - 1);
        if (!is_ipv6(literal) && !ip_future(literal)) return false;
        a.remove_prefix(close + 1);
    } else {
        size_t colon = a.find(':');
        if (!uri_chars(a.substr(0, colon), "", iri)) return false;
        a.remove_prefix(colon == std::string_view::npos ? a.size() : colon);
    }
    if (a.empty()) return true;
    if (a.front() != ':') return false;
    for (char c : a.substr(1))
        if (!digit(c)) return false;
    return true;
}

bool uri(std::string_view s, bool absolute, bool iri) {
    // A ":" before any "/", "?" or "#" ends a scheme; a relative reference cannot have one there.
    size_t end = s.find_first_of(":/?#");
    if (end != std::string_view::npos && s[end] == ':') {
        if (end == 0 || !alpha(s[0])) return false;
        for (char c : s.substr(0, end))
            if (!alnum(c) && c != '+' && c != '-' && c != '.') return false;
        s.remove_prefix(end + 1);
    } else if (absolute) {
        return false;
    }
    if (size_t hash = s.find('#'); hash != std::string_view::npos) {
        if (!uri_chars(s.substr(hash + 1), ":@/?", iri)) return false;
        s = s.substr(0, hash);
    }
    if (size_t q = s.find('?'); q != std::string_view::npos) {
        if (!uri_chars(s.substr(q + 1), ":@/?", iri)) return false;
        s = s.substr(0, q);
    }
    if (s.starts_with("//")) {
        s.remove_prefix(2);
        size_t slash = s.find('/');
        if (!authority(s.substr(0, slash), iri)) return false;
        s.remove_prefix(slash == std::string_view::npos ? s.size() : slash);
    }
    return uri_chars(s, ":@/", iri);
}

bool is_uri(std::string_view s) { return uri(s, true, false); }
bool is_uri_reference(std::string_view s) { return uri(s, false, false); }
bool is_iri(std::string_view s) { return uri(s, true, true); }
bool is_iri_reference(std::string_view s) { return uri(s, false, true); }

// RFC 6570 level 4, structurally: expressions are non-empty, closed and not nested.
bool is_uri_template(std::string_view s) {
    bool open = false;
    size_t start = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '{') {
            if (open) return false;
            open = true;
            start = i;
        } else if (s[i] == '}') {
            if (!open || i == start + 1) return false;
            open = false;
        }
    }
    return !open;
}

// --- JSON Pointers and regular expressions ---

bool is_json_pointer(std::string_view s) {
    if (s.empty()) return true;
    if (s.front() != '/') return false;
    for (size_t i = 0; i < s.size(); ++i)
        if (s[i] == '~' && (i + 1 == s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
    return true;
}

bool is_relative_json_pointer(std::string_view s) {
    size_t n = 0;
    while (n < s.size() && digit(s[n])) ++n;
    if (n == 0 || (n > 1 && s[0] == '0')) return false;
    std::string_view rest = s.substr(n);
    return rest == "#" || is_json_pointer(rest);
}

bool is_regex(std::string_view s) { return compile_regex(s, nullptr).has_value(); }

struct Entry {
    std::string_view name;
    FormatCheck check;
};

constexpr Entry kFormats[] = {
    {"date-time", is_date_time},
    {"date", is_date},
    {"time", is_time},
    {"email", is_email},
    {"idn-email", is_idn_email},
    {"hostname", is_hostname},
    {"idn-hostname", is_idn_hostname},
    {"ipv4", is_ipv4},
    {"ipv6", is_ipv6},
    {"uri", is_uri},
    {"uri-reference", is_uri_reference},
    {"iri", is_iri},
    {"iri-reference", is_iri_reference},
    {"uri-template", is_uri_template},
    {"json-pointer", is_json_pointer},
    {"relative-json-pointer", is_relative_json_pointer},
    {"regex", is_regex},
};

}  // namespace

FormatCheck find_format(std::string_view name) noexcept {
    for (const Entry& e : kFormats)
        if (e.name == name) return e.check;
    return nullptr;
}

}  // namespace modrt::contract::json_schema::detail
