// Fuzz target: registry YAML text in, entries or errors out; never a crash.
#include "loading/registry_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<modrt::kernel::RegistryError> errors;
    auto entries = modrt::kernel::read_registry_text(text, "fuzz.yaml", errors);
    for (const auto& e : entries)
        if (e.id.empty() || e.kind.empty()) __builtin_trap();  // accepted entries always have both
    for (const auto& e : errors)
        if (e.message.empty()) __builtin_trap();  // every problem says what it is
    return 0;
}
