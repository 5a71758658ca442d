// Queues through the real thing: a runtime with the real queue, queue.driver.memory and
// function.lua plugins; Lua handlers use the queue module and leave traces through native
// probe functions (queue_probe.cpp). Messages are published with queue.publish from Lua.
#include "queue/queue_test_util.hpp"
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

constexpr const char* kQueueHeader = R"(version: "1.0"
namespace: q
entries:
  - {name: record, kind: function.native, source: file://@LIB@, method: record}
  - {name: records, kind: function.native, source: file://@LIB@, method: records}
  - {name: bump, kind: function.native, source: file://@LIB@, method: bump}
  - {name: work, kind: function.native, source: file://@LIB@, method: work}
  - {name: max_active, kind: function.native, source: file://@LIB@, method: max_active}
  - {name: memory, kind: queue.driver.memory}
  - {name: publish, kind: function.lua, source: file://handlers.lua, method: publish, modules: [queue]}
  - {name: publish_bare, kind: function.lua, source: file://handlers.lua, method: publish_bare, modules: [queue]}
  - {name: info, kind: function.lua, source: file://handlers.lua, method: info, modules: [queue]}
  - {name: outside, kind: function.lua, source: file://handlers.lua, method: outside, modules: [queue]}
  - {name: ok, kind: function.lua, source: file://handlers.lua, method: ok, modules: [queue, funcs, ctx]}
  - {name: planned, kind: function.lua, source: file://handlers.lua, method: planned, modules: [queue, funcs]}
  - {name: dead, kind: function.lua, source: file://handlers.lua, method: dead, modules: [queue, funcs]}
  - {name: slow, kind: function.lua, source: file://handlers.lua, method: slow, modules: [queue, funcs]}
)";

const std::string kQueueHandlers = R"(local queue = require("queue")
local M = {}
function M.publish(id, body, headers) return queue.publish(id, body, headers) end
function M.publish_bare(id, body) return queue.publish(id, body) end
function M.info(id) return queue.info(id) end
function M.outside() return queue.message() end
function M.ok(body)
    local funcs, ctx = require("funcs"), require("ctx")
    local msg = queue.message()
    funcs.call("q:record", "ok", {n = body.n, id = msg:id(), trace = ctx.get("trace_id"),
                                  header = msg:header("trace_id"), queue = ctx.get("queue")})
    return true
end
)" + std::string(modrt::test::queue::kSharedHandlers) + R"(return M
)";

class QueueTest : public ::testing::Test {
protected:
    /// Load the header plus `entries`; the registry errors, formatted ("" when none).
    std::string load(const std::string& entries) {
        RuntimeOptions o{{fs::path(MODRT_TEST_PLUGIN_DIR)}};
        o.source_roots = {fs::path(QUEUE_PROBE_LIB).parent_path()};
        rt = std::make_unique<Runtime>(o);
        fs::path dir = modrt::test::scratch_dir(fs::path(MODRT_TEST_BINARY_DIR) / "scratch");
        std::ofstream(dir / "registry.yaml")
            << modrt::test::with_lib(std::string(kQueueHeader) + entries, QUEUE_PROBE_LIB);
        std::ofstream(dir / "handlers.lua") << kQueueHandlers;
        std::string out;
        for (const auto& e : rt->load(dir)) out += e.format() + "\n";
        return out;
    }
    void start() {
        auto errors = rt->start_triggers();
        ASSERT_TRUE(errors.empty()) << errors[0].format();
    }

    static Value json(const std::string& text) { return modrt::test::queue::json(text); }
    modrt::kernel::CallResult call(const std::string& id, std::vector<Value> args,
                                   const modrt::kernel::CallOptions& options = {}) {
        Value a = Value::array();
        a.items = std::move(args);
        return rt->call(id, a, options);
    }
    void publish(const std::string& queue, const std::string& body, const std::string& headers = "null") {
        auto r = call("q:publish", {Value::string(queue), json(body), json(headers)});
        ASSERT_TRUE(r.ok()) << r.error->message;
    }
    std::vector<Value> records(const std::string& name) { return modrt::test::queue::records(*rt, "q:records", name); }
    int64_t info(const std::string& queue, const char* counter) {
        return modrt::test::queue::counter(*rt, "q:info", queue, counter);
    }
    static bool eventually(const std::function<bool()>& done) { return modrt::test::queue::eventually(done); }
    static int64_t at_ns(const Value& record) { return modrt::test::queue::at_ns(record); }

    std::unique_ptr<Runtime> rt;
};

TEST_F(QueueTest, EveryPublishedMessageIsHandledOnceWithItsIdAndTraceContext) {
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:memory}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:ok, concurrency: 3}
)"),
              "");
    start();
    constexpr int kMessages = 20;
    for (int i = 0; i < kMessages; ++i)
        publish("q:jobs", "{\"n\": " + std::to_string(i) + "}", "{\"trace_id\": \"t-" + std::to_string(i) + "\"}");
    ASSERT_TRUE(eventually([&] { return info("q:jobs", "acked") == kMessages; }));
    std::set<int64_t> seen;
    std::set<std::string> ids;
    for (const Value& r : records("ok")) {
        const Value& v = *r.find("value");
        int64_t n = v.find("n")->scalar.i;
        seen.insert(n);
        ids.insert(v.find("id")->str);
        EXPECT_EQ(v.find("trace")->str, "t-" + std::to_string(n));  // the header became context
        EXPECT_EQ(v.find("header")->str, "t-" + std::to_string(n));
        EXPECT_EQ(v.find("queue")->str, "q:jobs");
    }
    EXPECT_EQ(records("ok").size(), size_t(kMessages));
    EXPECT_EQ(seen.size(), size_t(kMessages));
    EXPECT_EQ(ids.size(), size_t(kMessages));
    EXPECT_EQ(info("q:jobs", "message_count"), 0);
    EXPECT_EQ(info("q:jobs", "nacked"), 0);
}

TEST_F(QueueTest, FalseAndRetryableErrorsAreRedeliveredWithBackoff) {
    ASSERT_EQ(load(R"(  - name: jobs
    kind: queue.queue
    driver: q:memory
    redelivery: {initial_delay: 100ms, backoff_factor: 2}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:planned}
)"),
              "");
    start();
    publish("q:jobs", R"({"key": "flaky", "plan": ["false", "retry", "ok"]})");
    ASSERT_TRUE(eventually([&] { return info("q:jobs", "acked") == 1; }));
    auto runs = records("flaky");
    ASSERT_EQ(runs.size(), 3u);
    // Lower bounds only: a busy machine delays more, never less.
    EXPECT_GE(at_ns(runs[1]) - at_ns(runs[0]), 95'000'000);   // 100ms after the first failure
    EXPECT_GE(at_ns(runs[2]) - at_ns(runs[1]), 190'000'000);  // 200ms after the second
    EXPECT_EQ(info("q:jobs", "nacked"), 2);
    EXPECT_EQ(info("q:jobs", "dead_lettered"), 0);
}

TEST_F(QueueTest, MaxAttemptsMovesTheMessageToTheDeadLetterQueueWithItsError) {
    ASSERT_EQ(load(R"(  - name: jobs
    kind: queue.queue
    driver: q:memory
    dead_letter: {queue: q:dlq, max_attempts: 3}
    redelivery: {initial_delay: 10ms}
  - {name: dlq, kind: queue.queue, driver: q:memory}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:planned}
  - {name: undertaker, kind: queue.consumer, queue: q:dlq, func: q:dead}
)"),
              "");
    start();
    publish("q:jobs", R"({"key": "doomed", "plan": ["retry", "retry", "retry", "retry"]})");
    ASSERT_TRUE(eventually([&] { return records("dead").size() == 1; }));
    auto dead_records = records("dead");
    const Value& dead = *dead_records[0].find("value");
    EXPECT_EQ(dead.find("key")->str, "doomed");
    EXPECT_EQ(dead.find("error")->str, "try again later");
    EXPECT_EQ(dead.find("kind")->str, "Unavailable");
    EXPECT_EQ(dead.find("attempts")->str, "3");
    EXPECT_EQ(dead.find("from")->str, "q:jobs");
    EXPECT_EQ(records("doomed").size(), 3u);
    EXPECT_EQ(info("q:jobs", "dead_lettered"), 1);
    EXPECT_TRUE(eventually([&] { return info("q:jobs", "message_count") == 0; }));
}

TEST_F(QueueTest, NonRetryableErrorsDeadLetterAtOnce) {
    ASSERT_EQ(load(
                  R"(  - {name: jobs, kind: queue.queue, driver: q:memory, dead_letter: {queue: q:dlq, max_attempts: 5}}
  - {name: dlq, kind: queue.queue, driver: q:memory}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:planned}
  - {name: undertaker, kind: queue.consumer, queue: q:dlq, func: q:dead}
)"),
              "");
    start();
    publish("q:jobs", R"({"key": "fatal", "plan": ["fatal"]})");
    publish("q:jobs", R"({"key": "raised", "plan": ["raise"]})");
    ASSERT_TRUE(eventually([&] { return records("dead").size() == 2; }));
    for (const Value& r : records("dead")) {
        const Value& dead = *r.find("value");
        EXPECT_EQ(dead.find("attempts")->str, "1");
        if (dead.find("key")->str == "fatal") {
            EXPECT_EQ(dead.find("kind")->str, "Invalid");
            EXPECT_EQ(dead.find("error")->str, "bad order fatal");
        } else {
            EXPECT_THAT(dead.find("error")->str, HasSubstr("handler blew up"));
        }
    }
    EXPECT_EQ(records("fatal").size(), 1u);
    EXPECT_EQ(records("raised").size(), 1u);
}

TEST_F(QueueTest, WithoutADeadLetterQueueANonRetryableFailureIsCountedAsDropped) {
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:memory}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:planned}
)"),
              "");
    start();
    publish("q:jobs", R"({"key": "lost", "plan": ["fatal"]})");
    ASSERT_TRUE(eventually([&] { return info("q:jobs", "dropped") == 1; }));
    EXPECT_EQ(info("q:jobs", "message_count"), 0);
}

