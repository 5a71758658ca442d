// The request pipeline (site.hpp).
#include "site.hpp"
#include "ascii.hpp"

#include "json.hpp"

#include <modrt/error_kinds.hpp>

#include <chrono>

namespace modrt::http {

namespace {

constexpr std::string_view kSource = "http";

bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (ascii_lower(s[i]) != ascii_lower(prefix[i])) return false;
    return true;
}

std::string_view client_ip(std::string_view remote_addr) noexcept {
    if (remote_addr.starts_with('[')) {
        size_t end = remote_addr.find(']');
        return end == std::string_view::npos ? remote_addr : remote_addr.substr(1, end - 1);
    }
    size_t colon = remote_addr.rfind(':');
    return colon == std::string_view::npos ? remote_addr : remote_addr.substr(0, colon);
}

void log_text(modrt_log_level level, const std::string& text) { modrt::log(level, kSource, text); }

// A request's target split into path and query: origin form ("/a?b"), absolute form
// ("http://host/a?b"). False for anything else.
bool split_target(std::string_view target, std::string_view& path, std::string_view& query) {
    if (!target.starts_with('/')) {
        size_t scheme = target.find("://");
        if (scheme == std::string_view::npos) return false;
        size_t slash = target.find('/', scheme + 3);
        target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
    size_t q = target.find('?');
    path = target.substr(0, q);
    query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
    size_t hash = query.find('#');
    if (hash != std::string_view::npos) query = query.substr(0, hash);
    return true;
}

}  // namespace

int status_for_error(modrt_error_kind kind) noexcept {
    switch (kind) {
        case MODRT_ERR_NOT_FOUND: return 404;
        case MODRT_ERR_INVALID: return 400;
        case MODRT_ERR_PERMISSION_DENIED: return 403;
        case MODRT_ERR_ALREADY_EXISTS:
        case MODRT_ERR_CONFLICT: return 409;
        case MODRT_ERR_RATE_LIMITED: return 429;
        case MODRT_ERR_CANCELED: return 499;
        case MODRT_ERR_UNAVAILABLE: return 503;
        case MODRT_ERR_TIMEOUT: return 504;
        default: return 500;
    }
}

void Site::build() {
    table = RouteTable();
    for (size_t i = 0; i < endpoints.size(); ++i) table.add(endpoints[i].method, endpoints[i].pattern, i);
    for (auto& r : routers) {
        std::vector<std::string_view> segs;
        split_path(r.prefix, segs);
        r.prefix_segments.assign(segs.begin(), segs.end());
        const Middleware& m = r.middleware;
        for (PreStep s : m.pre)
            if (s == PreStep::RateLimit)
                r.middleware.ratelimit = std::make_shared<RateLimiter>(m.ratelimit_requests, m.ratelimit_window,
                                                                       m.ratelimit_header);
    }
}

const RouterSite* Site::router_for_path(const std::vector<std::string_view>& segments) const noexcept {
    const RouterSite* best = nullptr;
    for (const auto& r : routers) {
        if (r.prefix_segments.size() > segments.size()) continue;
        if (best && best->prefix_segments.size() >= r.prefix_segments.size()) continue;
        bool fits = true;
        for (size_t i = 0; fits && i < r.prefix_segments.size(); ++i) fits = r.prefix_segments[i] == segments[i];
        if (fits) best = &r;
    }
    return best;
}

bool Site::run_pre(const RouterSite& router, const Request& req, Response& res, const Identity*& identity,
                   Scratch& scratch) const {
    const Middleware& m = router.middleware;
    for (PreStep step : m.pre) {
        switch (step) {
            case PreStep::Cors: {
                std::string_view origin = req.header("origin");
                if (origin.data() == nullptr) break;
                const CorsOptions& c = *m.cors;
                const bool allowed = c.allows(origin);
                const bool preflight = req.method == "OPTIONS" &&
                                       req.header("access-control-request-method").data() != nullptr;
                if (allowed) {
                    const bool any = c.origins.size() == 1 && c.origins[0] == "*" && !c.credentials;
                    res.set_header("Access-Control-Allow-Origin", any ? std::string_view("*") : origin);
                    if (!any) res.add_header("Vary", "Origin");
                    if (c.credentials) res.set_header("Access-Control-Allow-Credentials", "true");
                    if (!c.expose.empty() && !preflight) res.set_header("Access-Control-Expose-Headers", c.expose);
                }
                if (preflight) {
                    if (allowed) {
                        res.set_header("Access-Control-Allow-Methods", c.methods);
                        res.set_header("Access-Control-Allow-Headers", c.headers);
                        if (!c.max_age.empty()) res.set_header("Access-Control-Max-Age", c.max_age);
                    }
                    res.status = 204;
                    return false;
                }
                break;
            }
            case PreStep::RateLimit: {
                RateLimiter& rl = *m.ratelimit;
                std::string_view key = rl.header_key().empty() ? client_ip(req.remote_addr)
                                                               : req.header(rl.header_key());
                uint64_t retry_after = 0;
                if (!rl.admit(key, std::chrono::steady_clock::now(), retry_after)) {
                    res.set_error(429, "RateLimited", "too many requests", req.request_id);
                    scratch.key = std::to_string(retry_after);
                    res.set_header("Retry-After", scratch.key);
                    res.set_header("X-RateLimit-Limit", std::to_string(rl.requests()));
                    res.set_header(
                        "X-RateLimit-Window",
                        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(rl.window()).count()) + "s");
                    return false;
                }
                break;
            }
            case PreStep::TokenAuth: {
                const TokenAuthOptions& t = *m.token_auth;
                std::string_view token;
                std::string_view value = req.header(t.header);
                if (value.data() != nullptr && istarts_with(value, t.prefix)) token = value.substr(t.prefix.size());
                if (token.empty() && !t.query_param.empty()) {
                    const auto& q = req.query();
                    for (size_t i = 0; i < q.size(); ++i)
                        if (req.query_name(i) == t.query_param) {
                            token = req.query_value(i);
                            break;
                        }
                }
                if (token.empty()) break;  // no token: the service's own identity
                const Identity* found = t.tokens ? t.tokens->find(token) : nullptr;
                if (found == nullptr) {
                    res.set_error(401, "PermissionDenied", "unknown or revoked token", req.request_id);
                    res.set_header("WWW-Authenticate", "Bearer");
                    return false;
                }
                identity = found;
                break;
            }
        }
    }
    return true;
}

