// Fuzz target: JSON -> value -> Lua -> value. Never a crash, and converting a
// value that already went through Lua once gives the same value again.
#include <modrt/kernel/json.hpp>
#include <modrt/kernel/runtime.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>

namespace {

modrt::kernel::Runtime& runtime() {
    // libFuzzer calls the target many times in one process: load the registry once.
    static std::unique_ptr<modrt::kernel::Runtime> rt = [] {
        namespace fs = std::filesystem;
        fs::path dir = fs::temp_directory_path() / ("modrt-fuzz-" + std::to_string(::getpid()));
        fs::create_directories(dir);
        std::ofstream(dir / "echo.lua") << "return { echo = function(v) return v end }\n";
        std::ofstream(dir / "registry.yaml")
            << "version: \"1.0\"\nnamespace: fuzz\nentries:\n"
               "  - {name: echo, kind: function.lua, source: file://echo.lua, method: echo}\n";
        auto r = std::make_unique<modrt::kernel::Runtime>(modrt::kernel::RuntimeOptions{{MODRT_FUZZ_PLUGIN_DIR}});
        auto errors = r->load(dir);
        fs::remove_all(dir);
        if (!errors.empty()) __builtin_trap();
        return r;
    }();
    return *rt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace modrt::kernel;
    Value input;
    if (parse_json(std::string_view(reinterpret_cast<const char*>(data), size), input)) return 0;
    Value args = Value::array();
    args.push() = input;
    CallResult first = runtime().call("fuzz:echo", args);
    if (!first.ok()) {
        if (first.error->kind != MODRT_ERR_INVALID) __builtin_trap();  // only unconvertible input may fail
        return 0;
    }
    Value again = Value::array();
    again.push() = first.value;
    CallResult second = runtime().call("fuzz:echo", again);
    if (!second.ok() || to_json(second.value) != to_json(first.value)) __builtin_trap();
    return 0;
}
