// The state that checks Lua entries as a registry loads, through the real CLI: function.lua and
// library.lua share one (Host::shared), so a registry of both creates it once, and a call's own
// worker state comes on top of it.
#include "subprocess.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

size_t cli_lc_count(std::string_view text, std::string_view what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

}  // namespace

TEST(CliLoadCheck, FunctionsAndLibrariesShareOneCheckingState) {
    modrt::test::ProcessOptions options;
    options.env.try_emplace("MODRT_PLUGIN_PATH", std::nullopt);
    options.limit = std::chrono::milliseconds(30000);
    // hello: a library.lua entry and two function.lua entries that import it.
    auto r = modrt::test::run_process(
        {MODRT_CLI, "call", CLI_HELLO_REGISTRY, "app.api:greet", "\"Ada\"", "--log-level", "debug"}, options);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "\"Hello, Ada!\"\n");
    EXPECT_EQ(cli_lc_count(r.err, "created the Lua state that checks entries as they load"), 1u) << r.err;
    EXPECT_EQ(cli_lc_count(r.err, "created a Lua state for this worker thread"), 1u) << r.err;
}
