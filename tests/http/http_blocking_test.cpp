// Functions that block the I/O thread their connection lives on (server.hpp, shard.hpp): with
// one worker, a blocked call gets its shard a helper thread, so the shard's other connections,
// and new ones, are served meanwhile; and many blocked calls get as many helpers.
#include "http_fixture.hpp"

#include <future>

namespace {

using namespace http_test;

TEST_F(HttpTest, ABlockedCallDoesNotStallTheOtherConnectionsOfItsThread) {
    unsigned short port = serve(one_worker_service() + endpoint("slow", "GET", "/slow", "slow") +
                                endpoint("hello", "GET", "/hello", "hello"));
    ASSERT_NE(port, 0);
    Client idle(port);  // opened before the call blocks: it lives on the same (only) thread
    ASSERT_TRUE(idle.connected());
    auto warm = idle.request("GET", "/api/hello");
    ASSERT_TRUE(warm);

    auto blocked = std::async(std::launch::async, [port] { return fetch(port, "GET", "/api/slow?ms=1500&name=b"); });
    ASSERT_TRUE(await_started("b"));  // the call runs and holds the I/O thread
    auto start = std::chrono::steady_clock::now();
    auto r = idle.request("GET", "/api/hello");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    auto fresh = fetch(port, "GET", "/api/hello");  // and a new connection
    ASSERT_TRUE(fresh);
    EXPECT_EQ(fresh->status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 700ms) << "served only after the blocked call";
    EXPECT_EQ(blocked.wait_for(0s), std::future_status::timeout);

    ASSERT_EQ(blocked.wait_for(10s), std::future_status::ready);
    auto b = blocked.get();
    ASSERT_TRUE(b);
    EXPECT_EQ(b->status, 200);
    EXPECT_EQ(b->body, "done");
    // Once the call returned, the thread serves its connections itself again.
    for (int i = 0; i < 3; ++i) {
        auto again = idle.request("GET", "/api/hello");
        ASSERT_TRUE(again);
        EXPECT_EQ(again->status, 200);
    }
}

TEST_F(HttpTest, ManyBlockedCallsOnOneThreadRunSideBySide) {
    unsigned short port = serve(one_worker_service() + endpoint("slow", "GET", "/slow", "slow") +
                                endpoint("hello", "GET", "/hello", "hello"));
    ASSERT_NE(port, 0);
    constexpr int kCalls = 6;
    auto start = std::chrono::steady_clock::now();
    std::vector<std::future<std::optional<Reply>>> calls;
    for (int i = 0; i < kCalls; ++i) {
        calls.push_back(
            std::async(std::launch::async, [port] { return fetch(port, "GET", "/api/slow?ms=800&name=m"); }));
        std::this_thread::sleep_for(5ms);
    }
    for (auto& c : calls) {
        ASSERT_EQ(c.wait_for(10s), std::future_status::ready);
        auto r = c.get();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200);
    }
    // One after another they would take 6 × 800 ms; side by side, about one.
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
    EXPECT_EQ(await_records("m", kCalls).size(), static_cast<size_t>(kCalls));
}

}  // namespace
