// examples/registries/two-node, run as its README says: two `modrt serve` nodes on the serve/
// registry and `modrt call` on the call/ registry (pointed at this test's NATS and subjects
// with -o, the only change).
#include "remote_test_util.hpp"

#include "support/child_process.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

namespace {

using namespace std::chrono_literals;
using namespace modrt::test::remote;
using testing::HasSubstr;

TEST(RemoteExample, TwoNodesServeAndACallerCallsUnchanged) {
    std::string url = modrt::test::shared_nats_url();
    ASSERT_FALSE(url.empty());
    const std::string prefix = unique_prefix();
    const fs::path example = fs::path(MODRT_SOURCE_DIR) / "examples/registries/two-node";
    fs::path dir = modrt::test::scratch_dir(fs::path(MODRT_TEST_BINARY_DIR) / "scratch");
    auto serve = [&](const std::string& name) {
        return std::make_unique<modrt::test::ChildProcess>(
            std::vector<std::string>{MODRT_CLI, "serve", (example / "serve").string(), "--plugin-path",
                                     MODRT_TEST_PLUGIN_DIR, "-o", "app.api:serve:connection.url=" + url, "-o",
                                     "app.api:serve:prefix=" + prefix},
            dir / (name + ".log"));
    };
    auto call = [&](const std::vector<std::string>& extra, const std::string& name) {
        std::vector<std::string> argv{MODRT_CLI,
                                      "call",
                                      (example / "call").string(),
                                      "app.web:profile",
                                      "--plugin-path",
                                      MODRT_TEST_PLUGIN_DIR,
                                      "-o",
                                      "app.api:get_user:connection.url=" + url,
                                      "-o",
                                      "app.api:get_user:prefix=" + prefix};
        argv.insert(argv.end(), extra.begin(), extra.end());
        modrt::test::ChildProcess p(argv, dir / (name + ".log"));
        auto code = p.wait(20s);
        return std::make_pair(code.value_or(-1), p.output());
    };
    auto one = serve("node1"), two = serve("node2");
    ASSERT_TRUE(one->wait_for_output("modrt: serving", 15s)) << one->output();
    ASSERT_TRUE(two->wait_for_output("modrt: serving", 15s)) << two->output();

    auto [ok_code, ok_out] = call({"1", "--actor", "user:ada", "--actor-meta", "role=staff"}, "ok");
    EXPECT_EQ(ok_code, 0) << ok_out;
    EXPECT_THAT(ok_out, HasSubstr("Profile of Ada Lovelace"));
    EXPECT_THAT(ok_out, HasSubstr(R"("asked_by": "user:ada")"));

    auto [denied_code, denied_out] = call({"1"}, "denied");
    EXPECT_NE(denied_code, 0);
    EXPECT_THAT(denied_out, HasSubstr("PermissionDenied"));

    auto [missing_code, missing_out] = call({"3", "--actor", "user:ada", "--actor-meta", "role=staff"}, "missing");
    EXPECT_NE(missing_code, 0);
    EXPECT_THAT(missing_out, HasSubstr("NotFound: user 3 not found"));

    one->signal(SIGTERM);  // node 1 drains and stops; node 2 serves on
    EXPECT_EQ(one->wait(10s), std::optional<int>(0)) << one->output();
    auto [after_code, after_out] = call({"2", "--actor", "user:ada", "--actor-meta", "role=staff"}, "after");
    EXPECT_EQ(after_code, 0) << after_out;
    EXPECT_THAT(after_out, HasSubstr("Alan Turing"));
}

}  // namespace