TEST_F(QueueTest, AnEarlyNackWinsOverTheResult) {
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:memory, redelivery: {initial_delay: 10ms}}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:planned}
)"),
              "");
    start();
    publish("q:jobs", R"({"key": "nacked", "plan": ["nack", "ok"]})");
    ASSERT_TRUE(eventually([&] { return info("q:jobs", "acked") == 1; }));
    EXPECT_EQ(records("nacked").size(), 2u);
    EXPECT_EQ(info("q:jobs", "nacked"), 1);
}

TEST_F(QueueTest, ConcurrencyBoundsTheMessagesInFlight) {
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:memory}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:slow, concurrency: 3}
)"),
              "");
    start();
    for (int i = 0; i < 12; ++i) publish("q:jobs", R"({"key": "bounded", "ms": 40, "n": )" + std::to_string(i) + "}");
    ASSERT_TRUE(eventually([&] { return info("q:jobs", "acked") == 12; }));
    auto max = call("q:max_active", {Value::string("bounded")});
    ASSERT_TRUE(max.ok());
    EXPECT_LE(max.value.scalar.i, 3);
    EXPECT_GE(max.value.scalar.i, 2);  // 12 messages of 40ms on 3 workers do overlap
}

TEST_F(QueueTest, StopLeavesUnhandledMessagesUnackedInTheQueue) {
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:memory}
  - name: worker
    kind: queue.consumer
    queue: q:jobs
    func: q:slow
    lifecycle: {stop_timeout: 50ms}
)"),
              "");
    start();
    for (int i = 0; i < 5; ++i) publish("q:jobs", R"({"key": "stopped", "ms": 5000, "n": )" + std::to_string(i) + "}");
    ASSERT_TRUE(eventually([&] { return info("q:jobs", "in_flight") == 1; }));
    rt->stop_triggers();  // the one in flight outlives stop_timeout: canceled, released
    EXPECT_EQ(info("q:jobs", "in_flight"), 0);
    EXPECT_EQ(info("q:jobs", "acked"), 0);
    EXPECT_EQ(info("q:jobs", "ready"), 5);  // nothing lost: all five wait for the next consumer
    EXPECT_EQ(info("q:jobs", "released"), 1);
    EXPECT_TRUE(records("stopped").empty());
}

