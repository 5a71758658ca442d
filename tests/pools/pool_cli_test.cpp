// `modrt call --stats` prints each pool's counters after the call.
#include "pool_test_util.hpp"

#include <cstdio>
#include <regex>
#include <sys/wait.h>

namespace pool_test {
namespace {

struct Output {
    int status = -1;
    std::string text;
};

Output run(const std::string& command) {
    Output out;
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (p == nullptr) return out;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.text.append(buf, n);
    int st = ::pclose(p);
    out.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return out;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

using PoolCli = PoolTest;

TEST_F(PoolCli, CallWithStatsPrintsThePoolLine) {
    fs::path file = write_file(scratch_dir("cli") / "registry.yaml",
                               registry("cli", {native_entry("tid", "thread_id", "{workers: 2}"),
                                                native_entry("plain", "thread_id")}));
    Output out = run(quoted(MODRT_CLI) + " call --stats --plugin-path " + quoted(MODRT_TEST_PLUGIN_DIR) +
                     " --source-root " + quoted(fs::path(native_lib()).parent_path().string()) + " " +
                     quoted(file.string()) + " cli:tid");
    ASSERT_EQ(out.status, 0) << out.text;
    PT_EXPECT_CONTAINS(out.text, "pool stats:");
    // The worker counts `completed` (and leaves `busy`) just after the caller got its result,
    // so a line printed right after the call may still show the call busy: accept either.
    EXPECT_TRUE(std::regex_search(
        out.text, std::regex(R"(\n  cli:tid \(static\): workers=2 busy=[01] queued=0 completed=[01] rejected=0\n)")))
        << out.text;
    PT_EXPECT_CONTAINS(out.text, "  cli:plain (inline): workers=0 busy=0 queued=0 completed=0 rejected=0\n");
}

}  // namespace
}  // namespace pool_test
