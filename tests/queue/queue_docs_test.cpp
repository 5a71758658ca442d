// Wippy's en/lua/storage/queue.md: every Lua block of the page runs as written (inside the
// functions of fixtures/docs.lua), on a real runtime with the real queue plugins and the
// memory driver; native probes (queue_probe.cpp) record what the handlers saw.
// tests/function.lua/DOCS_COVERAGE.md maps the page's blocks to these tests.
#include "queue/queue_test_util.hpp"
#include "support/scratch_registry.hpp"

#include <modrt/kernel/runtime.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using modrt::kernel::Runtime;
using modrt::kernel::RuntimeOptions;
using modrt::kernel::Value;
using namespace std::chrono_literals;

constexpr const char* kQueueDocsRegistry = R"(version: "1.0"
namespace: app
entries:
  - {name: record, kind: function.native, source: file://@LIB@, method: record}
  - {name: records, kind: function.native, source: file://@LIB@, method: records}
  - {name: memory, kind: queue.driver.memory}
  - {name: tasks, kind: queue.queue, driver: app:memory}
  - {name: notifications, kind: queue.queue, driver: app:memory}
  - name: emails
    kind: queue.queue
    driver: app:memory
    dead_letter: {queue: app:emails_dlq, max_attempts: 2}
    redelivery: {initial_delay: 10ms}
  - {name: emails_dlq, kind: queue.queue, driver: app:memory}
  - {name: email, kind: library.lua, source: file://docs_email.lua, modules: [funcs]}
  - {name: publish, kind: function.lua, source: file://docs.lua, method: publish, modules: [queue, logger, funcs], imports: {email: app:email}}
  - {name: info, kind: function.lua, source: file://docs.lua, method: info, modules: [queue, logger, funcs], imports: {email: app:email}}
  - {name: publish_task, kind: function.lua, source: file://docs.lua, method: publish_task, modules: [queue, logger, funcs], imports: {email: app:email}}
  - {name: publish_notification, kind: function.lua, source: file://docs.lua, method: publish_notification, modules: [queue, logger, funcs], imports: {email: app:email}}
  - {name: on_notification, kind: function.lua, source: file://docs.lua, method: on_notification, modules: [queue, logger, funcs], imports: {email: app:email}}
  - {name: on_task, kind: function.lua, source: file://docs.lua, method: on_task, modules: [queue, logger, funcs], imports: {email: app:email}}
  - {name: task_info, kind: function.lua, source: file://docs.lua, method: task_info, modules: [queue, logger, funcs], imports: {email: app:email}}
  - {name: email_handler, kind: function.lua, source: file://docs.lua, method: handle_email, modules: [queue, logger, funcs], imports: {email: app:email}}
)";

constexpr const char* kQueueDocsConsumers = R"(  - {name: task_worker, kind: queue.consumer, queue: app:tasks, func: app:on_task}
  - {name: notification_worker, kind: queue.consumer, queue: app:notifications, func: app:on_notification}
  - {name: email_worker, kind: queue.consumer, queue: app:emails, func: app:email_handler}
)";

std::string queue_docs_read(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class QueueDocs : public ::testing::Test {
protected:
    void SetUp() override {
        RuntimeOptions o{{fs::path(MODRT_TEST_PLUGIN_DIR)}};
        o.source_roots = {fs::path(QUEUE_PROBE_LIB).parent_path()};
        rt = std::make_unique<Runtime>(o);
        fs::path dir = modrt::test::scratch_dir(fs::path(MODRT_TEST_BINARY_DIR) / "scratch");
        std::ofstream(dir / "registry.yaml")
            << modrt::test::with_lib(std::string(kQueueDocsRegistry) + kQueueDocsConsumers, QUEUE_PROBE_LIB);
        for (const char* f : {"docs.lua", "docs_email.lua"})
            std::ofstream(dir / f) << queue_docs_read(fs::path(QUEUE_DOCS_FIXTURES) / f);
        std::string errors;
        for (const auto& e : rt->load(dir)) errors += e.format() + "\n";
        ASSERT_EQ(errors, "");
        auto started = rt->start_triggers();
        ASSERT_TRUE(started.empty()) << started[0].format();
    }

    modrt::kernel::CallResult call(const std::string& id, std::vector<Value> args = {}) {
        return modrt::test::queue::call(*rt, id, std::move(args));
    }
    /// The values recorded under `name`.
    std::vector<Value> records(const std::string& name) {
        std::vector<Value> out;
        for (const auto& rec : modrt::test::queue::records(*rt, "app:records", name)) out.push_back(*rec.find("value"));
        return out;
    }
    static bool eventually(const std::function<bool()>& done) { return modrt::test::queue::eventually(done); }
    int64_t counter(const std::string& queue, const char* name) {
        return modrt::test::queue::counter(*rt, "app:info", queue, name);
    }
    static std::string text(const Value& v, const char* key) {
        const Value* f = v.find(key);
        return f != nullptr ? f->str : "";
    }

    std::unique_ptr<Runtime> rt;
};

TEST_F(QueueDocs, PublishingMessagesReachesTheConsumer) {
    size_t before = records("docs.task").size();
    auto r = call("app:publish_task");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::boolean(true));
    ASSERT_TRUE(eventually([&] { return records("docs.task").size() == before + 1; }));
    Value task = records("docs.task").back();
    EXPECT_EQ(text(task, "action"), "send_email");
    EXPECT_EQ(task.find("user_id")->scalar.i, 456);
    EXPECT_EQ(text(task, "template"), "welcome");
}

TEST_F(QueueDocs, HeadersReachTheDeliveryContext) {
    size_t before = records("docs.notification").size();
    Value order = Value::map();
    order.insert("id") = Value::integer(42);
    auto r = call("app:publish_notification", {order, Value::string("req-7")});
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_TRUE(eventually([&] { return records("docs.notification").size() == before + 1; }));
    Value seen = records("docs.notification").back();
    EXPECT_FALSE(text(seen, "id").empty());
    EXPECT_EQ(text(seen, "priority"), "high");
    EXPECT_EQ(text(*seen.find("headers"), "priority"), "high");
    EXPECT_EQ(text(*seen.find("headers"), "correlation_id"), "req-7");
    EXPECT_EQ(text(*seen.find("payload"), "type"), "order_shipped");
    EXPECT_EQ(seen.find("payload")->find("order_id")->scalar.i, 42);
}

TEST_F(QueueDocs, QueueInfoReturnsTheDriversCounters) {
    auto r = call("app:task_info");
    ASSERT_TRUE(r.ok()) << r.error->message;
    ASSERT_EQ(r.value.type, MODRT_MAP);
    EXPECT_NE(r.value.find("ready"), nullptr);
    EXPECT_NE(r.value.find("published"), nullptr);
}

TEST_F(QueueDocs, ConsumerPatternAcksASentMailAndDeadLettersOneThatKeepsFailing) {
    size_t before = records("docs.email").size();
    Value ok = Value::map();
    ok.insert("to") = Value::string("ada@example.com");
    ok.insert("template") = Value::string("welcome");
    ok.insert("data") = Value::map();
    ASSERT_TRUE(call("app:publish", {Value::string("app:emails"), ok}).ok());
    Value down = ok;
    down.insert("to") = Value::string("bob@down.example");
    ASSERT_TRUE(call("app:publish", {Value::string("app:emails"), down}).ok());

    // The handler returns nothing on success (acked) and `nil, err` on failure: the failing
    // mail is tried twice (max_attempts) and then moved to the dead-letter queue.
    ASSERT_TRUE(eventually([&] { return counter("app:emails_dlq", "ready") == 1; }));
    EXPECT_EQ(counter("app:emails", "dead_lettered"), 1);
    EXPECT_EQ(counter("app:emails", "acked"), 2);  // the sent one, and the moved one settled here
    auto sent = records("docs.email");
    int to_down = 0;
    for (size_t i = before; i < sent.size(); ++i) to_down += text(sent[i], "to") == "bob@down.example" ? 1 : 0;
    EXPECT_EQ(to_down, 2);
}

}  // namespace
