#include "bench_env.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace modrt::bench {

namespace fs = std::filesystem;

namespace {

std::string entry(const std::string& name, const std::string& kind, const std::string& source,
                  const std::string& method, const std::string& pool) {
    std::ostringstream out;
    out << "  - name: " << name << "\n    kind: " << kind << "\n    source: file://" << source
        << "\n    method: " << method << "\n";
    if (!pool.empty()) out << "    pool: " << pool << "\n";
    return out.str();
}

}  // namespace

BenchEnv& BenchEnv::get() {
    static BenchEnv env;  // benchmarks are free functions; they share one loaded runtime
    return env;
}

BenchEnv::BenchEnv() {
    dir_ = fs::temp_directory_path() / ("modrt-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "bench.lua") << kLuaBench << "\n";
    const std::string native = MODRT_BENCH_NATIVE_LIB;
    std::ostringstream reg;
    reg << "version: \"1.0\"\nnamespace: bench\nentries:\n"
        << entry("native_add", "function.native", native, "bench_add", "")
        << entry("lua_add", "function.lua", "bench.lua", "add", "")
        << entry("lua_add_static1", "function.lua", "bench.lua", "add", "{type: static, workers: 1}")
        << entry("lua_work_static2", "function.lua", "bench.lua", "work", "{type: static, workers: 2}")
        << entry("lua_work_adaptive", "function.lua", "bench.lua", "work", "{type: adaptive, max_size: 16}")
        << entry("sleep_adaptive", "function.native", native, "bench_sleep_ms", "{type: adaptive, max_size: 128}");
    for (int workers : kStaticBlockingWorkers)
        reg << entry("sleep_static" + std::to_string(workers), "function.native", native, "bench_sleep_ms",
                     "{type: static, workers: " + std::to_string(workers) + "}");
    std::ofstream(dir_ / "registry.yaml") << reg.str();
    runtime_ = std::make_unique<kernel::Runtime>(kernel::RuntimeOptions{{MODRT_BENCH_PLUGIN_DIR}});
    auto errors = runtime_->load(dir_);
    if (!errors.empty()) throw std::runtime_error("bench registry: " + errors.front().format());
}

BenchEnv::~BenchEnv() {
    runtime_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

}  // namespace modrt::bench
