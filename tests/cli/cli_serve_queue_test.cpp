// `modrt serve --publish` end to end: the real binary, the real queue plugins and a Lua
// consumer; every published message is handled, failures reach the dead-letter queue, and
// a malformed --publish or an unknown queue is refused.
#include "subprocess.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using modrt::test::ProcessOptions;
using modrt::test::ProcessResult;
using testing::HasSubstr;
using testing::Not;
using namespace std::chrono_literals;

constexpr const char* kServeQueueRegistry = R"(version: "1.0"
namespace: app
entries:
  - {name: memory, kind: queue.driver.memory}
  - {name: jobs, kind: queue.queue, driver: app:memory, dead_letter: {queue: app:dlq, max_attempts: 2}}
  - {name: dlq, kind: queue.queue, driver: app:memory}
  - {name: worker, kind: queue.consumer, queue: app:jobs, func: app:handle, concurrency: 2}
  - {name: undertaker, kind: queue.consumer, queue: app:dlq, func: app:dead}
  - {name: handle, kind: function.lua, source: file://jobs.lua, method: handle, modules: [queue, logger]}
  - {name: dead, kind: function.lua, source: file://jobs.lua, method: dead, modules: [queue, logger]}
)";

constexpr const char* kServeQueueHandlers = R"(local queue, logger = require("queue"), require("logger")
local function handle(job)
    if job.bad then return nil, errors.new({message = "bad job " .. job.n, kind = errors.INVALID}) end
    logger:info("handled job", {n = job.n, id = queue.message():id()})
    return true
end
local function dead(job)
    logger:info("dead job", {n = job.n, error = queue.message():header("x_dead_letter_error")})
    return true
end
return {handle = handle, dead = dead}
)";

class CliServeQueue : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::path(MODRT_TEST_BINARY_DIR) / "tmp" /
               (std::string("serve_queue.") + info->name() + "." + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        std::ofstream(dir_ / "registry.yaml") << kServeQueueRegistry;
        std::ofstream(dir_ / "jobs.lua") << kServeQueueHandlers;
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    /// `modrt serve` with `extra` arguments; SIGINT `after` it says it is serving.
    ProcessResult serve(const std::vector<std::string>& extra, std::chrono::milliseconds after = 3s) {
        ProcessOptions options;
        options.signals = {{after, SIGINT}};
        options.signals_after_stderr = "modrt: serving";
        options.limit = 60s;
        options.env.try_emplace("MODRT_PLUGIN_PATH", std::nullopt);
        std::vector<std::string> argv{MODRT_CLI, "serve", dir_.string(), "--log-level", "info"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return modrt::test::run_process(argv, options);
    }
    static size_t count(const std::string& text, const std::string& what) {
        size_t n = 0;
        for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    }
    static std::string dump(const ProcessResult& r) {
        return "exit " + std::to_string(r.exit_code) + "\n--- stderr ---\n" + r.err;
    }

    fs::path dir_;
};

TEST_F(CliServeQueue, PublishedMessagesAreAllHandledAndFailuresDeadLettered) {
    std::vector<std::string> args;
    for (int i = 0; i < 10; ++i) {
        args.push_back("--publish");
        args.push_back("app:jobs={\"n\": " + std::to_string(i) + (i == 7 ? ", \"bad\": true}" : "}"));
    }
    auto r = serve(args);
    ASSERT_FALSE(r.timed_out) << dump(r);
    EXPECT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("modrt: app:worker (queue.consumer) listening on queue app:jobs"));
    EXPECT_THAT(r.err, HasSubstr("modrt: published 10 message(s)"));
    EXPECT_EQ(count(r.err, "handled job"), 9u) << dump(r);
    EXPECT_THAT(r.err, HasSubstr(R"(dead job {"error":"bad job 7","n":7})"));
    EXPECT_THAT(r.err, HasSubstr("app:worker: stopped: 9 acked, 0 redelivered, 1 dead-lettered, 0 dropped"));
}

TEST_F(CliServeQueue, MalformedPublishIsAUsageError) {
    auto r = serve({"--publish", "app:jobs"});
    EXPECT_EQ(r.exit_code, 2) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("expected QUEUE_ID=JSON"));
    auto bad_json = serve({"--publish", "app:jobs={nope"});
    EXPECT_EQ(bad_json.exit_code, 2) << dump(bad_json);
    EXPECT_THAT(bad_json.err, HasSubstr("the message is not JSON"));
}

TEST_F(CliServeQueue, PublishingToAnUnknownQueueExits1BeforeServing) {
    auto r = serve({"--publish", "app:nope={\"n\": 1}"});
    EXPECT_EQ(r.exit_code, 1) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("--publish app:nope: no queue.queue entry of that id"));
    EXPECT_THAT(r.err, Not(HasSubstr("modrt: serving")));
}

TEST_F(CliServeQueue, TheQueueExampleRegistryRunsAsItsHeaderSays) {
    // examples/registries/queue/registry.yaml's header: order 1 handled, order 2 dead-lettered.
    ProcessOptions options;
    options.signals = {{2s, SIGINT}};
    options.signals_after_stderr = "modrt: serving";
    options.limit = 60s;
    options.env.try_emplace("MODRT_PLUGIN_PATH", std::nullopt);
    auto r = modrt::test::run_process(
        {MODRT_CLI, "serve", std::string(MODRT_SOURCE_DIR) + "/examples/registries/queue", "--log-level", "info",
         "--publish", R"(app.queue:orders={"id":1,"item":"book"})", "--publish", R"(app.queue:orders={"id":2,"item":"poison"})"},
        options);
    ASSERT_FALSE(r.timed_out) << dump(r);
    EXPECT_EQ(r.exit_code, 0) << dump(r);
    EXPECT_THAT(r.err, HasSubstr("order handled"));
    EXPECT_THAT(r.err, HasSubstr(R"("order":1)"));
    EXPECT_THAT(r.err, HasSubstr("dead letter"));
    EXPECT_THAT(r.err, HasSubstr("cannot ship item 'poison'"));
    EXPECT_THAT(r.err, HasSubstr("app.queue:order_worker: stopped: 1 acked, 0 redelivered, 1 dead-lettered"));
}

}  // namespace
