// Loading a generated 1000-function registry and completing the first call.
#include "bench_env.hpp"

#include <benchmark/benchmark.h>

#include <fstream>
#include <unistd.h>

namespace modrt::bench {

namespace {

namespace fs = std::filesystem;

constexpr int kFiles = 100;
constexpr int kPerFile = 10;

/// 100 YAML files of 10 Lua functions each, over 10 Lua sources.
fs::path write_registry_1000() {
    fs::path dir = fs::temp_directory_path() / ("modrt-bench-1000-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    for (int s = 0; s < 10; ++s)
        std::ofstream(dir / ("h" + std::to_string(s) + ".lua"))
            << "local M = {}\nfor i = 0, " << kPerFile - 1 << " do M['f' .. i] = function(x) return x + i end end\n"
            << "return M\n";
    for (int f = 0; f < kFiles; ++f) {
        std::ofstream out(dir / ("ns" + std::to_string(f) + ".yaml"));
        out << "version: \"1.0\"\nnamespace: gen.n" << f << "\nentries:\n";
        for (int e = 0; e < kPerFile; ++e)
            out << "  - {name: f" << e << ", kind: function.lua, source: file://h" << f % 10 << ".lua, method: f" << e
                << "}\n";
    }
    return dir;
}

void BM_Startup_registry_1000(benchmark::State& state) {
    fs::path dir = write_registry_1000();
    kernel::Value args = kernel::Value::array();
    args.push() = kernel::Value::integer(1);
    for (auto _ : state) {
        kernel::Runtime rt(kernel::RuntimeOptions{{MODRT_BENCH_PLUGIN_DIR}});
        auto errors = rt.load(dir);
        if (!errors.empty()) {
            state.SkipWithError(errors.front().format().c_str());
            break;
        }
        if (!rt.call("gen.n0:f0", args).ok()) {
            state.SkipWithError("first call failed");
            break;
        }
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
}

}  // namespace

BENCHMARK(BM_Startup_registry_1000)->Name("BM_Startup/registry_1000")->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace modrt::bench
