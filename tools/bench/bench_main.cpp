// modrt-bench: Google Benchmark's main; every figure sits beside its baseline.
// MODRT_BENCH_LOG=debug shows what the runtime logs meanwhile (the adaptive pool's decisions).
#include <modrt/kernel/runtime.hpp>

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
    if (const char* level = std::getenv("MODRT_BENCH_LOG"); level != nullptr && !modrt::kernel::set_log_level(level)) {
        std::cerr << "MODRT_BENCH_LOG: unknown level '" << level
                  << "' (trace, debug, info, warn, error, critical, off)\n";
        return 2;
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
