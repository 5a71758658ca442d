// The fault test with real processes: two `modrt serve` nodes expose the same functions, a
// calling runtime here calls them continuously through the retry interceptor, and one node is
// killed with SIGKILL mid-run. Callers see no error: the calls the dead node had taken fail
// retryably (their attempt's timeout) and are retried on the live node.
#include "remote_test_util.hpp"

#include "support/child_process.hpp"

#include <modrt/kernel/runtime.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

namespace {

using modrt::kernel::CallResult;
using modrt::kernel::Value;
using namespace std::chrono_literals;
using namespace modrt::test::remote;

TEST(RemoteFault, KillingOneOfTwoServingNodesCostsCallersNothing) {
    std::string url = modrt::test::shared_nats_url();
    ASSERT_FALSE(url.empty());
    Params p;
    p.conn = "{url: \"" + url + "\"}";
    p.prefix = unique_prefix();
    p.remote = ", timeout: 1s, meta: {options: {retry: {max_attempts: 10, initial_delay: 20ms, backoff_factor: 1}}}";
    fs::path dir = modrt::test::scratch_dir(fs::path(MODRT_TEST_BINARY_DIR) / "scratch");
    std::ofstream(dir / "registry.yaml") << fill(kServerRegistry, p);
    auto node = [&](const std::string& name) {
        std::vector<std::string> argv{MODRT_CLI,
                                      "serve",
                                      dir.string(),
                                      "--source-root",
                                      fs::path(REMOTE_PROBE_LIB).parent_path().string(),
                                      "--plugin-path",
                                      MODRT_TEST_PLUGIN_DIR};
        return std::make_unique<modrt::test::ChildProcess>(argv, dir / (name + ".log"),
                                                           std::map<std::string, std::string>{
                                                               {"MODRT_TEST_NODE", name}});
    };
    auto a = node("a"), b = node("b");
    ASSERT_TRUE(a->wait_for_output("modrt: serving", 15s)) << a->output();
    ASSERT_TRUE(b->wait_for_output("modrt: serving", 15s)) << b->output();

    std::string errors;
    auto client = load_runtime({{"registry.yaml", fill(kCallerRegistry, p)}, {"caller.lua", kCallerLua}}, errors);
    ASSERT_EQ(errors, "");

    std::mutex mutex;
    std::map<std::string, int> answered;  // node -> calls it answered
    std::vector<std::string> failures;
    std::atomic<bool> killed{false}, done{false};
    std::map<std::string, int> after_kill;
    std::chrono::steady_clock::duration slowest{0};  // a call the dead node had taken waits out its 1 s attempt
    auto caller = [&] {
        Value args = Value::array();
        args.items.push_back(Value::string("app.api:node"));
        while (!done) {
            auto started = std::chrono::steady_clock::now();
            CallResult r = client->call("app.api:caller", args);
            auto took = std::chrono::steady_clock::now() - started;
            std::lock_guard lock(mutex);
            slowest = std::max(slowest, took);
            if (!r.ok()) failures.push_back(r.error->message);
            else {
                ++answered[r.value.str];
                if (killed) ++after_kill[r.value.str];
            }
        }
    };
    std::vector<std::thread> callers;
    for (int i = 0; i < 4; ++i) callers.emplace_back(caller);
    std::this_thread::sleep_for(1500ms);
    a->signal(SIGKILL);
    a->wait(5s);
    std::this_thread::sleep_for(100ms);  // replies a sent before it died have landed
    killed = true;
    std::this_thread::sleep_for(2500ms);
    done = true;
    for (auto& t : callers) t.join();

    std::lock_guard lock(mutex);
    ::testing::Test::RecordProperty("slowest_call_ms",
                                    static_cast<int>(
                                        std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count()));
    ::testing::Test::RecordProperty("answered_a", answered["a"]);
    ::testing::Test::RecordProperty("answered_b", answered["b"]);
    EXPECT_TRUE(failures.empty()) << failures.size() << " calls failed, the first: " << failures.front();
    EXPECT_GT(answered["a"], 0) << "node a never answered before it was killed";
    EXPECT_GT(answered["b"], 0);
    EXPECT_GT(after_kill["b"], 100) << "node b did not take over";
    EXPECT_EQ(after_kill["a"] > 0, false) << "a dead node answered";
}

}  // namespace
