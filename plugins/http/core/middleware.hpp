// A router's middleware, as Wippy's middleware.md names them, and the identities requests
// run as. Options are read from a router's `options` / `post_options` maps (dotted keys,
// string values as Wippy writes them: "100", "1m", "true"):
//   cors               (pre)  cors.allow.origins, cors.allow.methods, cors.allow.headers,
//                             cors.expose.headers, cors.allow.credentials, cors.max.age
//   ratelimit          (pre)  ratelimit.requests, ratelimit.window, ratelimit.key (ip | header:NAME)
//   token_auth         (pre)  token_auth.store, token_auth.header.name, token_auth.header.prefix,
//                             token_auth.query.param
//   endpoint_firewall  (post) endpoint_firewall.action
#pragma once

#include <modrt/abi.h>
#include <modrt/sdk/host.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace modrt::http {

/// Who a request runs as: an actor (null: anonymous) and a scope string ("" for none).
struct Identity {
    std::shared_ptr<const modrt_actor> actor;
    std::string scope;
};

/// Share an actor the caller owns (from actor_new, or retained): the last holder releases it.
inline std::shared_ptr<const modrt_actor> share_actor(const modrt_actor* owned) {
    return std::shared_ptr<const modrt_actor>(owned, [](const modrt_actor* a) { host_api().actor_release(a); });
}

/// A `security.token_store`: bearer tokens, kept as SHA-256 digests, and who each one is.
class TokenStore {
public:
    using Digest = std::array<unsigned char, 32>;
    /// Add a token by its digest; false when that digest is there already.
    bool add(const Digest& digest, Identity identity);
    /// The identity of `token`; null when unknown.
    const Identity* find(std::string_view token) const;
    static Digest sha256(std::string_view text);

private:
    struct DigestHash {
        size_t operator()(const Digest& d) const noexcept;
    };
    std::unordered_map<Digest, Identity, DigestHash> by_digest_;
};

struct CorsOptions {
    std::vector<std::string> origins{"*"};  // "*", exact origins, or "*.example.com" patterns
    std::string methods = "GET,POST,PUT,DELETE,OPTIONS,PATCH";
    std::string headers = "Origin,Content-Type,Accept,Authorization,X-Requested-With";
    std::string expose;
    bool credentials = false;
    std::string max_age = "86400";

    /// Whether `origin` may read responses.
    bool allows(std::string_view origin) const noexcept;
};

/// Requests per window per key (client IP, or a header's value): a fixed window counter.
class RateLimiter {
public:
    RateLimiter(uint64_t requests, std::chrono::nanoseconds window, std::string header_key);
    /// Count one request of `key` at `now`; false when over the limit, with the seconds to wait.
    bool admit(std::string_view key, std::chrono::steady_clock::time_point now, uint64_t& retry_after_s);
    uint64_t requests() const noexcept { return requests_; }
    std::chrono::nanoseconds window() const noexcept { return window_; }
    /// The header whose value is the key; empty: the client IP.
    const std::string& header_key() const noexcept { return header_key_; }

private:
    struct Window {
        std::chrono::steady_clock::time_point start;
        uint64_t count = 0;
    };
    static constexpr size_t kMaxKeys = 100000;  // past it, windows already over are dropped

    uint64_t requests_;
    std::chrono::nanoseconds window_;
    std::string header_key_;  // lower case
    std::mutex mutex_;
    std::unordered_map<std::string, Window> windows_;
    std::string key_scratch_;
};

struct TokenAuthOptions {
    std::string store;                     // the security.token_store entry id
    std::string header = "authorization";  // lower case
    std::string prefix = "Bearer ";
    std::string query_param;                   // empty: tokens are not read from the query
    std::shared_ptr<const TokenStore> tokens;  // bound when the service starts
};

/// The pre-match steps in the order the router lists them.
enum class PreStep { Cors, RateLimit, TokenAuth };

/// One router's middleware.
struct Middleware {
    std::vector<PreStep> pre;
    std::optional<CorsOptions> cors;
    std::optional<TokenAuthOptions> token_auth;
    std::shared_ptr<RateLimiter> ratelimit;  // state shared by the router's requests
    uint64_t ratelimit_requests = 0;
    std::chrono::nanoseconds ratelimit_window{};
    std::string ratelimit_header;
    std::optional<std::string> firewall_action;  // endpoint_firewall's action
};

/// A map option value as text: strings as they are, numbers and booleans spelled out.
std::optional<std::string> option_text(const modrt_value* v);

/// Read `middleware` + `options` (pre) or `post_middleware` + `post_options` (post) of a router
/// entry into `out`. On a problem returns false with `field` (e.g. "middleware", "options") and
/// `error` set.
bool read_middleware(const modrt_value* names, const modrt_value* options, bool post, Middleware& out,
                     std::string& field, std::string& error);

}  // namespace modrt::http
