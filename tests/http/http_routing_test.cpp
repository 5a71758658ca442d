// Requests through a real http.service: routing and parameters, JSON in and out, error
// answers by kind (with no internals), request ids, HEAD/OPTIONS, flush and the exchange's
// refusals.
#include "http_fixture.hpp"

#include <nlohmann/json.hpp>

namespace {

using namespace http_test;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

class HttpRouting : public HttpTest {
protected:
    void SetUp() override {
        port = serve(service() + endpoint("user", "GET", "/users/{id}", "inspect") +
                     endpoint("me", "GET", "/users/me", "hello") +
                     endpoint("files", "GET", "/files/{path...}", "inspect") +
                     endpoint("posts", "GET", "/users/{uid}/posts/{pid}", "inspect") +
                     endpoint("create", "POST", "/users", "echo_json") + endpoint("fail", "GET", "/fail", "fail") +
                     endpoint("any", "*", "/any", "inspect") + endpoint("stream", "GET", "/stream", "stream") +
                     endpoint("refusals", "GET", "/refusals", "refusals") +
                     "  - name: root\n    kind: http.router\n    meta: {server: app:gw}\n" +
                     endpoint("hello", "GET", "/hello", "app:hello", "root"));
        ASSERT_NE(port, 0);
    }

    json get_json(const std::string& target, const std::vector<std::pair<std::string, std::string>>& headers = {}) {
        auto r = fetch(port, "GET", target, headers);
        EXPECT_TRUE(r);
        if (!r) return json();
        EXPECT_EQ(r->status, 200) << r->body;
        EXPECT_EQ(r->header("Content-Type"), "application/json");
        return json::parse(r->body, nullptr, false);
    }

    unsigned short port = 0;
};

TEST_F(HttpRouting, ReportsTheBoundAddress) {
    auto t = rt->triggers();
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0].kind, "http.service");
    EXPECT_TRUE(t[0].running);
    EXPECT_THAT(t[0].listen.at(0), ::testing::StartsWith("127.0.0.1:"));
}

TEST_F(HttpRouting, ParameterIsCapturedAndDecoded) {
    json j = get_json("/api/users/a%20b?x=1&y=two+words&x=3");
    EXPECT_EQ(j["params"]["id"], "a b");
    EXPECT_EQ(j["route"], "/api/users/{id}");
    EXPECT_EQ(j["path"], "/api/users/a b");
    EXPECT_EQ(j["query_string"], "x=1&y=two+words&x=3");
    EXPECT_EQ(j["query"]["y"], "two words");
    EXPECT_EQ(j["query"]["x"], "3");  // a map keeps the last; the exchange lists both
    EXPECT_EQ(j["method"], "GET");
    EXPECT_EQ(j["protocol"], "HTTP/1.1");
    EXPECT_EQ(j["host"], "127.0.0.1");
    EXPECT_THAT(j["remote_addr"].get<std::string>(), ::testing::StartsWith("127.0.0.1:"));
}

TEST_F(HttpRouting, StaticSegmentBeatsParameter) {
    auto r = fetch(port, "GET", "/api/users/me");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "hello world");
    json j = get_json("/api/users/you");
    EXPECT_EQ(j["params"]["id"], "you");
}

TEST_F(HttpRouting, TwoParametersAndTrailingSlash) {
    json j = get_json("/api/users/7/posts/9/");
    EXPECT_EQ(j["params"]["uid"], "7");
    EXPECT_EQ(j["params"]["pid"], "9");
    EXPECT_EQ(j["route"], "/api/users/{uid}/posts/{pid}");
}

TEST_F(HttpRouting, RestCapturesTheRemainingPath) {
    json j = get_json("/api/files/docs/guides/readme.md");
    EXPECT_EQ(j["params"]["path"], "docs/guides/readme.md");
    j = get_json("/api/files");
    EXPECT_EQ(j["params"]["path"], "");
}

TEST_F(HttpRouting, RouterWithoutPrefixAndQueryParameter) {
    auto r = fetch(port, "GET", "/hello?name=modrt");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "hello modrt");
    EXPECT_EQ(r->header("Content-Type"), "text/plain");
    EXPECT_EQ(r->header("Content-Length"), "11");
    EXPECT_FALSE(r->has_header("Server"));
}

TEST_F(HttpRouting, UnknownPathIs404Json) {
    auto r = fetch(port, "GET", "/api/nothing/here");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    json j = json::parse(r->body);
    EXPECT_EQ(j["error"]["kind"], "NotFound");
    EXPECT_EQ(j["error"]["request_id"], r->header("X-Request-Id"));
}

TEST_F(HttpRouting, WrongMethodIs405WithAllow) {
    auto r = fetch(port, "DELETE", "/api/users/3");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 405);
    EXPECT_EQ(r->header("Allow"), "GET, HEAD, OPTIONS");
    EXPECT_EQ(json::parse(r->body)["error"]["kind"], "Invalid");
}