void Site::answer_call_error(const Request& req, Response& res, const Error& error, bool client_gone) const {
    const modrt_error_kind kind = error.kind();
    const int status = status_for_error(kind);
    if (kind == MODRT_ERR_CANCELED) {
        log_text(MODRT_LOG_INFO, service_id + ": request " + req.request_id + " (" + req.method + " " + req.path +
                                     ") canceled" + (client_gone ? ": the client closed the connection" : ""));
    } else if (status >= 500) {
        log_text(MODRT_LOG_ERROR, service_id + ": request " + req.request_id + " (" + req.method + " " + req.path +
                                      ") failed: " + std::string(error_kind_name(kind)) + ": " +
                                      std::string(error.message()));
    }
    if (client_gone) {
        res.abort = true;
        return;
    }
    if (res.touched) return;  // a function that answered keeps its answer (http.h: responded)
    std::string_view message = error.message();
    if (status == 500) message = "internal error";
    else if (status == 503) message = "service unavailable";
    else if (status == 504) message = "timed out";
    res.set_error(status, error_kind_name(kind), message, req.request_id);
}

void Site::serve(Request& req, Response& res, LentExchange& exchange, Caller& caller, Scratch& scratch,
                 Value& result) const {
    std::string_view raw_path, query;
    if (req.target == "*" && req.method == "OPTIONS") {
        res.status = 204;
        res.set_header("Allow", "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE");
        return;
    }
    if (!split_target(req.target, raw_path, query) || !percent_decode(raw_path, req.path, false)) {
        res.set_error(400, "Invalid", "malformed request target", req.request_id);
        res.close_after = true;
        return;
    }
    req.query_string.assign(query);
    if (req.method == "HEAD") res.no_body = true;

    split_path(req.path, scratch.segments);
    RouteMatch& m = scratch.match;
    table.match(req.method, req.path, scratch.segments, m);

    const RouterSite* router = m.any_target != RouteMatch::kNone ? &routers[endpoints[m.any_target].router]
                                                                 : router_for_path(scratch.segments);
    const Identity* identity = &default_identity;
    if (router && !run_pre(*router, req, res, identity, scratch)) return;

    if (m.target == RouteMatch::kNone) {
        if (!m.path_found) {
            res.set_error(404, "NotFound", "no route for " + req.method + " " + req.path, req.request_id);
        } else if (req.method == "OPTIONS") {
            res.status = 204;  // the router's implicit OPTIONS answer (Wippy's endpoint.md)
            res.set_header("Allow", m.allow);
        } else {
            res.set_error(405, "Invalid", "method " + req.method + " is not allowed for " + req.path, req.request_id);
            res.set_header("Allow", m.allow);
        }
        return;
    }

    const EndpointSite& ep = endpoints[m.target];
    const RouterSite& owner = routers[ep.router];
    for (size_t i = 0; i < ep.pattern.param_names.size() && i < m.captures.size(); ++i)
        req.add_param(ep.pattern.param_names[i], m.captures[i]);
    req.route = ep.pattern.text;

    res.seal_headers();
    Error error;
    const std::string* firewall = owner.middleware.firewall_action ? &*owner.middleware.firewall_action : nullptr;
    CallStatus status = caller.call(ep, *identity, firewall, exchange, result.slot(), error);
    const bool gone = exchange.client_gone->load(std::memory_order_relaxed);
    switch (status) {
        case CallStatus::Unauthorized:
            res.set_error(401, "PermissionDenied", "authentication required", req.request_id);
            res.set_header("WWW-Authenticate", "Bearer");
            return;
        case CallStatus::Forbidden:
            res.set_error(403, "PermissionDenied", "not allowed to " + *firewall + " " + ep.id, req.request_id);
            return;
        case CallStatus::Failed:
            if (res.head_sent) {  // the answer is half sent: cut it off so the client sees it incomplete
                answer_call_error(req, res, error, true);
                return;
            }
            answer_call_error(req, res, error, gone);
            return;
        case CallStatus::Returned: break;
    }
    if (gone) {
        res.abort = true;
        return;
    }
    if (!res.touched && !result.view().is_nil()) {
        // A convenience: a handler that wrote nothing and returned a value answers it as JSON.
        res.set_header("Content-Type", "application/json");
        append_json_value(res.body, result.raw());
    }
}

}  // namespace modrt::http
