// The NATS driver in one runtime: the real queue, queue.driver.nats and function.lua plugins
// against a real nats-server with JetStream (the shared one: $MODRT_TEST_NATS_URL, or one this
// binary starts). Lua handlers leave traces through tests/queue's native probe functions. Each
// test uses queue names of its own, so tests never see each other's streams.
#include "queue/queue_test_util.hpp"
#include "support/nats_server.hpp"
#include "support/scratch_registry.hpp"

#include <modrt/kernel/json.hpp>
#include <modrt/kernel/runtime.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <thread>

namespace {

namespace fs = std::filesystem;
using modrt::kernel::Runtime;
using modrt::kernel::RuntimeOptions;
using modrt::kernel::Value;
using testing::HasSubstr;
using namespace std::chrono_literals;

constexpr const char* kHeader = R"(version: "1.0"
namespace: q
entries:
  - {name: record, kind: function.native, source: file://@LIB@, method: record}
  - {name: records, kind: function.native, source: file://@LIB@, method: records}
  - {name: bump, kind: function.native, source: file://@LIB@, method: bump}
  - {name: work, kind: function.native, source: file://@LIB@, method: work}
  - {name: max_active, kind: function.native, source: file://@LIB@, method: max_active}
  - {name: nats, kind: queue.driver.nats, connection: {url: "@URL@", reconnect: {wait: 100ms}}}
  - {name: publish, kind: function.lua, source: file://handlers.lua, method: publish, modules: [queue]}
  - {name: info, kind: function.lua, source: file://handlers.lua, method: info, modules: [queue]}
  - {name: ok, kind: function.lua, source: file://handlers.lua, method: ok, modules: [queue, funcs, ctx]}
  - {name: planned, kind: function.lua, source: file://handlers.lua, method: planned, modules: [queue, funcs]}
  - {name: dead, kind: function.lua, source: file://handlers.lua, method: dead, modules: [queue, funcs]}
  - {name: slow, kind: function.lua, source: file://handlers.lua, method: slow, modules: [queue, funcs]}
)";

const std::string kHandlers = R"(local queue = require("queue")
local M = {}
function M.publish(id, body, headers) return queue.publish(id, body, headers) end
function M.info(id) return queue.info(id) end
function M.ok(body)
    local funcs, ctx = require("funcs"), require("ctx")
    local msg = queue.message()
    funcs.call("q:record", body.tag or "ok", {n = body.n, id = msg:id(), trace = ctx.get("trace_id"),
        header = msg:header("trace_id"), custom = msg:header("x-custom"), queue = ctx.get("queue"),
        message_id = ctx.get("message_id")})
    return true
end
)" + std::string(modrt::test::queue::kSharedHandlers) + R"(return M
)";

class QueueNatsTest : public ::testing::Test {
protected:
    void SetUp() override {
        url_ = modrt::test::shared_nats_url();
        ASSERT_FALSE(url_.empty()) << "no nats-server: install it (scripts/setup.sh) or set MODRT_TEST_NATS_URL";
        // Names of this test's own: stream names and subjects on a shared server stay apart.
        static int counter = 0;
        prefix_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_";
    }
    void TearDown() override {
        if (rt) rt->stop_triggers();
    }

    /// Load the header plus `entries` ("@P@" is this test's name prefix); registry errors, formatted.
    std::string load(std::string entries) {
        for (size_t at; (at = entries.find("@P@")) != std::string::npos;) entries.replace(at, 3, prefix_);
        RuntimeOptions o{{fs::path(MODRT_TEST_PLUGIN_DIR)}};
        o.source_roots = {fs::path(QUEUE_PROBE_LIB).parent_path()};
        rt = std::make_unique<Runtime>(o);
        fs::path dir = modrt::test::scratch_dir(fs::path(MODRT_TEST_BINARY_DIR) / "scratch");
        std::string text = modrt::test::with_lib(std::string(kHeader) + entries, QUEUE_PROBE_LIB);
        for (size_t at; (at = text.find("@URL@")) != std::string::npos;) text.replace(at, 5, url_);
        std::ofstream(dir / "registry.yaml") << text;
        std::ofstream(dir / "handlers.lua") << kHandlers;
        std::string out;
        for (const auto& e : rt->load(dir)) out += e.format() + "\n";
        return out;
    }
    void start() {
        auto errors = rt->start_triggers();
        ASSERT_TRUE(errors.empty()) << errors[0].format();
    }
    static Value json(const std::string& text) { return modrt::test::queue::json(text); }
    modrt::kernel::CallResult call(const std::string& id, std::vector<Value> args) {
        return modrt::test::queue::call(*rt, id, std::move(args));
    }
    modrt::kernel::CallResult try_publish(const std::string& queue, const std::string& body,
                                          const std::string& headers = "null") {
        return call("q:publish", {Value::string(queue), json(body), json(headers)});
    }
    void publish(const std::string& queue, const std::string& body, const std::string& headers = "null") {
        auto r = try_publish(queue, body, headers);
        ASSERT_TRUE(r.ok()) << r.error->message;
    }
    std::vector<Value> records(const std::string& name) { return raw_records(prefix_ + name); }
    std::vector<Value> raw_records(const std::string& name) { return modrt::test::queue::records(*rt, "q:records", name); }
    int64_t info(const std::string& queue, const char* counter) {
        return modrt::test::queue::counter(*rt, "q:info", queue, counter);
    }
    static bool eventually(const std::function<bool()>& done) {
        return modrt::test::queue::eventually(done, std::chrono::seconds(15));
    }
    static int64_t at_ns(const Value& record) { return modrt::test::queue::at_ns(record); }
    /// A message body whose probe key is this test's own.
    std::string keyed(const std::string& key, const std::string& rest) const {
        return R"({"key": ")" + prefix_ + key + "\"" + rest + "}";
    }

    std::string url_, prefix_;
    std::unique_ptr<Runtime> rt;
};

TEST_F(QueueNatsTest, EveryPublishedMessageIsHandledOnceWithItsHeadersAndContext) {
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:nats, queue_name: "@P@jobs"}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:ok, concurrency: 3, prefetch: 5}
)"),
              "");
    start();
    constexpr int kMessages = 20;
    for (int i = 0; i < kMessages; ++i)
        publish("q:jobs", R"({"tag": ")" + prefix_ + R"(ok", "n": )" + std::to_string(i) + "}",
                R"({"trace_id": "t-)" + std::to_string(i) + R"(", "x-custom": "c)" + std::to_string(i) + "\"}");
    ASSERT_TRUE(eventually([&] { return records("ok").size() >= size_t(kMessages); }));
    std::set<int64_t> seen;
    std::set<std::string> ids;
    for (const Value& r : records("ok")) {
        const Value& v = *r.find("value");
        int64_t n = v.find("n")->scalar.i;
        seen.insert(n);
        ids.insert(v.find("id")->str);
        EXPECT_EQ(v.find("trace")->str, "t-" + std::to_string(n));  // the header became context
        EXPECT_EQ(v.find("header")->str, "t-" + std::to_string(n));
        EXPECT_EQ(v.find("custom")->str, "c" + std::to_string(n));  // any header crosses NATS
        EXPECT_EQ(v.find("queue")->str, "q:jobs");
        EXPECT_EQ(v.find("message_id")->str, v.find("id")->str);
    }
    EXPECT_EQ(seen.size(), size_t(kMessages));
    EXPECT_EQ(ids.size(), size_t(kMessages));
    ASSERT_TRUE(eventually([&] { return info("q:jobs", "message_count") == 0; }));  // acked: gone from the stream
    EXPECT_EQ(info("q:jobs", "published"), kMessages);
    EXPECT_EQ(info("q:jobs", "redelivered"), 0);
    EXPECT_EQ(records("ok").size(), size_t(kMessages));
}

TEST_F(QueueNatsTest, FalseAndRetryableErrorsAreRedeliveredWithBackoffAndCountedAttempts) {
    ASSERT_EQ(load(R"(  - name: jobs
    kind: queue.queue
    driver: q:nats
    queue_name: "@P@jobs"
    redelivery: {initial_delay: 200ms, backoff_factor: 2}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:planned}
)"),
              "");
    start();
    publish("q:jobs", keyed("flaky", R"(, "plan": ["false", "retry", "nack", "ok"])"));
    ASSERT_TRUE(eventually([&] { return records("flaky").size() == 4 && info("q:jobs", "acked") == 1; }));
    auto runs = records("flaky");
    // NakWithDelay: the server waits out modrt's backoff (lower bounds only: a busy machine delays more).
    EXPECT_GE(at_ns(runs[1]) - at_ns(runs[0]), 190'000'000);  // 200ms after the first failure
    EXPECT_GE(at_ns(runs[2]) - at_ns(runs[1]), 390'000'000);  // 400ms after the second
    EXPECT_GE(at_ns(runs[3]) - at_ns(runs[2]), 790'000'000);  // 800ms after the nack
    EXPECT_EQ(info("q:jobs", "nacked"), 3);
    EXPECT_TRUE(eventually([&] { return info("q:jobs", "message_count") == 0; }));
}

TEST_F(QueueNatsTest, MaxAttemptsMovesTheMessageToADeadLetterNatsQueue) {
    ASSERT_EQ(load(R"(  - name: jobs
    kind: queue.queue
    driver: q:nats
    queue_name: "@P@jobs"
    dead_letter: {queue: q:dlq, max_attempts: 3}
    redelivery: {initial_delay: 20ms}
  - {name: dlq, kind: queue.queue, driver: q:nats, queue_name: "@P@dlq"}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:planned}
  - {name: undertaker, kind: queue.consumer, queue: q:dlq, func: q:dead}
)"),
              "");
    start();
    publish("q:jobs", keyed("doomed", R"(, "plan": ["retry", "retry", "retry", "retry"])"));
    publish("q:jobs", keyed("fatal", R"(, "plan": ["fatal"])"));
    ASSERT_TRUE(eventually([&] { return raw_records("dead").size() == 2; }));
    for (const Value& r : raw_records("dead")) {
        const Value& dead = *r.find("value");
        EXPECT_EQ(dead.find("from")->str, "q:jobs");
        if (dead.find("key")->str == prefix_ + "doomed") {
            EXPECT_EQ(dead.find("error")->str, "try again later");
            EXPECT_EQ(dead.find("kind")->str, "Unavailable");
            EXPECT_EQ(dead.find("attempts")->str, "3");  // JetStream's delivery count
        } else {
            EXPECT_EQ(dead.find("kind")->str, "Invalid");
            EXPECT_EQ(dead.find("attempts")->str, "1");  // not retryable: at once
        }
    }
    EXPECT_EQ(records("doomed").size(), 3u);
    EXPECT_EQ(records("fatal").size(), 1u);
    EXPECT_EQ(info("q:jobs", "dead_lettered"), 2);
    EXPECT_TRUE(eventually([&] { return info("q:jobs", "message_count") == 0 && info("q:dlq", "message_count") == 0; }));
}

TEST_F(QueueNatsTest, ConcurrencyBoundsTheMessagesInFlight) {
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:nats, queue_name: "@P@jobs"}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:slow, concurrency: 3, prefetch: 4}
)"),
              "");
    start();
    for (int i = 0; i < 12; ++i) publish("q:jobs", keyed("bounded", R"(, "ms": 50, "n": )" + std::to_string(i)));
    ASSERT_TRUE(eventually([&] { return records("bounded").size() == 12; }));
    auto max = call("q:max_active", {Value::string(prefix_ + "bounded")});
    ASSERT_TRUE(max.ok());
    EXPECT_LE(max.value.scalar.i, 3);
    EXPECT_GE(max.value.scalar.i, 2);  // 12 messages of 50ms on 3 workers do overlap
}

