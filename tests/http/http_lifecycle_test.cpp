// A request's call and the connection under it: a client that goes away cancels its call (with one
// worker too), a runaway call is canceled at its deadline while another I/O thread keeps serving, and
// stop drains calls in flight within stop_timeout and cancels the rest.
#include "http_fixture.hpp"

#include "support/bounded_run.hpp"

#include <future>

namespace {

using namespace http_test;

// The watcher notices the client going away, whatever the I/O threads are busy with: with one
// worker too, whose only thread is the one running the call.
class HttpDisconnect : public HttpTest, public ::testing::WithParamInterface<bool> {};

TEST_P(HttpDisconnect, ClientDisconnectCancelsTheRunningCall) {
    unsigned short port = serve((GetParam() ? one_worker_service() : service()) +
                                endpoint("wait", "GET", "/wait", "wait_cancel"));
    ASSERT_NE(port, 0);
    Client c(port);
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.send("GET /api/wait?name=gone HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(await_started("gone"));
    EXPECT_TRUE(records("gone").empty());
    c.close();
    auto got = await_records("gone", 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].find("kind")->scalar.i, MODRT_ERR_CANCELED);
    EXPECT_LT(got[0].find("ms")->scalar.i, 5000);
    // The service keeps serving.
    auto ok = fetch(port, "GET", "/api/nope");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 404);
}
INSTANTIATE_TEST_SUITE_P(Workers, HttpDisconnect, ::testing::Bool(),
                         [](const auto& info) { return info.param ? std::string("one") : std::string("two"); });

TEST_F(HttpTest, RunawayCallIsCanceledAtItsDeadlineWhileOthersAreServed) {
    unsigned short port = serve(service("    timeouts: {write: 300ms}\n") +
                                endpoint("spin", "GET", "/spin", "wait_cancel") +
                                endpoint("hello", "GET", "/hello", "hello"));
    ASSERT_NE(port, 0);
    auto start = std::chrono::steady_clock::now();
    auto runaway = std::async(std::launch::async, [port] { return fetch(port, "GET", "/api/spin?name=spin"); });
    ASSERT_TRUE(await_started("spin"));
    // The runaway holds one of the two I/O threads; the other answers meanwhile.
    Client c(port);
    ASSERT_TRUE(c.connected());
    auto first = c.request("GET", "/api/hello");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200);
    EXPECT_EQ(runaway.wait_for(0s), std::future_status::timeout) << "answered only after the runaway ended";
    for (int i = 0; i < 4; ++i) {
        auto r = c.request("GET", "/api/hello");
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200);
    }
    ASSERT_EQ(runaway.wait_for(5s), std::future_status::ready);
    auto r = runaway.get();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 504);
    auto took = std::chrono::steady_clock::now() - start;
    EXPECT_GE(took, 280ms);
    EXPECT_LT(took, 3s);
    auto got = await_records("spin", 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].find("kind")->scalar.i, MODRT_ERR_TIMEOUT);
}

TEST_F(HttpTest, StopLetsCallsInFlightFinish) {
    unsigned short port = serve("  - name: gw\n    kind: http.service\n    addr: \"127.0.0.1:0\"\n    workers: 2\n"
                                "    lifecycle: {stop_timeout: 3s}\n"
                                "  - name: api\n    kind: http.router\n    meta: {server: gw}\n" +
                                endpoint("slow", "GET", "/slow", "slow"));
    ASSERT_NE(port, 0);
    auto inflight = std::async(std::launch::async, [port] { return fetch(port, "GET", "/slow?ms=400&name=drain"); });
    ASSERT_TRUE(await_started("drain"));
    Client idle(port);  // an idle keep-alive connection is closed at stop
    ASSERT_TRUE(idle.connected());
    ASSERT_TRUE(idle.request("GET", "/nothing"));
    auto t0 = std::chrono::steady_clock::now();
    auto stopped = modrt::test::run_within(
        [&] {
            rt->stop_triggers();
            return true;
        },
        10s);
    ASSERT_TRUE(stopped);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
    ASSERT_EQ(inflight.wait_for(5s), std::future_status::ready);
    auto r = inflight.get();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "done");
    EXPECT_FALSE(r->keep_alive);  // answered with Connection: close
    EXPECT_TRUE(idle.closed_by_server(2s));
    EXPECT_FALSE(rt->triggers()[0].running);
    Client late(port, 500ms);
    EXPECT_FALSE(late.connected() && late.request("GET", "/slow?ms=1", {}, "", 500ms));
    auto got = records("drain");
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].find("kind")->scalar.i, 0);
}

TEST_F(HttpTest, StopCancelsCallsPastStopTimeout) {
    unsigned short port = serve("  - name: gw\n    kind: http.service\n    addr: \"127.0.0.1:0\"\n    workers: 2\n"
                                "    lifecycle: {stop_timeout: 200ms}\n"
                                "  - name: api\n    kind: http.router\n    meta: {server: gw}\n" +
                                endpoint("slow", "GET", "/slow", "slow"));
    ASSERT_NE(port, 0);
    auto stuck = std::async(std::launch::async, [port] { return fetch(port, "GET", "/slow?ms=20000&name=stuck"); });
    ASSERT_TRUE(await_started("stuck"));
    auto t0 = std::chrono::steady_clock::now();
    auto stopped = modrt::test::run_within(
        [&] {
            rt->stop_triggers();
            return true;
        },
        10s);
    ASSERT_TRUE(stopped);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
    auto got = await_records("stuck", 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].find("kind")->scalar.i, MODRT_ERR_CANCELED);
    ASSERT_EQ(stuck.wait_for(5s), std::future_status::ready);
    auto r = stuck.get();
    if (r) {
        EXPECT_EQ(r->status, 499);  // when the answer made it out before the socket closed
    }
}

TEST_F(HttpTest, DestroyingTheRuntimeStopsTheService) {
    unsigned short port = serve(service() + endpoint("hello", "GET", "/hello", "hello"));
    ASSERT_NE(port, 0);
    Client c(port);
    ASSERT_TRUE(c.request("GET", "/api/hello"));
    auto done = modrt::test::run_within(
        [&] {
            rt.reset();
            return true;
        },
        15s);
    ASSERT_TRUE(done);
    EXPECT_TRUE(c.closed_by_server(2s));
}

}  // namespace
