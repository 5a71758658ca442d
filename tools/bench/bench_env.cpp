#include "bench_env.hpp"

#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace modrt::bench {

namespace fs = std::filesystem;

BenchEnv& BenchEnv::get() {
    static BenchEnv env;  // benchmarks are free functions; they share one loaded runtime
    return env;
}

BenchEnv::BenchEnv() {
    dir_ = fs::temp_directory_path() / ("modrt-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "add.lua") << kLuaAdd << "\n";
    std::ofstream(dir_ / "registry.yaml") << "version: \"1.0\"\n"
                                             "namespace: bench\n"
                                             "entries:\n"
                                             "  - name: native_add\n"
                                             "    kind: function.native\n"
                                             "    source: file://" MODRT_BENCH_NATIVE_LIB "\n"
                                             "    method: bench_add\n"
                                             "  - name: lua_add\n"
                                             "    kind: function.lua\n"
                                             "    source: file://add.lua\n"
                                             "    method: add\n";
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
