// Media types in request headers (http_media.hpp).
#include "modules/http/http_media.hpp"

namespace modrt::lua {
namespace {

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ci(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The media type of a header item: what comes before its first ';', trimmed.
std::string_view media_type(std::string_view item) noexcept { return trim(item.substr(0, item.find(';'))); }

// Whether the parameters of an Accept item (after its first ';') set q to 0.
bool weight_is_zero(std::string_view item) noexcept {
    size_t semi = item.find(';');
    while (semi != std::string_view::npos) {
        item.remove_prefix(semi + 1);
        semi = item.find(';');
        std::string_view param = trim(item.substr(0, semi));
        if (param.size() < 2 || lower(param[0]) != 'q' || param[1] != '=') continue;
        std::string_view q = trim(param.substr(2));
        // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ): zero when only zeros.
        if (q.empty()) return false;
        for (char c : q)
            if (c != '0' && c != '.') return false;
        return true;
    }
    return false;
}

}  // namespace

bool media_type_is(std::string_view content_type, std::string_view wanted) noexcept {
    return equal_ci(media_type(content_type), media_type(wanted));
}

bool accept_admits(std::string_view accept, std::string_view type) noexcept {
    type = media_type(type);
    std::string_view major = type.substr(0, type.find('/'));
    if (trim(accept).empty()) return true;
    while (!accept.empty()) {
        size_t comma = accept.find(',');
        std::string_view item = accept.substr(0, comma);
        accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
        std::string_view range = media_type(item);
        if (range.empty() || weight_is_zero(item)) continue;
        if (range == "*/*" || equal_ci(range, type)) return true;
        size_t slash = range.find('/');
        if (slash != std::string_view::npos && range.substr(slash) == "/*" && equal_ci(range.substr(0, slash), major))
            return true;
    }
    return false;
}

}  // namespace modrt::lua
