#include "uri.hpp"

namespace modrt::contract::json_schema::detail {

UriParts split_uri(std::string_view uri) {
    UriParts p;
    size_t pos = uri.find_first_of(":/?#");
    if (pos != std::string_view::npos && pos > 0 && uri[pos] == ':') {
        p.scheme = uri.substr(0, pos);
        p.has_scheme = true;
        uri.remove_prefix(pos + 1);
    }
    if (uri.substr(0, 2) == "//") {
        uri.remove_prefix(2);
        size_t end = uri.find_first_of("/?#");
        p.authority = uri.substr(0, end);
        p.has_authority = true;
        uri.remove_prefix(end == std::string_view::npos ? uri.size() : end);
    }
    size_t end = uri.find_first_of("?#");
    p.path = uri.substr(0, end);
    uri.remove_prefix(end == std::string_view::npos ? uri.size() : end);
    if (!uri.empty() && uri.front() == '?') {
        end = uri.find('#');
        p.query = uri.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1);
        p.has_query = true;
        uri.remove_prefix(end == std::string_view::npos ? uri.size() : end);
    }
    if (!uri.empty() && uri.front() == '#') {
        p.fragment = uri.substr(1);
        p.has_fragment = true;
    }
    return p;
}

namespace {

void drop_last_segment(std::string& out) {
    size_t slash = out.rfind('/');
    out.erase(slash == std::string::npos ? 0 : slash);
}

// RFC 3986 section 5.2.4.
std::string remove_dot_segments(std::string_view path) {
    std::string in(path), out;
    while (!in.empty()) {
        if (in.starts_with("../")) {
            in.erase(0, 3);
        } else if (in.starts_with("./")) {
            in.erase(0, 2);
        } else if (in.starts_with("/./")) {
            in.erase(0, 2);
        } else if (in == "/.") {
            in = "/";
        } else if (in.starts_with("/../")) {
            in.erase(0, 3);
            drop_last_segment(out);
        } else if (in == "/..") {
            in = "/";
            drop_last_segment(out);
        } else if (in == "." || in == "..") {
            in.clear();
        } else {
            size_t end = in.find('/', 1);
            if (end == std::string::npos) end = in.size();
            out.append(in, 0, end);
            in.erase(0, end);
        }
    }
    return out;
}

std::string merge(const UriParts& base, std::string_view path) {
    if (base.has_authority && base.path.empty()) return "/" + std::string(path);
    size_t slash = base.path.rfind('/');
    if (slash == std::string_view::npos) return std::string(path);
    return std::string(base.path.substr(0, slash + 1)) + std::string(path);
}

}  // namespace

std::string resolve_uri(std::string_view base_text, std::string_view reference) {
    UriParts r = split_uri(reference);
    UriParts b = split_uri(base_text);
    std::string scheme, authority, path, query;
    bool has_scheme, has_authority, has_query;
    if (r.has_scheme) {
        scheme = r.scheme, has_scheme = true;
        authority = r.authority, has_authority = r.has_authority;
        path = remove_dot_segments(r.path);
        query = r.query, has_query = r.has_query;
    } else {
        scheme = b.scheme, has_scheme = b.has_scheme;
        if (r.has_authority) {
            authority = r.authority, has_authority = true;
            path = remove_dot_segments(r.path);
            query = r.query, has_query = r.has_query;
        } else {
            authority = b.authority, has_authority = b.has_authority;
            if (r.path.empty()) {
                path = b.path;
                if (r.has_query) query = r.query, has_query = true;
                else query = b.query, has_query = b.has_query;
            } else {
                path = remove_dot_segments(r.path.front() == '/' ? std::string(r.path) : merge(b, r.path));
                query = r.query, has_query = r.has_query;
            }
        }
    }
    std::string out;
    if (has_scheme) out.append(scheme).append(":");
    if (has_authority) out.append("//").append(authority);
    out += path;
    if (has_query) out.append("?").append(query);
    if (r.has_fragment) out.append("#").append(r.fragment);
    return out;
}

std::pair<std::string_view, std::string_view> split_fragment(std::string_view uri) {
    size_t hash = uri.find('#');
    if (hash == std::string_view::npos) return {uri, {}};
    return {uri.substr(0, hash), uri.substr(hash + 1)};
}

std::string percent_decode(std::string_view text) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
            out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace modrt::contract::json_schema::detail
