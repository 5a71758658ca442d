// Middleware options, token stores and the rate limiter (middleware.hpp).
#include "middleware.hpp"
#include "ascii.hpp"

#include "response.hpp"

#include <modrt/duration.hpp>
#include <modrt/sdk.hpp>

#include <openssl/sha.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace modrt::http {

namespace {

std::string lowered(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = ascii_lower(c);
    return out;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::vector<std::string> split_list(std::string_view s) {
    std::vector<std::string> out;
    while (!s.empty()) {
        size_t comma = s.find(',');
        std::string_view item = trim(s.substr(0, comma));
        if (!item.empty()) out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        s.remove_prefix(comma + 1);
    }
    return out;
}

struct Known {
    std::string_view name;
    bool post;
    std::vector<std::string_view> options;  // after "name."
};

const std::vector<Known>& known_middleware() {
    static const std::vector<Known> k = {
        {"cors",
         false,
         {"allow.origins", "allow.methods", "allow.headers", "expose.headers", "allow.credentials", "max.age"}},
        {"ratelimit", false, {"requests", "window", "key"}},
        {"token_auth", false, {"store", "header.name", "header.prefix", "query.param"}},
        {"endpoint_firewall", true, {"action"}},
    };
    return k;
}

std::string known_names(bool post) {
    std::string s;
    for (const auto& k : known_middleware())
        if (k.post == post) s += (s.empty() ? "" : ", ") + std::string(k.name);
    return s;
}

bool parse_bool(std::string_view s, bool& out) {
    if (s == "true") out = true;
    else if (s == "false") out = false;
    else return false;
    return true;
}

}  // namespace

bool TokenStore::add(const Digest& digest, Identity identity) {
    return by_digest_.emplace(digest, std::move(identity)).second;
}

const Identity* TokenStore::find(std::string_view token) const {
    auto it = by_digest_.find(sha256(token));
    return it == by_digest_.end() ? nullptr : &it->second;
}

TokenStore::Digest TokenStore::sha256(std::string_view text) {
    Digest d{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), d.data());
    return d;
}

size_t TokenStore::DigestHash::operator()(const Digest& d) const noexcept {
    size_t h;
    std::memcpy(&h, d.data(), sizeof h);  // a digest's bytes are already uniform
    return h;
}

bool CorsOptions::allows(std::string_view origin) const noexcept {
    for (const auto& o : origins) {
        if (o == "*" || iequals(o, origin)) return true;
        if (o.starts_with("*.")) {  // "*.example.com": any subdomain, any scheme
            std::string_view suffix = std::string_view(o).substr(1);
            if (origin.size() > suffix.size() && iequals(origin.substr(origin.size() - suffix.size()), suffix))
                return true;
        }
    }
    return false;
}

RateLimiter::RateLimiter(uint64_t requests, std::chrono::nanoseconds window, std::string header_key)
    : requests_(requests), window_(window), header_key_(std::move(header_key)) {}