TEST_F(QueueTest, RegistryMistakesAreErrorsWithFileAndLine) {
    std::string errors = load(R"(  - {name: jobs, kind: queue.queue, driver: q:memory, codec: application/msgpack}
  - {name: orphan, kind: queue.queue, driver: q:record}
  - {name: lost, kind: queue.queue, driver: q:memory, dead_letter: {queue: q:nowhere}}
  - {name: worker, kind: queue.consumer, queue: q:nope, func: q:ok}
  - {name: idle, kind: queue.consumer, queue: q:lost, func: q:missing}
)");
    EXPECT_THAT(errors, HasSubstr("registry.yaml:18: entry 'q:jobs': codec: unknown codec 'application/msgpack'"));
    EXPECT_THAT(errors, HasSubstr("registry.yaml:19: entry 'q:orphan': driver: 'q:record' is not a queue driver"));
    EXPECT_THAT(errors,
                HasSubstr("registry.yaml:20: entry 'q:lost': dead_letter.queue: no queue.queue entry 'q:nowhere'"));
    EXPECT_THAT(errors, HasSubstr("registry.yaml:21: entry 'q:worker': queue: no queue.queue entry 'q:nope'"));
    EXPECT_THAT(errors, HasSubstr("registry.yaml:22: entry 'q:idle': func: no entry 'q:missing'"));
}

