// modrt-bench runs from the build tree and its JSON output parses. Its figures
// are never asserted on (they depend on the machine); only that it works.
#include "subprocess.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using modrt::test::ProcessOptions;
using modrt::test::ProcessResult;
using modrt::test::run_process;
using ::testing::HasSubstr;

namespace {

#ifdef MODRT_BENCH
constexpr const char* kBench = MODRT_BENCH;
#else
constexpr const char* kBench = nullptr;  // built without Google Benchmark (or MODRT_BUILD_BENCH=OFF)
#endif

TEST(BenchSmoke, ACallBenchmarkAndItsBaselineRunAndPrintJson) {
    if (kBench == nullptr) GTEST_SKIP() << "modrt-bench is not built here";
    ProcessResult r = run_process({kBench, "--benchmark_filter=BM_Call/native_inline$|BM_Baseline/direct_call$",
                                   "--benchmark_min_time=0.01", "--benchmark_format=json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json out = nlohmann::json::parse(r.out);
    std::vector<std::string> names;
    for (const auto& b : out.at("benchmarks")) {
        names.push_back(b.at("name").get<std::string>());
        EXPECT_FALSE(b.value("error_occurred", false)) << b.value("error_message", std::string());
        EXPECT_GT(b.at("iterations").get<int64_t>(), 0);
    }
    EXPECT_THAT(names, ::testing::UnorderedElementsAre("BM_Call/native_inline", "BM_Baseline/direct_call"));
}

TEST(BenchSmoke, AnUnknownLogLevelIsRefused) {
    if (kBench == nullptr) GTEST_SKIP() << "modrt-bench is not built here";
    ProcessOptions options;
    options.env["MODRT_BENCH_LOG"] = "loud";
    ProcessResult r = run_process({kBench, "--benchmark_filter=none"}, options);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_THAT(r.err, HasSubstr("MODRT_BENCH_LOG: unknown level 'loud'"));
}

}  // namespace
