// Router middleware: cors (preflight answered before matching), ratelimit (429 with
// Retry-After), token_auth with a security.token_store, and endpoint_firewall deciding
// with the real security.policy plugin (and allowing everything without one).
#include "http_fixture.hpp"

#include <nlohmann/json.hpp>

namespace {

using namespace http_test;
using nlohmann::json;

TEST_F(HttpTest, CorsPreflightIsAnsweredBeforeMatching) {
    unsigned short port = serve(
        service(
            "",
            "    middleware: [cors]\n    options:\n      cors.allow.origins: \"https://app.example.com,*.trusted.io\"\n"
            "      cors.allow.credentials: true\n") +
        endpoint("hello", "GET", "/hello", "hello"));
    ASSERT_NE(port, 0);
    for (const char* path : {"/api/hello", "/api/not/a/route"}) {
        auto r = fetch(port, "OPTIONS", path,
                       {{"Origin", "https://app.example.com"}, {"Access-Control-Request-Method", "POST"}});
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 204) << path;
        EXPECT_EQ(r->header("Access-Control-Allow-Origin"), "https://app.example.com");
        EXPECT_EQ(r->header("Access-Control-Allow-Methods"), "GET,POST,PUT,DELETE,OPTIONS,PATCH");
        EXPECT_EQ(r->header("Access-Control-Allow-Credentials"), "true");
        EXPECT_EQ(r->header("Access-Control-Max-Age"), "86400");
    }
    auto sub = fetch(port, "GET", "/api/hello", {{"Origin", "https://a.trusted.io"}});
    ASSERT_TRUE(sub);
    EXPECT_EQ(sub->status, 200);
    EXPECT_EQ(sub->header("Access-Control-Allow-Origin"), "https://a.trusted.io");
    EXPECT_EQ(sub->header("Vary"), "Origin");
    auto other = fetch(port, "OPTIONS", "/api/hello",
                       {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 204);
    EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));
    auto plain = fetch(port, "GET", "/api/hello");  // no Origin: no CORS headers
    ASSERT_TRUE(plain);
    EXPECT_FALSE(plain->has_header("Access-Control-Allow-Origin"));
}

TEST_F(HttpTest, CorsHeadersSurviveAnErrorAnswer) {
    unsigned short port = serve(service("", "    middleware: [cors]\n") + endpoint("fail", "GET", "/fail", "fail"));
    ASSERT_NE(port, 0);
    auto r = fetch(port, "GET", "/api/fail?kind=NotFound", {{"Origin", "https://x.example"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    EXPECT_EQ(r->header("Access-Control-Allow-Origin"), "*");
}

TEST_F(HttpTest, RateLimitAnswers429WithRetryAfter) {
    unsigned short port = serve(service("", "    middleware: [ratelimit]\n    options: {ratelimit.requests: \"3\", "
                                            "ratelimit.window: 1m}\n") +
                                endpoint("hello", "GET", "/hello", "hello"));
    ASSERT_NE(port, 0);
    Client c(port);
    for (int i = 0; i < 3; ++i) {
        auto r = c.request("GET", "/api/hello");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200) << i;
    }
    auto r = c.request("GET", "/api/hello");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 429);
    int retry = std::stoi(r->header("Retry-After"));
    EXPECT_GE(retry, 1);
    EXPECT_LE(retry, 60);
    EXPECT_EQ(r->header("X-RateLimit-Limit"), "3");
    EXPECT_EQ(json::parse(r->body)["error"]["kind"], "RateLimited");
}

// Policies (strict: what no policy allows is denied): only admins may `access` endpoints;
// whoever holds call_functions may call the handlers.
const char* kSecurity = R"(  - name: security
    kind: runtime.security
    strict: true
  - name: call_functions
    kind: security.policy
    policy: {actions: funcs.call, resources: "app:*", effect: allow}
  - name: admins_only
    kind: security.policy
    policy:
      actions: access
      resources: "app:*"
      effect: deny
      conditions: [{field: actor.meta.role, operator: ne, value: admin}]
  - name: admins_allowed
    kind: security.policy
    policy: {actions: access, resources: "app:*", effect: allow}
  - name: tokens
    kind: security.token_store
    tokens:
      - token: admin-secret
        actor: {id: "user:ada", meta: {role: admin}}
        policies: [app:call_functions, app:admins_only, app:admins_allowed]
      - token_sha256: fa32968772a8ee3fbd6f842644e210e8d27d27ac97742fe7f1910778fc3fa21d
        actor: {id: "user:bob", meta: {role: guest}}
        policies: [app:call_functions, app:admins_only, app:admins_allowed]
)";

std::string secured_service(const char* lifecycle) {
    return std::string(kSecurity) + "  - name: gw\n    kind: http.service\n    addr: \"127.0.0.1:0\"\n" + lifecycle +
           "  - name: api\n    kind: http.router\n    meta: {server: gw}\n    prefix: /api\n"
           "    middleware: [token_auth]\n    options: {token_auth.store: tokens}\n"
           "    post_middleware: [endpoint_firewall]\n" +
           endpoint("who", "GET", "/who", "inspect");
}

TEST_F(HttpTest, TokenAuthSelectsTheActorAndTheFirewallDecides) {
    unsigned short port = serve(
        secured_service("    lifecycle:\n      security:\n        actor: {id: \"service:gw\"}\n        policies: "
                        "[app:call_functions, app:admins_only]\n"));
    ASSERT_NE(port, 0);
    auto admin = fetch(port, "GET", "/api/who", {{"Authorization", "Bearer admin-secret"}});
    ASSERT_TRUE(admin);
    EXPECT_EQ(admin->status, 200) << admin->body;
    json j = json::parse(admin->body);
    EXPECT_EQ(j["actor"], "user:ada");
    EXPECT_EQ(j["scope"], "[app:call_functions,app:admins_only,app:admins_allowed]");

    auto guest = fetch(port, "GET", "/api/who", {{"Authorization", "bearer user-secret"}});  // sha256 of user-secret
    ASSERT_TRUE(guest);
    EXPECT_EQ(guest->status, 403) << guest->body;
    EXPECT_EQ(json::parse(guest->body)["error"]["kind"], "PermissionDenied");

    auto unknown = fetch(port, "GET", "/api/who", {{"Authorization", "Bearer nope"}});
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 401);
    EXPECT_EQ(unknown->header("WWW-Authenticate"), "Bearer");

    auto none = fetch(port, "GET", "/api/who");  // the service's own identity: no admin
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 403);
}

TEST_F(HttpTest, FirewallAnswers401ForAnAnonymousRequest) {
    unsigned short port = serve(secured_service(""));
    ASSERT_NE(port, 0);
    auto none = fetch(port, "GET", "/api/who");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, 401);
}

TEST_F(HttpTest, FirewallAllowsEverythingWithoutASecurityProvider) {
    unsigned short port = serve(service("", "    post_middleware: [endpoint_firewall]\n") +
                                endpoint("who", "GET", "/who", "inspect"));
    ASSERT_NE(port, 0);
    EXPECT_FALSE(rt->has_security_provider());
    auto r = fetch(port, "GET", "/api/who");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
}

}  // namespace
