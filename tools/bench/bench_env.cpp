#include "bench_env.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace modrt::bench {

namespace fs = std::filesystem;

namespace {

// The registries live in a temporary directory; the native library they name does not.
fs::path native_dir() { return fs::path(MODRT_BENCH_NATIVE_LIB).parent_path(); }

std::string entry(const std::string& name, const std::string& kind, const std::string& source,
                  const std::string& method, const std::string& pool) {
    std::ostringstream out;
    out << "  - name: " << name << "\n    kind: " << kind << "\n    source: file://" << source
        << "\n    method: " << method << "\n";
    if (!pool.empty()) out << "    pool: " << pool << "\n";
    return out.str();
}

// A contract over bench:lua_sum_validated only: every other entry stays uncovered (no cost).
constexpr const char* kSumContract = R"yaml(  - name: summer
    kind: contract.definition
    methods:
      - name: sum
        input_schemas:
          - format: application/schema+json
            definition:
              type: object
              required: [a, b]
              properties: {a: {type: integer}, b: {type: integer}}
        output_schemas:
          - format: application/schema+json
            definition: {type: integer}
  - name: summer_impl
    kind: contract.binding
    contracts:
      - contract: bench:summer
        default: true
        methods: {sum: bench:lua_sum_validated}
)yaml";

// One call per iteration; a failed call stops the benchmark with its message.
template <typename Call>
void call_each_iteration(benchmark::State& state, Call call) {
    for (auto _ : state) {
        kernel::CallResult r = call();
        if (!r.ok()) {
            state.SkipWithError(r.error->message.c_str());
            break;
        }
        benchmark::DoNotOptimize(r.value.scalar.i);
    }
}

}  // namespace

void run_calls(benchmark::State& state, kernel::Runtime& rt, std::string_view id, const kernel::Value& args,
               const kernel::CallOptions* options) {
    call_each_iteration(state, [&] { return options != nullptr ? rt.call(id, args, *options) : rt.call(id, args); });
}

void run_prepared_calls(benchmark::State& state, kernel::Runtime& rt, std::string_view id, const kernel::Value& args) {
    kernel::ErrorPtr why;
    kernel::FunctionRef fn = rt.find(id, &why);
    if (!fn) {
        state.SkipWithError(why->message.c_str());
        return;
    }
    call_each_iteration(state, [&] { return rt.call(fn, args); });
}

BenchEnv& BenchEnv::get() {
    static BenchEnv env;  // benchmarks are free functions; they share one loaded runtime
    return env;
}

BenchEnv::BenchEnv() {
    dir_ = fs::temp_directory_path() / ("modrt-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "bench.lua") << kLuaBench << "\n";
    std::ofstream(dir_ / "nested.lua") << kLuaNested << "\n";
    const std::string native = MODRT_BENCH_NATIVE_LIB;
    std::ostringstream reg;
    reg << "version: \"1.0\"\nnamespace: bench\nentries:\n"
        << entry("native_add", "function.native", native, "bench_add", "")
        << entry("lua_add", "function.lua", "bench.lua", "add", "")
        << entry("lua_add_static1", "function.lua", "bench.lua", "add", "{type: static, workers: 1}")
        << entry("lua_sum", "function.lua", "bench.lua", "sum", "")
        << entry("lua_nested", "function.lua", "nested.lua", "nested", "") << "    modules: [funcs]\n"
        << entry("lua_nested_interpreted", "function.lua", "nested.lua", "nested", "")
        << "    modules: [funcs]\n    jit: false\n"
        << entry("lua_plain", "function.lua", "nested.lua", "plain", "") << "    modules: [funcs]\n"
        << entry("lua_sum_validated", "function.lua", "bench.lua", "sum", "") << kSumContract
        << entry("lua_cpu", "function.lua", "bench.lua", "mandel", "")
        << entry("lua_cpu_interpreted", "function.lua", "bench.lua", "mandel", "") << "    jit: false\n"
        << entry("lua_work_static2", "function.lua", "bench.lua", "work", "{type: static, workers: 2}")
        << entry("lua_work_adaptive", "function.lua", "bench.lua", "work", "{type: adaptive, max_size: 16}")
        << entry("sleep_adaptive", "function.native", native, "bench_sleep_ms", "{type: adaptive, max_size: 128}");
    for (int workers : kStaticBlockingWorkers)
        reg << entry("sleep_static" + std::to_string(workers), "function.native", native, "bench_sleep_ms",
                     "{type: static, workers: " + std::to_string(workers) + "}");
    std::ofstream(dir_ / "registry.yaml") << reg.str();
    runtime_ = std::make_unique<kernel::Runtime>(
        kernel::RuntimeOptions{.plugin_path = {MODRT_BENCH_PLUGIN_DIR}, .source_roots = {native_dir()}});
    auto errors = runtime_->load(dir_);
    if (!errors.empty()) throw std::runtime_error("bench registry: " + errors.front().format());
}

kernel::Runtime& BenchEnv::secured_runtime() {
    if (secured_) return *secured_;
    fs::path dir = dir_ / "secured";
    fs::create_directories(dir);
    std::ostringstream reg;
    reg << "version: \"1.0\"\nnamespace: bench\nentries:\n"
        << entry("lua_add", "function.lua", (dir_ / "bench.lua").string(), "add", "")
        << "  - name: security\n    kind: runtime.security\n    strict: true\n"
           "    actor: {id: \"bench:caller\", meta: {role: bench}}\n    scope: bench:callers\n";
    // Policies that do not apply to the call first (other resources), the one that allows it last.
    for (int i = 1; i <= kSecuredPolicies; ++i) {
        bool last = i == kSecuredPolicies;
        reg << "  - name: policy" << i << "\n    kind: security.policy\n    policy:\n      actions: funcs.call\n"
            << "      resources: \"" << (last ? std::string("bench:*") : "other" + std::to_string(i) + ":*") << "\"\n"
            << "      effect: allow\n    groups: [callers]\n";
    }
    std::ofstream(dir / "registry.yaml") << reg.str();
    secured_ = std::make_unique<kernel::Runtime>(
        kernel::RuntimeOptions{.plugin_path = {MODRT_BENCH_PLUGIN_DIR}, .source_roots = {native_dir()}});
    auto errors = secured_->load(dir);
    if (!errors.empty()) throw std::runtime_error("secured bench registry: " + errors.front().format());
    return *secured_;
}

BenchEnv::~BenchEnv() {
    secured_.reset();
    runtime_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

}  // namespace modrt::bench