bool RateLimiter::admit(std::string_view key, std::chrono::steady_clock::time_point now, uint64_t& retry_after_s) {
    std::lock_guard lock(mutex_);
    if (windows_.size() >= kMaxKeys)
        std::erase_if(windows_, [&](const auto& kv) { return now - kv.second.start >= window_; });
    key_scratch_.assign(key);
    auto [it, fresh] = windows_.try_emplace(key_scratch_);
    Window& w = it->second;
    if (fresh || now - w.start >= window_) {
        w.start = now;
        w.count = 0;
    }
    if (w.count >= requests_) {
        auto left = window_ - (now - w.start);
        retry_after_s = static_cast<uint64_t>((left.count() + 999'999'999) / 1'000'000'000);
        if (retry_after_s == 0) retry_after_s = 1;
        return false;
    }
    ++w.count;
    return true;
}

std::optional<std::string> option_text(const modrt_value* v) {
    const modrt_host_api& h = host_api();
    switch (h.value_type(v)) {
        case MODRT_STRING: return std::string(to_view(h.value_string(v)));
        case MODRT_BOOL: return std::string(h.value_bool(v) ? "true" : "false");
        case MODRT_INT: return std::to_string(h.value_int(v));
        case MODRT_NUMBER: {
            char buf[32];
            auto r = std::to_chars(buf, buf + sizeof buf, h.value_number(v));
            return std::string(buf, r.ptr);
        }
        default: return std::nullopt;
    }
}

bool read_middleware(const modrt_value* names, const modrt_value* options, bool post, Middleware& out,
                     std::string& field, std::string& error) {
    const modrt_host_api& h = host_api();
    const char* list_field = post ? "post_middleware" : "middleware";
    const char* options_field = post ? "post_options" : "options";
    std::vector<std::string> listed;
    if (h.value_type(names) != MODRT_NIL) {
        if (h.value_type(names) != MODRT_ARRAY) {
            field = list_field;
            error = std::string(list_field) + ": expected a list of middleware names";
            return false;
        }
        for (size_t i = 0; i < h.value_len(names); ++i) {
            const modrt_value* item = h.value_at(names, i);
            std::string_view name = to_view(h.value_string(item));
            field = list_field;
            if (h.value_type(item) != MODRT_STRING) {
                error = std::string(list_field) + ": expected a list of middleware names";
                return false;
            }
            const Known* k = nullptr;
            for (const auto& m : known_middleware())
                if (m.name == name) k = &m;
            if (k == nullptr) {
                error = std::string(list_field) + ": unknown middleware '" + std::string(name) +
                        "' (known: " + known_names(post) + ")";
                return false;
            }
            if (k->post != post) {
                error = std::string(list_field) + ": '" + std::string(name) + "' is " +
                        (k->post ? "post-match middleware: list it under post_middleware"
                                 : "pre-match middleware: list it under middleware");
                return false;
            }
            if (std::find(listed.begin(), listed.end(), name) != listed.end()) {
                error = std::string(list_field) + ": '" + std::string(name) + "' is listed twice";
                return false;
            }
            listed.emplace_back(name);
        }
    }
    // Options: "name.option" keys of listed middleware only.
    std::vector<std::pair<std::string, std::string>> opts;
    if (h.value_type(options) != MODRT_NIL) {
        field = options_field;
        if (h.value_type(options) != MODRT_MAP) {
            error = std::string(options_field) + ": expected a map of dotted option names, such as cors.allow.origins";
            return false;
        }
        for (size_t i = 0; i < h.value_len(options); ++i) {
            std::string key(to_view(h.value_key_at(options, i)));
            std::optional<std::string> value = option_text(h.value_at(options, i));
            size_t dot = key.find('.');
            std::string mw = key.substr(0, dot);
            std::string rest = dot == std::string::npos ? "" : key.substr(dot + 1);
            const Known* k = nullptr;
            for (const auto& m : known_middleware())
                if (m.name == mw) k = &m;
            field = std::string(options_field) + "." + key;
            if (std::find(listed.begin(), listed.end(), mw) == listed.end()) {
                error = std::string(options_field) + "." + key + ": '" + mw + "' is not in " + list_field;
                return false;
            }
            if (std::find(k->options.begin(), k->options.end(), rest) == k->options.end()) {
                std::string known;
                for (auto o : k->options) known += (known.empty() ? "" : ", ") + mw + "." + std::string(o);
                error = std::string(options_field) + "." + key + ": unknown option (known: " + known + ")";
                return false;
            }
            if (!value || !valid_header_value(*value)) {
                error = std::string(options_field) + "." + key +
                        ": expected a string, number or boolean (without control characters)";
                return false;
            }
            opts.emplace_back(key, *value);
        }
    }
    auto bad = [&](const std::string& key, const std::string& why) {
        field = std::string(options_field) + "." + key;
        error = field + ": " + why;
        return false;
    };
    for (const auto& name : listed) {
        if (name == "cors") {
            CorsOptions c;
            for (const auto& [k, v] : opts) {
                if (k == "cors.allow.origins") c.origins = split_list(v);
                else if (k == "cors.allow.methods") c.methods = v;
                else if (k == "cors.allow.headers") c.headers = v;
                else if (k == "cors.expose.headers") c.expose = v;
                else if (k == "cors.max.age") c.max_age = v;
                else if (k == "cors.allow.credentials" && !parse_bool(v, c.credentials))
                    return bad(k, "expected true or false");
            }
            out.cors = std::move(c);
            out.pre.push_back(PreStep::Cors);
        } else if (name == "ratelimit") {
            uint64_t requests = 100;
            std::chrono::nanoseconds window = std::chrono::minutes(1);
            std::string header;
            for (const auto& [k, v] : opts) {
                if (k == "ratelimit.requests") {
                    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), requests);
                    if (ec != std::errc() || end != v.data() + v.size() || requests == 0)
                        return bad(k, "expected a number of requests above 0");
                } else if (k == "ratelimit.window") {
                    auto d = parse_duration(v);
                    if (!d || d->count() == 0) return bad(k, "expected a duration such as 1m or 30s");
                    window = *d;
                } else if (k == "ratelimit.key") {
                    if (v == "ip") header.clear();
                    else if (v.starts_with("header:") && valid_header_name(v.substr(7))) header = lowered(v.substr(7));
                    else return bad(k, "expected ip or header:NAME");
                }
            }
            out.ratelimit_requests = requests;
            out.ratelimit_window = window;
            out.ratelimit_header = header;
            out.pre.push_back(PreStep::RateLimit);
        } else if (name == "token_auth") {
            TokenAuthOptions t;
            for (const auto& [k, v] : opts) {
                if (k == "token_auth.store") t.store = v;
                else if (k == "token_auth.header.name") {
                    if (!valid_header_name(v)) return bad(k, "expected a header name");
                    t.header = lowered(v);
                } else if (k == "token_auth.header.prefix") t.prefix = v;
                else if (k == "token_auth.query.param") t.query_param = v;
            }
            if (t.store.empty()) {
                field = options_field;
                error = std::string(options_field) + ": token_auth needs token_auth.store (a security.token_store id)";
                return false;
            }
            out.token_auth = std::move(t);
            out.pre.push_back(PreStep::TokenAuth);
        } else if (name == "endpoint_firewall") {
            std::string action = "access";  // Wippy's default
            for (const auto& [k, v] : opts)
                if (k == "endpoint_firewall.action") {
                    if (v.empty()) return bad(k, "expected an action name");
                    action = v;
                }
            out.firewall_action = action;
        }
    }
    field.clear();
    return true;
}

}  // namespace modrt::http
