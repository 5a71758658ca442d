// What one http.service serves: its routers (prefix, middleware) and endpoints in a route
// table, and the path every request takes through them once Beast has parsed it:
//   target -> decoded path -> route match -> the router's pre-match middleware (cors,
//   ratelimit, token_auth) -> 404 / 405 / OPTIONS -> parameters -> the call (with
//   endpoint_firewall checked on its root frame) -> the response, or an error answer
//   mapped from the call's error kind.
// The call itself is a Caller, so the fuzz target drives this same code without sockets.
#pragma once

#include "exchange.hpp"
#include "middleware.hpp"
#include "request.hpp"
#include "response.hpp"
#include "route_table.hpp"

#include <modrt/sdk.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace modrt::http {

struct RouterSite {
    std::string id;
    std::string prefix;  // "" or "/api" (no trailing slash)
    std::vector<std::string> prefix_segments;
    Middleware middleware;
};

struct EndpointSite {
    std::string id;
    std::string func;
    std::string method;
    RoutePattern pattern;  // prefix + path
    size_t router;         // index into Site::routers
};

/// What the call step came to.
enum class CallStatus {
    Returned,      // the function returned (result in `result`)
    Failed,        // the function failed (error in `error`)
    Unauthorized,  // endpoint_firewall denied an anonymous request
    Forbidden      // endpoint_firewall denied the request's actor
};

/// Makes the root call of a request (the server: a RootFrame on the I/O thread and host.call).
class Caller {
public:
    virtual ~Caller() = default;
    /// Call `endpoint.func` as `identity`, lending `exchange`; with `firewall_action` set, first
    /// check that the actor may do it on the endpoint (its id is the resource).
    virtual CallStatus call(const EndpointSite& endpoint, const Identity& identity, const std::string* firewall_action,
                            LentExchange& exchange, ValueSlot result, Error& error) = 0;
};

/// Per-connection scratch the pipeline reuses between requests.
struct Scratch {
    std::vector<std::string_view> segments;
    RouteMatch match;
    std::string key;
};

/// The HTTP status for a call's error kind (NotFound 404, Invalid 400, ...).
int status_for_error(modrt_error_kind kind) noexcept;

class Site {
public:
    std::string service_id;
    std::vector<RouterSite> routers;
    std::vector<EndpointSite> endpoints;
    RouteTable table;
    Identity default_identity;  // the service's lifecycle.security

    /// Index the endpoints into the table and make each router's middleware state.
    void build();

    /// Serve one parsed request into `res` (status, headers, body, or abort). `result` is a
    /// reusable value slot for the call's result.
    void serve(Request& req, Response& res, LentExchange& exchange, Caller& caller, Scratch& scratch,
               Value& result) const;

private:
    /// The router answering a request that matched no endpoint: the longest prefix that fits.
    const RouterSite* router_for_path(const std::vector<std::string_view>& segments) const noexcept;
    /// Run the router's pre-match middleware; false when one answered (the response is set).
    bool run_pre(const RouterSite& router, const Request& req, Response& res, const Identity*& identity,
                 Scratch& scratch) const;
    void answer_call_error(const Request& req, Response& res, const Error& error, bool client_gone) const;
};

}  // namespace modrt::http