TEST_F(QueueNatsTest, TwoConsumersOfOneQueueShareItsMessages) {
    // Two queue entries naming one NATS queue: two pull subscriptions on the one durable
    // consumer, as two nodes would have (queue_nats_nodes_test runs real nodes).
    ASSERT_EQ(load(R"(  - {name: a, kind: queue.queue, driver: q:nats, queue_name: "@P@shared"}
  - {name: b, kind: queue.queue, driver: q:nats, queue_name: "@P@shared"}
  - {name: worker_a, kind: queue.consumer, queue: q:a, func: q:slow, prefetch: 1}
  - {name: worker_b, kind: queue.consumer, queue: q:b, func: q:slow, prefetch: 1}
)"),
              "");
    start();
    for (int i = 0; i < 16; ++i) publish("q:a", keyed("shared", R"(, "ms": 40, "n": )" + std::to_string(i)));
    ASSERT_TRUE(eventually([&] { return records("shared").size() == 16; }));
    std::set<int64_t> seen;
    for (const Value& r : records("shared")) seen.insert(r.find("value")->scalar.i);
    EXPECT_EQ(seen.size(), 16u);
    auto max = call("q:max_active", {Value::string(prefix_ + "shared")});
    EXPECT_EQ(max.value.scalar.i, 2);  // both pulled at once: the work was split
    EXPECT_GT(info("q:a", "acked"), 0);
    EXPECT_GT(info("q:b", "acked"), 0);
}

