// The NATS driver across processes: `modrt serve` nodes (the real CLI binary) consume one
// queue on a nats-server of the test's own, and are killed with -9 mid-stream; the server is
// killed and restarted under them. Handlers append "<node> <n>" lines to a file (nats_probe's
// append), which survives a killed node; every published n must be there at least once.
#include "support/child_process.hpp"
#include "support/nats_server.hpp"

#include <modrt/kernel/json.hpp>
#include <modrt/kernel/runtime.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using modrt::kernel::Runtime;
using modrt::kernel::RuntimeOptions;
using modrt::kernel::Value;
using modrt::test::ChildProcess;
using modrt::test::NatsServer;
using namespace std::chrono_literals;

// A node: one consumer on app:jobs. ack_wait is short so that a killed node's messages come back soon.
constexpr const char* kNodeRegistry = R"(version: "1.0"
namespace: app
entries:
  - {name: append, kind: function.native, source: file://nats_probe.so, method: append}
  - {name: sleep_ms, kind: function.native, source: file://nats_probe.so, method: sleep_ms}
  - {name: nats, kind: queue.driver.nats, connection: {url: "@URL@", reconnect: {wait: 100ms}}, publish_timeout: 1s}
  - {name: jobs, kind: queue.queue, driver: app:nats, queue_name: jobs, driver_options: {nats: {ack_wait: 2s}}}
  - {name: worker, kind: queue.consumer, queue: app:jobs, func: app:handle, concurrency: @CONCURRENCY@, prefetch: @PREFETCH@}
  - {name: handle, kind: function.lua, source: file://jobs.lua, method: handle, modules: [funcs]}
  - {name: publish, kind: function.lua, source: file://jobs.lua, method: publish, modules: [queue]}
  - {name: info, kind: function.lua, source: file://jobs.lua, method: info, modules: [queue]}
)";

constexpr const char* kNodeHandlers = R"(local M = {}
function M.handle(job)
    local funcs = require("funcs")
    funcs.call("app:sleep_ms", job.ms)
    funcs.call("app:append", "@FILE@", "@NODE@ " .. job.n)
    return true
end
function M.publish(body) return require("queue").publish("app:jobs", body) end
function M.info() return require("queue").info("app:jobs") end
return M
)";

std::string replaced(std::string text, const std::map<std::string, std::string>& with) {
    for (const auto& [from, to] : with)
        for (size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, from.size(), to);
    return text;
}

class QueueNatsNodes : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(server_.started());
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        base_ = fs::path(MODRT_TEST_BINARY_DIR) / "tmp" / (std::string("nodes.") + info->name() + "." + std::to_string(::getpid()));
        fs::remove_all(base_);
        fs::create_directories(base_);
        handled_ = base_ / "handled.txt";
    }
    void TearDown() override {
        nodes_.clear();  // killed if still running
        publisher_.reset();
        if (!HasFailure()) fs::remove_all(base_);
    }

    /// A registry directory for node `name` (its handler writes `name` into each line).
    fs::path registry(const std::string& name, int concurrency, int prefetch) {
        fs::path dir = base_ / name;
        fs::create_directories(dir);
        const std::map<std::string, std::string> with{{"@URL@", server_.url()},
                                                      {"@CONCURRENCY@", std::to_string(concurrency)},
                                                      {"@PREFETCH@", std::to_string(prefetch)},
                                                      {"@FILE@", handled_.string()},
                                                      {"@NODE@", name}};
        std::ofstream(dir / "registry.yaml") << replaced(kNodeRegistry, with);
        std::ofstream(dir / "jobs.lua") << replaced(kNodeHandlers, with);
        fs::copy_file(NATS_PROBE_LIB, dir / "nats_probe.so", fs::copy_options::overwrite_existing);
        return dir;
    }
    /// Start `modrt serve dir` and wait until it serves.
    /// $MODRT_TEST_NODE_PREFIX (e.g. "/usr/bin/valgrind --error-exitcode=99") runs each node under a tool.
    ChildProcess& start_node(const fs::path& dir) {
        std::vector<std::string> argv;
        if (const char* prefix = std::getenv("MODRT_TEST_NODE_PREFIX")) {
            std::istringstream words(prefix);
            for (std::string w; words >> w;) argv.push_back(w);
        }
        argv.insert(argv.end(), {MODRT_CLI, "serve", dir.string(), "--log-level", "info"});
        nodes_.push_back(std::make_unique<ChildProcess>(argv, dir / "node.log"));
        ChildProcess& node = *nodes_.back();
        EXPECT_TRUE(node.wait_for_output("modrt: serving", 60s)) << node.output();
        return node;
    }
    /// An in-process publisher on the same queue (the registry of `dir`, its consumer not started).
    void open_publisher(const fs::path& dir) {
        RuntimeOptions o{{fs::path(MODRT_TEST_PLUGIN_DIR)}};
        publisher_ = std::make_unique<Runtime>(o);
        auto errors = publisher_->load(dir);
        ASSERT_TRUE(errors.empty()) << errors[0].format();
    }
    modrt::kernel::CallResult publish(int n, int ms) {
        Value body = Value::map();
        body.insert("n") = Value::integer(n);
        body.insert("ms") = Value::integer(ms);
        Value args = Value::array();
        args.items.push_back(std::move(body));
        return publisher_->call("app:publish", args);
    }
    /// Publish n = 0..count-1, retrying a retryable failure (NATS away) for up to 15 s each.
    void publish_all(int count, int ms, const std::function<void(int)>& after_each = {}) {
        for (int n = 0; n < count; ++n) {
            auto until = std::chrono::steady_clock::now() + 15s;
            for (;;) {
                auto r = publish(n, ms);
                if (r.ok()) break;
                ASSERT_TRUE(r.error->retryable) << r.error->message;
                ASSERT_LT(std::chrono::steady_clock::now(), until) << r.error->message;
                std::this_thread::sleep_for(50ms);
            }
            if (after_each) after_each(n);
        }
    }
    /// The handled file: how often each n was handled, and by which node.
    struct Handled {
        std::map<int, int> times;
        std::map<std::string, int> by_node;
        size_t lines = 0;
    };
    Handled handled() const {
        Handled h;
        std::ifstream in(handled_);
        std::string node;
        int n = 0;
        while (in >> node >> n) {
            ++h.times[n];
            ++h.by_node[node];
            ++h.lines;
        }
        return h;
    }
    bool all_handled(int count, std::chrono::seconds limit) const {
        auto until = std::chrono::steady_clock::now() + limit;
        while (handled().times.size() < size_t(count)) {
            if (std::chrono::steady_clock::now() > until) return false;
            std::this_thread::sleep_for(20ms);
        }
        return true;
    }
    /// "missing: 3 17 ..." for failure messages.
    std::string missing(int count) const {
        Handled h = handled();
        std::string out = "missing:";
        for (int n = 0; n < count; ++n)
            if (!h.times.contains(n)) out += " " + std::to_string(n);
        return out + "\n";
    }
    int64_t stream_messages() {
        auto r = publisher_->call("app:info", Value::array());
        if (!r.ok()) return -1;
        return r.value.find("message_count")->scalar.i;
    }

    NatsServer server_;
    fs::path base_, handled_;
    std::vector<std::unique_ptr<ChildProcess>> nodes_;
    std::unique_ptr<Runtime> publisher_;
};

TEST_F(QueueNatsNodes, TwoNodesShareTheWork) {
    fs::path a = registry("a", 2, 1), b = registry("b", 2, 1);
    start_node(a);
    start_node(b);
    open_publisher(a);
    constexpr int kMessages = 60;
    publish_all(kMessages, 20);
    ASSERT_TRUE(all_handled(kMessages, 15s)) << nodes_[0]->output() << nodes_[1]->output();
    Handled h = handled();
    EXPECT_GT(h.by_node["a"], 0);
    EXPECT_GT(h.by_node["b"], 0);
    EXPECT_EQ(h.lines, size_t(kMessages));  // nobody died: each handled exactly once
    EXPECT_TRUE([&] {
        for (int i = 0; i < 100 && stream_messages() != 0; ++i) std::this_thread::sleep_for(20ms);
        return stream_messages() == 0;
    }());
}

TEST_F(QueueNatsNodes, AConsumerNodeKilledMidStreamLosesNothing) {
    constexpr int kConcurrency = 2, kPrefetch = 4, kMessages = 150;
    fs::path a = registry("a", kConcurrency, kPrefetch);
    ChildProcess& first = start_node(a);
    open_publisher(a);
    publish_all(kMessages, 15);
    // Kill it mid-stream: some handled, some in flight or buffered, most not yet pulled.
    auto until = std::chrono::steady_clock::now() + 10s;
    while (handled().lines < 40 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(2ms);
    first.signal(SIGKILL);
    ASSERT_TRUE(first.wait(5s).has_value());
    const size_t before = handled().lines;
    ASSERT_LT(before, size_t(kMessages)) << "the node finished before it was killed";
    start_node(a);  // the same node again: what the dead one held comes back after ack_wait (2s)
    ASSERT_TRUE(all_handled(kMessages, 15s)) << nodes_.back()->output();
    Handled h = handled();
    for (int n = 0; n < kMessages; ++n) EXPECT_GE(h.times[n], 1) << "message " << n << " was lost";
    const size_t duplicates = h.lines - kMessages;
    RecordProperty("duplicates", static_cast<int>(duplicates));
    // Only a message handled but not yet acked at the kill runs twice: at most one per worker.
    EXPECT_LE(duplicates, size_t(kConcurrency)) << "killed after " << before << " lines";
}

TEST_F(QueueNatsNodes, TheNodeReconnectsOnItsOwnWhenTheServerIsKilledAndRestarted) {
    constexpr int kMessages = 80;
    fs::path a = registry("a", 2, 4);
    ChildProcess& node = start_node(a);
    open_publisher(a);
    publish_all(kMessages, 5, [&](int n) {
        if (n == 30) {  // mid-stream, with messages stored, in flight and still to publish
            server_.kill9();
            std::this_thread::sleep_for(500ms);
            server_.restart();  // same port, same store: the stream and its consumer survive
            ASSERT_TRUE(server_.started());
        }
        std::this_thread::sleep_for(10ms);
    });
    ASSERT_TRUE(all_handled(kMessages, 15s)) << missing(kMessages) << node.output() << "\n--- nats-server ---\n" << server_.log();
    Handled h = handled();
    for (int n = 0; n < kMessages; ++n) EXPECT_GE(h.times[n], 1) << "message " << n << " was lost";
    RecordProperty("duplicates", static_cast<int>(h.lines - kMessages));
    EXPECT_TRUE(node.running());
    EXPECT_NE(node.output().find("reconnected"), std::string::npos) << node.output();
}

}  // namespace