TEST_F(QueueTest, MessageOutsideAConsumerAndUnknownQueuesAreErrors) {
    ASSERT_EQ(load(""), "");
    auto outside = call("q:outside", {});
    ASSERT_FALSE(outside.ok());
    EXPECT_EQ(outside.error->kind, MODRT_ERR_INVALID);
    EXPECT_THAT(outside.error->message, HasSubstr("no queue message is being handled"));
    auto unknown = call("q:publish", {Value::string("q:nope"), Value::integer(1)});
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error->kind, MODRT_ERR_NOT_FOUND);
    EXPECT_THAT(unknown.error->message, HasSubstr("no queue.queue entry 'q:nope'"));
}

TEST_F(QueueTest, PublishingNeedsQueuePublishAndQueuePublishQueue) {
    // Wippy's two checks: the action queue.publish, then queue.publish.queue on the queue's id.
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:memory}
  - {name: call_any, kind: security.policy, policy: {actions: funcs.call, resources: "*", effect: allow}, groups: [none, some, all]}
  - {name: publish_any, kind: security.policy, policy: {actions: queue.publish, resources: "*", effect: allow}, groups: [some, all]}
  - {name: publish_jobs, kind: security.policy, policy: {actions: queue.publish.queue, resources: "q:jobs", effect: allow}, groups: [all]}
)"),
              "");
    auto as = [](const std::string& scope) {
        modrt::kernel::CallOptions o;
        o.actor_id = "user:1";
        o.scope = scope;
        return o;
    };
    auto none = call("q:publish", {Value::string("q:jobs"), Value::integer(1), Value()}, as("q:none"));
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error->kind, MODRT_ERR_PERMISSION_DENIED);
    EXPECT_THAT(none.error->message, HasSubstr("not allowed to publish (queue.publish)"));
    auto some = call("q:publish", {Value::string("q:jobs"), Value::integer(2), Value()}, as("q:some"));
    ASSERT_FALSE(some.ok());
    EXPECT_EQ(some.error->kind, MODRT_ERR_PERMISSION_DENIED);
    EXPECT_THAT(some.error->message, HasSubstr("not allowed to publish to q:jobs (queue.publish.queue)"));
    auto all = call("q:publish", {Value::string("q:jobs"), Value::integer(3), Value()}, as("q:all"));
    EXPECT_TRUE(all.ok()) << all.error->message;
    auto counters = call("q:info", {Value::string("q:jobs")}, as("q:all"));
    ASSERT_TRUE(counters.ok()) << counters.error->message;
    EXPECT_EQ(counters.value.find("published")->scalar.i, 1);  // the denied ones never reached the driver
}