TEST_F(QueueNatsTest, AHandlerLongerThanAckWaitIsNotRedeliveredWhileItRuns) {
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:nats, queue_name: "@P@jobs", driver_options: {nats: {ack_wait: 300ms}}}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:slow, concurrency: 2, prefetch: 2}
)"),
              "");
    start();
    publish("q:jobs", keyed("long", R"(, "ms": 1500, "n": 1)"));
    ASSERT_TRUE(eventually([&] { return records("long").size() == 1; }));
    std::this_thread::sleep_for(400ms);  // past one more ack_wait: a redelivery would have come
    EXPECT_EQ(records("long").size(), 1u);
    auto max = call("q:max_active", {Value::string(prefix_ + "long")});
    EXPECT_EQ(max.value.scalar.i, 1);  // the second worker never got it while the first ran
}

TEST_F(QueueNatsTest, StopGivesBufferedMessagesBackForTheNextConsumer) {
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:nats, queue_name: "@P@jobs"}
  - name: worker
    kind: queue.consumer
    queue: q:jobs
    func: q:slow
    prefetch: 10
    lifecycle: {stop_timeout: 5s}
)"),
              "");
    start();
    for (int i = 0; i < 6; ++i) publish("q:jobs", keyed("stopped", R"(, "ms": 300, "n": )" + std::to_string(i)));
    ASSERT_TRUE(eventually([&] { return info("q:jobs", "in_flight") == 1 && info("q:jobs", "buffered") >= 1; }));
    rt->stop_triggers();  // the one in flight finishes; the buffered ones are nacked back
    const auto handled = records("stopped").size();
    EXPECT_GE(handled, 1u);
    EXPECT_LT(handled, 6u);
    EXPECT_EQ(info("q:jobs", "buffered"), 0);
    EXPECT_EQ(info("q:jobs", "in_flight"), 0);
    EXPECT_EQ(info("q:jobs", "message_count"), int64_t(6 - handled));
    const auto restarted = std::chrono::steady_clock::now();
    start();  // the next consumer gets every one of them
    ASSERT_TRUE(eventually([&] { return records("stopped").size() == 6; }));
    // Well within ack_wait (30s): the buffered ones were nacked back, not left to expire.
    EXPECT_LT(std::chrono::steady_clock::now() - restarted, 10s);
}

