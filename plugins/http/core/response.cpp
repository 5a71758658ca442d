// The response and its framing (response.hpp).
#include "response.hpp"
#include "ascii.hpp"

#include "json.hpp"

#include <boost/beast/http/status.hpp>

#include <algorithm>
#include <charconv>

namespace modrt::http {

namespace {

void append_uint(std::string& out, uint64_t v) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

// Headers the server owns: a function's value for them would break the framing.
bool framing_header(std::string_view name) noexcept {
    return iequals(name, "content-length") || iequals(name, "transfer-encoding") || iequals(name, "connection");
}

}  // namespace

bool valid_header_name(std::string_view name) noexcept {
    if (name.empty()) return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!ok) {
            switch (c) {
                case '!':
                case '#':
                case '$':
                case '%':
                case '&':
                case '\'':
                case '*':
                case '+':
                case '-':
                case '.':
                case '^':
                case '_':
                case '`':
                case '|':
                case '~': ok = true; break;
                default: break;
            }
        }
        if (!ok) return false;
    }
    return true;
}

bool valid_header_value(std::string_view value) noexcept {
    for (char c : value) {
        unsigned char u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
    }
    return true;
}

bool status_has_no_body(int status) noexcept { return status < 200 || status == 204 || status == 304; }

std::string_view reason_phrase(int status) noexcept {
    if (status == 499) return "Client Closed Request";
    auto r = boost::beast::http::obsolete_reason(boost::beast::http::int_to_status(static_cast<unsigned>(status)));
    if (r == "<unknown-status>") return "";
    return std::string_view(r.data(), r.size());
}

void Response::clear() {
    if (body.capacity() > kKeptCapacity) std::string().swap(body);
    status = 200;
    touched = head_sent = close_after = abort = no_body = false;
    framing = Framing::Length;
    body.clear();
    header_text_.clear();
    headers_.clear();
    sealed_ = 0;
}

void Response::seal_headers() noexcept { sealed_ = headers_.size(); }

void Response::set_header(std::string_view name, std::string_view value) {
    for (Header& h : headers_)
        if (!h.removed && iequals(std::string_view(header_text_).substr(h.at, h.name_len), name)) h.removed = true;
    add_header(name, value);
}

void Response::add_header(std::string_view name, std::string_view value) {
    headers_.push_back(Header{static_cast<uint32_t>(header_text_.size()), static_cast<uint32_t>(name.size()),
                              static_cast<uint32_t>(value.size()), false});
    header_text_.append(name);
    header_text_.append(value);
}

std::string_view Response::header(std::string_view name) const noexcept {
    for (size_t i = headers_.size(); i-- > 0;) {
        const Header& h = headers_[i];
        if (!h.removed && iequals(std::string_view(header_text_).substr(h.at, h.name_len), name))
            return std::string_view(header_text_).substr(h.at + h.name_len, h.value_len);
    }
    return {};
}

void Response::build_head(const Request& request, Framing how, uint64_t content_length) {
    framing = how;
    std::string& out = head_text;
    out.clear();
    out += "HTTP/1.1 ";
    append_uint(out, static_cast<uint64_t>(status));
    out += ' ';
    out += reason_phrase(status);
    out += "\r\n";
    for (const Header& h : headers_) {
        if (h.removed) continue;
        std::string_view name = std::string_view(header_text_).substr(h.at, h.name_len);
        std::string_view value = std::string_view(header_text_).substr(h.at + h.name_len, h.value_len);
        if (framing_header(name)) {
            if (iequals(name, "connection") && iequals(value, "close")) close_after = true;
            continue;
        }
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    }
    if (!request.request_id.empty()) {
        out += "X-Request-Id: ";
        out += request.request_id;
        out += "\r\n";
    }
    if (how == Framing::Length) {
        if (status >= 200 && status != 204) {
            out += "Content-Length: ";
            append_uint(out, content_length);
            out += "\r\n";
        }
    } else if (how == Framing::Chunked) {
        out += "Transfer-Encoding: chunked\r\n";
    } else {
        close_after = true;
    }
    if (!request.keep_alive) close_after = true;
    if (close_after) out += "Connection: close\r\n";
    else if (request.version < 11) out += "Connection: keep-alive\r\n";
    out += "\r\n";
}

void Response::set_error(int code, std::string_view kind, std::string_view message, std::string_view request_id) {
    status = code;
    body.clear();
    // Middleware headers (CORS) stay; what a function set does not.
    headers_.resize(std::min(headers_.size(), sealed_));
    set_header("Content-Type", "application/json");
    body += "{\"error\":{\"kind\":";
    append_json_string(body, kind);
    body += ",\"message\":";
    append_json_string(body, message);
    body += ",\"request_id\":";
    append_json_string(body, request_id);
    body += "}}";
}

}  // namespace modrt::http
