// The four entry kinds of the http plugin, read and checked at registry load (README.md has
// every field):
//   http.service          a listener (the trigger)     addr, timeouts, workers, limits, lifecycle.security
//   http.router           a prefix and middleware      meta.server, prefix, middleware, options, post_*
//   http.endpoint         a method and path pattern    meta.router, method, path, func
//   security.token_store  bearer tokens and who they are (token_auth)
#pragma once

#include "core/middleware.hpp"
#include "core/route_table.hpp"

#include <modrt/sdk.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace modrt::http {

struct ServiceSpec {
    std::string id;
    std::string addr;  // as written
    std::string host;  // "" (every interface), an IP literal or "localhost"
    uint16_t port = 0;
    std::chrono::nanoseconds read_timeout = std::chrono::seconds(10);
    std::chrono::nanoseconds write_timeout = std::chrono::seconds(30);
    std::chrono::nanoseconds idle_timeout = std::chrono::seconds(60);
    unsigned workers = 1;
    uint64_t max_connections = 10000;
    uint32_t max_header_bytes = 16 * 1024;
    uint64_t max_body_bytes = 8 * 1024 * 1024;

    /// Read and check; throws Failure (with set_field) naming what is wrong.
    static ServiceSpec from_entry(const EntryInfo& info);
};

struct RouterSpec {
    std::string id;
    std::string server;  // resolved id of the http.service
    std::string prefix;  // "" or "/api" (no trailing slash)
    Middleware middleware;
    bool broken = false;  // load_finished found a problem: it serves nothing

    static RouterSpec from_entry(const EntryInfo& info);
};

struct EndpointSpec {
    std::string id;
    std::string router;  // resolved id of the http.router
    std::string method;  // GET ... or "*"
    std::string path;    // as written
    std::string func;    // resolved function id
    RoutePattern full;   // router prefix + path, set by load_finished
    std::string server;  // set by load_finished
    bool broken = false;

    static EndpointSpec from_entry(const EntryInfo& info);
};

/// One token of a security.token_store.
struct TokenSpec {
    TokenStore::Digest digest{};
    std::string actor_id;
    std::shared_ptr<Value> actor_meta;  // a map, or nil
    std::vector<std::string> policies, groups;
};

struct TokenStoreSpec {
    std::string id;
    std::vector<TokenSpec> tokens;

    static TokenStoreSpec from_entry(const EntryInfo& info);
};

/// `name` as an entry id: "ns:name" as it is, a bare name in the namespace of `entry_id`.
std::string resolve_id(std::string_view entry_id, std::string_view name);

/// Who a token (or anything listing actor/policies/groups) runs as: groups are turned into
/// their policies through the security provider, as TriggerIdentity::resolve does. Throws
/// Failure when a group is unknown.
Identity make_identity(const Host& host, const std::string& actor_id, const Value* actor_meta,
                       const std::vector<std::string>& policies, const std::vector<std::string>& groups);

}  // namespace modrt::http
