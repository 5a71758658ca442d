// The wire: keep-alive and pipelining (responses in request order), Expect: 100-continue,
// and what a bad client gets: 431 for an oversized header, 413 for an oversized body, 400
// for garbage, a closed connection for a slow one, 503 past max_connections; the service
// keeps serving others throughout.
#include "http_fixture.hpp"

namespace {

using namespace http_test;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class HttpProtocol : public HttpTest {
protected:
    void SetUp() override {
        port = serve(service("    timeouts: {read: 300ms, idle: 2s}\n    max_header_bytes: 1KiB\n"
                             "    max_body_bytes: 1KiB\n    max_connections: 8\n") +
                     endpoint("hello", "GET", "/hello", "hello") + endpoint("user", "GET", "/users/{id}", "inspect") +
                     endpoint("post", "POST", "/echo", "echo_json"));
        ASSERT_NE(port, 0);
    }

    void still_serving() {
        auto r = fetch(port, "GET", "/api/hello");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200);
    }

    unsigned short port = 0;
};

TEST_F(HttpProtocol, KeepAliveServesManyRequestsOnOneConnection) {
    Client c(port);
    for (int i = 0; i < 20; ++i) {
        auto r = c.request("GET", "/api/hello?name=" + std::to_string(i));
        ASSERT_TRUE(r) << i;
        EXPECT_EQ(r->body, "hello " + std::to_string(i));
        EXPECT_TRUE(r->keep_alive);
    }
}

TEST_F(HttpProtocol, PipelinedRequestsAreAnsweredInOrder) {
    Client c(port);
    ASSERT_TRUE(c.send("GET /api/hello?name=first HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /api/users/2 HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /api/hello?name=third HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto a = c.read();
    auto b = c.read();
    auto d = c.read();
    ASSERT_TRUE(a && b && d);
    EXPECT_EQ(a->body, "hello first");
    EXPECT_THAT(b->body, HasSubstr("\"id\":\"2\""));
    EXPECT_EQ(d->body, "hello third");
}

TEST_F(HttpProtocol, ConnectionCloseIsHonoured) {
    Client c(port);
    auto r = c.request("GET", "/api/hello", {{"Connection", "close"}});
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->keep_alive);
    EXPECT_TRUE(c.closed_by_server(2s));
}

TEST_F(HttpProtocol, Http10GetsItsAnswerAndAClose) {
    Client c(port);
    ASSERT_TRUE(c.send("GET /api/hello HTTP/1.0\r\n\r\n"));
    std::string all = c.read_all();
    EXPECT_THAT(all, StartsWith("HTTP/1.1 200 OK\r\n"));
    EXPECT_THAT(all, HasSubstr("Connection: close"));
    EXPECT_THAT(all, HasSubstr("\r\n\r\nhello world"));
}

TEST_F(HttpProtocol, ExpectContinueGets100First) {
    Client c(port);
    ASSERT_TRUE(c.send("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
    auto first = c.read(2000ms);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 100);
    ASSERT_TRUE(c.send("{}"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(r->body, "{}");
}

TEST_F(HttpProtocol, ChunkedRequestBodyIsReadWhole) {
    Client c(port);
    ASSERT_TRUE(c.send("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201);
    EXPECT_EQ(r->body, "{\"a\":1}");
}

TEST_F(HttpProtocol, OversizedHeaderIs431AndClosed) {
    Client c(port);
    ASSERT_TRUE(c.send("GET /api/hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n"));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 431);
    EXPECT_FALSE(r->keep_alive);
    EXPECT_TRUE(c.closed_by_server(3s));
    still_serving();
}

TEST_F(HttpProtocol, OversizedBodyIs413AndClosed) {
    Client c(port);
    ASSERT_TRUE(c.send("POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: 5000\r\n\r\n" +
                       std::string(1500, 'x')));
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_TRUE(c.closed_by_server(3s));
    still_serving();
}

TEST_F(HttpProtocol, GarbageIs400AndClosed) {
    for (std::string bad : {"GARBAGE\r\n\r\n", "GET /x HTTP/9.9\r\n\r\n", "GET /x HTTP/1.1\r\nBad Header\r\n\r\n",
                            "POST /api/echo HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
                            "GET nopath HTTP/1.1\r\nHost: x\r\n\r\n", "GET /api/%zz HTTP/1.1\r\nHost: x\r\n\r\n"}) {
        Client c(port);
        ASSERT_TRUE(c.send(bad));
        std::string all = c.read_all(3000ms);
        EXPECT_THAT(all, StartsWith("HTTP/1.1 400 ")) << bad;
        EXPECT_THAT(all, HasSubstr("\"kind\":\"Invalid\"")) << bad;
    }
    still_serving();
}

TEST_F(HttpProtocol, SlowClientIsClosedAtTheReadTimeout) {
    Client c(port);
    auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(c.send("GET /api/hello HTTP/1.1\r\nHo"));
    EXPECT_TRUE(c.closed_by_server(3s));
    auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(took, 250ms);
    EXPECT_LT(took, 2s);
    still_serving();
}

TEST_F(HttpProtocol, IdleConnectionIsClosedAtTheIdleTimeout) {
    Client c(port);
    ASSERT_TRUE(c.request("GET", "/api/hello"));
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.closed_by_server(5s));
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 1500ms);
}

TEST_F(HttpProtocol, PastMaxConnectionsIs503) {
    std::vector<std::unique_ptr<Client>> held;
    for (int i = 0; i < 8; ++i) {
        held.push_back(std::make_unique<Client>(port));
        ASSERT_TRUE(held.back()->request("GET", "/api/hello"));
    }
    Client over(port);
    ASSERT_TRUE(over.connected());
    auto busy = over.read(3000ms);
    ASSERT_TRUE(busy);
    EXPECT_EQ(busy->status, 503);
    EXPECT_THAT(busy->body, HasSubstr("too many connections"));
    held.clear();
    std::this_thread::sleep_for(100ms);
    still_serving();
}

}  // namespace