TEST_F(QueueNatsTest, AFullStreamRefusesAPublishAsRetryableUnavailable) {
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:nats, queue_name: "@P@jobs", driver_options: {nats: {max_msgs: 3, storage: memory}}}
)"),
              "");
    for (int i = 0; i < 3; ++i) publish("q:jobs", std::to_string(i));
    auto full = try_publish("q:jobs", "4");
    ASSERT_FALSE(full.ok());
    EXPECT_EQ(full.error->kind, MODRT_ERR_UNAVAILABLE);
    EXPECT_TRUE(full.error->retryable);
    EXPECT_THAT(full.error->message, HasSubstr("is full"));
    EXPECT_EQ(info("q:jobs", "message_count"), 3);
}

TEST_F(QueueNatsTest, BadDriverOptionsAndConnectionFieldsAreRegistryErrorsWithFileAndLine) {
    std::string errors = load(R"(  - {name: a, kind: queue.queue, driver: q:nats, driver_options: {nats: {storage: disk}}}
  - {name: b, kind: queue.queue, driver: q:nats, driver_options: {nats: {ack_wiat: 1s}}}
  - {name: c, kind: queue.queue, driver: q:nats, driver_options: {nats: {subject: "jobs.*"}}}
  - {name: broken, kind: queue.driver.nats, connection: {url: "localhost:4222"}}
  - {name: odd, kind: queue.driver.nats, connection: {url: "nats://127.0.0.1:1"}, prefetch: 3}
)");
    EXPECT_THAT(errors, HasSubstr("registry.yaml:16: entry 'q:a': driver_options.nats.storage: expected file or memory"));
    EXPECT_THAT(errors, HasSubstr("registry.yaml:17: entry 'q:b': driver_options.nats.ack_wiat: unknown option"));
    EXPECT_THAT(errors, HasSubstr("registry.yaml:18: entry 'q:c': driver_options.nats.subject: 'jobs.*' is no literal subject"));
    EXPECT_THAT(errors, HasSubstr("registry.yaml:19: entry 'q:broken': connection.url: 'localhost:4222' is not a URL"));
    EXPECT_THAT(errors, HasSubstr("registry.yaml:20: entry 'q:odd': prefetch: unknown field"));
}

}  // namespace
