// How a registry problem reads (RegistryError, modrt/kernel/runtime.hpp).
#include <modrt/kernel/runtime.hpp>

namespace modrt::kernel {

std::string RegistryError::format() const {
    std::string out = file;
    if (line > 0) out += ":" + std::to_string(line);
    if (!out.empty()) out += ": ";
    if (!entry.empty()) out += "entry '" + entry + "': ";
    return out + message;
}

}  // namespace modrt::kernel
