// modrt-bench: Google Benchmark's main; every figure sits beside its baseline.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