TEST_F(QueueTest, AutoAckSettlesWhenHandedOutAndNeverRedeliversAFailure) {
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:memory, redelivery: {initial_delay: 10ms}}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:planned, auto_ack: true}
)"),
              "");
    start();
    publish("q:jobs", R"({"key": "once", "plan": ["retry", "ok"]})");
    ASSERT_TRUE(eventually([&] { return records("once").size() == 1 && info("q:jobs", "acked") == 1; }));
    std::this_thread::sleep_for(100ms);  // a redelivery would come after 10ms
    EXPECT_EQ(records("once").size(), 1u);
    EXPECT_EQ(info("q:jobs", "nacked"), 0);
    EXPECT_EQ(info("q:jobs", "message_count"), 0);
}

TEST_F(QueueTest, AFullMemoryQueueRefusesAPublishAsRetryableUnavailable) {
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:memory, driver_options: {memory: {max_length: 2}}}
)"),
              "");
    publish("q:jobs", "1");
    publish("q:jobs", "2");
    auto full = call("q:publish", {Value::string("q:jobs"), Value::integer(3), Value()});
    ASSERT_FALSE(full.ok());
    EXPECT_EQ(full.error->kind, MODRT_ERR_UNAVAILABLE);
    EXPECT_TRUE(full.error->retryable);
    EXPECT_THAT(full.error->message, HasSubstr("is full (2 messages; driver_options.memory.max_length)"));
    EXPECT_EQ(info("q:jobs", "message_count"), 2);
}

TEST_F(QueueTest, LuaPublishesWithoutHeaders) {
    ASSERT_EQ(load(R"(  - {name: jobs, kind: queue.queue, driver: q:memory}
  - {name: worker, kind: queue.consumer, queue: q:jobs, func: q:ok}
)"),
              "");
    start();
    const size_t before = records("ok").size();  // the probe outlives a runtime where dlclose does not unload
    auto r = call("q:publish_bare", {Value::string("q:jobs"), json(R"({"n": 5})")});
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_TRUE(eventually([&] { return records("ok").size() == before + 1; }));
    EXPECT_EQ(records("ok").back().find("value")->find("n")->scalar.i, 5);
}

TEST_F(QueueTest, BadDriverOptionsAreRegistryErrorsWithFileAndLine) {
    std::string errors = load(R"(  - {name: jobs, kind: queue.queue, driver: q:memory, driver_options: {memory: {max_lenght: 5}}}
  - {name: more, kind: queue.queue, driver: q:memory, driver_options: {memory: {max_length: -1}}}
)");
    EXPECT_THAT(errors, HasSubstr("registry.yaml:18: entry 'q:jobs': driver_options.memory: unknown option 'max_lenght'"));
    EXPECT_THAT(errors, HasSubstr("registry.yaml:19: entry 'q:more': driver_options.memory.max_length: expected a count"));
}

}  // namespace
