// Registry errors of the http kinds, each at its file:line: bad fields, references to
// missing entries, unknown middleware, duplicate routes; and a start that cannot listen
// (port in use) fails at the addr line, leaving nothing running.
#include "http_fixture.hpp"

namespace {

using namespace http_test;
using ::testing::HasSubstr;

struct BadEntry {
    const char* name;
    std::string entries;  // after the handler entries (9 of them: the first entry below is line 13)
    int line;
    const char* message;
};

void PrintTo(const BadEntry& b, std::ostream* os) { *os << b.name; }

class HttpBadEntry : public HttpTest, public ::testing::WithParamInterface<BadEntry> {};

TEST_P(HttpBadEntry, IsARegistryErrorAtItsLine) {
    std::string errors = load(GetParam().entries);
    EXPECT_THAT(errors, HasSubstr("registry.yaml:" + std::to_string(GetParam().line) + ":")) << errors;
    EXPECT_THAT(errors, HasSubstr(GetParam().message)) << errors;
}

const std::string kGw = "  - {name: gw, kind: http.service, addr: \"127.0.0.1:0\"}\n";              // line 13
const std::string kApi = "  - {name: api, kind: http.router, meta: {server: gw}, prefix: /api}\n";  // line 14

INSTANTIATE_TEST_SUITE_P(
    Entries, HttpBadEntry,
    ::testing::Values(
        BadEntry{"AddrWithoutPort", "  - {name: gw, kind: http.service, addr: \"localhost\"}\n", 13,
                 "addr: 'localhost' has no port"},
        BadEntry{"AddrNotAnIp", "  - {name: gw, kind: http.service, addr: \"nowhere.example:80\"}\n", 13,
                 "is not an IP address"},
        BadEntry{"AddrBadPort", "  - {name: gw, kind: http.service, addr: \":99999\"}\n", 13, "is not a port"},
        BadEntry{"NoAddr", "  - {name: gw, kind: http.service}\n", 13, "addr: expected a listen address"},
        BadEntry{"UnknownServiceField", "  - {name: gw, kind: http.service, addr: \":0\", tls: {mode: auto}}\n", 13,
                 "tls: unknown field"},
        BadEntry{"BadTimeout", "  - name: gw\n    kind: http.service\n    addr: \":0\"\n    timeouts: {read: soon}\n",
                 16, "timeouts.read: expected a duration"},
        BadEntry{"UnknownTimeout", "  - {name: gw, kind: http.service, addr: \":0\", timeouts: {total: 1s}}\n", 13,
                 "timeouts.total: unknown field"},
        BadEntry{"BadWorkers", "  - {name: gw, kind: http.service, addr: \":0\", workers: 0}\n", 13,
                 "workers: expected a number"},
        BadEntry{"BadBodySize", "  - {name: gw, kind: http.service, addr: \":0\", max_body_bytes: lots}\n", 13,
                 "max_body_bytes: expected a size"},
        BadEntry{"UnknownServer", "  - {name: api, kind: http.router, meta: {server: nope}}\n", 13,
                 "meta.server: no http.service 'app:nope'"},
        BadEntry{"RouterWithoutServer", "  - {name: api, kind: http.router}\n", 13, "meta.server: expected the id"},
        BadEntry{"UnknownMiddleware",
                 kGw + "  - name: api\n    kind: http.router\n    meta: {server: gw}\n"
                       "    middleware: [cors, compress]\n",
                 17, "middleware: unknown middleware 'compress'"},
        BadEntry{"PostMiddlewareInPre",
                 kGw + "  - {name: api, kind: http.router, meta: {server: gw}, "
                       "middleware: [endpoint_firewall]}\n",
                 14, "is post-match middleware"},
        BadEntry{"UnknownOption",
                 kGw + "  - name: api\n    kind: http.router\n    meta: {server: gw}\n"
                       "    middleware: [cors]\n    options:\n      cors.allow.everything: \"*\"\n",
                 19, "options.cors.allow.everything: unknown option"},
        BadEntry{"OptionOfUnlistedMiddleware",
                 kGw + "  - {name: api, kind: http.router, meta: {server: gw}, "
                       "options: {ratelimit.requests: \"5\"}}\n",
                 14, "'ratelimit' is not in middleware"},
        BadEntry{"BadRateLimit",
                 kGw + "  - {name: api, kind: http.router, meta: {server: gw}, middleware: [ratelimit], "
                       "options: {ratelimit.requests: \"lots\"}}\n",
                 14, "ratelimit.requests: expected a number"},
        BadEntry{"TokenAuthWithoutStore",
                 kGw + "  - {name: api, kind: http.router, meta: {server: gw}, "
                       "middleware: [token_auth]}\n",
                 14, "token_auth needs token_auth.store"},
        BadEntry{"UnknownTokenStore",
                 kGw + "  - {name: api, kind: http.router, meta: {server: gw}, "
                       "middleware: [token_auth], options: {token_auth.store: nope}}\n",
                 14, "no security.token_store 'app:nope'"},
        BadEntry{"UnknownRouter",
                 "  - {name: e, kind: http.endpoint, meta: {router: nope}, method: GET, path: /x, "
                 "func: hello}\n",
                 13, "meta.router: no http.router 'app:nope'"},
        BadEntry{"MissingFunc",
                 kGw + kApi +
                     "  - {name: e, kind: http.endpoint, meta: {router: api}, method: GET, "
                     "path: /x, func: nothing}\n",
                 15, "func: no entry 'app:nothing'"},
        BadEntry{"BadMethod",
                 kGw + kApi +
                     "  - {name: e, kind: http.endpoint, meta: {router: api}, method: get, "
                     "path: /x, func: hello}\n",
                 15, "method: expected GET"},
        BadEntry{"PathWithoutSlash",
                 kGw + kApi +
                     "  - {name: e, kind: http.endpoint, meta: {router: api}, "
                     "method: GET, path: x, func: hello}\n",
                 15, "path: expected a path starting with '/'"},
        BadEntry{"RestNotLast",
                 kGw + kApi +
                     "  - {name: e, kind: http.endpoint, meta: {router: api}, method: GET, "
                     "path: \"/a/{rest...}/b\", func: hello}\n",
                 15, "must be the last segment"},
        BadEntry{"DuplicateRoute",
                 kGw + kApi +
                     "  - {name: e1, kind: http.endpoint, meta: {router: api}, method: GET, "
                     "path: \"/users/{id}\", func: hello}\n"
                     "  - {name: r2, kind: http.router, meta: {server: gw}, prefix: /api/users}\n"
                     "  - {name: e2, kind: http.endpoint, meta: {router: r2}, method: GET, "
                     "path: \"/{uid}\", func: hello}\n",
                 17, "GET /api/users/{uid} is served by endpoint 'app:e1' already"},
        BadEntry{"TokenBothForms",
                 "  - name: t\n    kind: security.token_store\n    tokens:\n"
                 "      - {token: a, token_sha256: \"00\", actor: {id: x}}\n",
                 16, "give exactly one of token and token_sha256"},
        BadEntry{"TokenBadDigest",
                 "  - name: t\n    kind: security.token_store\n    tokens:\n"
                 "      - {token_sha256: \"zz\", actor: {id: x}}\n",
                 16, "expected 64 hex digits"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(HttpTest, SameRouteOnTwoServersIsFine) {
    EXPECT_EQ(load(kGw + kApi +
                   "  - {name: gw2, kind: http.service, addr: \"127.0.0.1:0\"}\n"
                   "  - {name: api2, kind: http.router, meta: {server: gw2}, prefix: /api}\n" +
                   endpoint("a", "GET", "/x", "hello") + endpoint("b", "GET", "/x", "hello", "api2") +
                   endpoint("c", "POST", "/x", "hello")),
              "");
}

TEST_F(HttpTest, PortInUseFailsTheStartAtTheAddrLine) {
    net::io_context ioc;
    tcp::acceptor taken(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    std::string port = std::to_string(taken.local_endpoint().port());
    ASSERT_EQ(load("  - name: gw\n    kind: http.service\n    addr: \"127.0.0.1:" + port + "\"\n"), "");
    auto errors = rt->start_triggers();
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].line, 15);
    EXPECT_THAT(errors[0].message, HasSubstr("start: addr: cannot listen on 127.0.0.1:" + port));
    EXPECT_FALSE(rt->triggers()[0].running);
}

}  // namespace