TEST_F(HttpRouting, OptionsWithoutCorsAnswersAllow) {
    auto r = fetch(port, "OPTIONS", "/api/users");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 204);
    EXPECT_EQ(r->header("Allow"), "POST, OPTIONS");
}

TEST_F(HttpRouting, HeadAnswersGetWithoutBody) {
    Client c(port);
    auto r = c.request("HEAD", "/hello");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->header("Content-Length"), "11");
    EXPECT_EQ(r->body, "");
    auto next = c.request("GET", "/hello");  // the connection is still in step
    ASSERT_TRUE(next);
    EXPECT_EQ(next->body, "hello world");
}

TEST_F(HttpRouting, StarEndpointTakesEveryMethod) {
    for (const char* m : {"GET", "POST", "PATCH", "OPTIONS"}) {
        auto r = fetch(port, m, "/api/any");
        ASSERT_TRUE(r) << m;
        EXPECT_EQ(r->status, 200) << m;
        EXPECT_EQ(json::parse(r->body)["method"], m);
    }
}

TEST_F(HttpRouting, JsonInJsonOut) {
    std::string body = R"({"name":"ada","tags":["x","y"]})";
    auto r = fetch(port, "POST", "/api/users", {{"Content-Type", "application/json"}}, body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(r->header("Content-Type"), "application/json");
    EXPECT_EQ(json::parse(r->body), json::parse(body));
}

TEST_F(HttpRouting, HandlerErrorInvalidIs400WithItsMessage) {
    auto r = fetch(port, "POST", "/api/users", {{"Content-Type", "text/plain"}}, "x");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    json j = json::parse(r->body);
    EXPECT_EQ(j["error"]["kind"], "Invalid");
    EXPECT_EQ(j["error"]["message"], "expected a JSON body");
}

struct KindCase {
    const char* kind;
    int status;
    const char* message;  // what the client sees; nullptr: the error's own message
};

TEST_F(HttpRouting, ErrorKindsMapToStatusesWithoutInternals) {
    const KindCase cases[] = {
        {"NotFound", 404, nullptr},         {"Invalid", 400, nullptr},
        {"PermissionDenied", 403, nullptr}, {"Unavailable", 503, "service unavailable"},
        {"Timeout", 504, "timed out"},      {"Internal", 500, "internal error"},
        {"Unknown", 500, "internal error"}, {"Conflict", 409, nullptr},
        {"RateLimited", 429, nullptr},      {"Canceled", 499, nullptr},
    };
    for (const auto& c : cases) {
        auto r = fetch(port, "GET", std::string("/api/fail?kind=") + c.kind, {{"X-Request-Id", "req-42"}});
        ASSERT_TRUE(r) << c.kind;
        EXPECT_EQ(r->status, c.status) << c.kind;
        EXPECT_EQ(r->header("X-Request-Id"), "req-42");
        json j = json::parse(r->body);
        EXPECT_EQ(j["error"]["kind"], c.kind);
        EXPECT_EQ(j["error"]["request_id"], "req-42");
        if (c.message) {
            EXPECT_EQ(j["error"]["message"], c.message) << c.kind;
            EXPECT_THAT(r->body, Not(HasSubstr("secret"))) << c.kind;
        } else {
            EXPECT_EQ(j["error"]["message"], "secret-detail: boom") << c.kind;
        }
    }
}

TEST_F(HttpRouting, RequestIdIsEchoedOrMadeAndInTheContext) {
    json j = get_json("/api/users/1", {{"X-Request-Id", "abc-123"}});
    EXPECT_EQ(j["request_id"], "abc-123");
    EXPECT_EQ(j["context_request_id"], "abc-123");
    auto a = fetch(port, "GET", "/hello");
    auto b = fetch(port, "GET", "/hello");
    ASSERT_TRUE(a && b);
    EXPECT_FALSE(a->header("X-Request-Id").empty());
    EXPECT_NE(a->header("X-Request-Id"), b->header("X-Request-Id"));
    // A malformed one is replaced, not echoed.
    auto c = fetch(port, "GET", "/hello", {{"X-Request-Id", "bad id with spaces"}});
    ASSERT_TRUE(c);
    EXPECT_NE(c->header("X-Request-Id"), "bad id with spaces");
}

TEST_F(HttpRouting, FlushSendsChunkedAndRefusesLaterHead) {
    auto r = fetch(port, "GET", "/api/stream");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->header("Transfer-Encoding"), "chunked");
    EXPECT_EQ(r->body, "part1,part2");
}

TEST_F(HttpRouting, ExchangeRefusesBadStatusAndHeaderInjection) {
    auto r = fetch(port, "GET", "/api/refusals");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "status99:refused name:refused value:refused ");
    EXPECT_EQ(r->header("X-Ok"), "yes");
    EXPECT_FALSE(r->has_header("Injected"));
}

TEST_F(HttpRouting, HeadersAreReadCaseInsensitively) {
    json j = get_json("/api/users/1", {{"x-TEST", "v1"}});
    EXPECT_EQ(j["x_test"], "v1");
}

}  // namespace
