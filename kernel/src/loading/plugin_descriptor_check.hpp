// Checking a plugin's descriptor against this kernel's ABI. Shared by the kernel and
// modrt-plugin-manifest (which writes a manifest only for a plugin the kernel would accept).
#pragma once

#include <modrt/abi.h>

#include <cstdint>
#include <string>

namespace modrt::kernel {

/// "1.3"
std::string abi_text(uint32_t major, uint32_t minor);

/// Why a plugin targeting ABI major.minor cannot run on this kernel, or "" (abi.h's rule:
/// same major, minor <= the kernel's). `kernel_minor` is this kernel's; a test passes an
/// older one to play an older kernel.
std::string check_plugin_abi(uint32_t major, uint32_t minor, uint32_t kernel_minor = MODRT_ABI_MINOR);

/// Why the descriptor is unusable (null, too small, wrong ABI, bad provides...), or "".
/// `kernel_minor` as for check_plugin_abi.
std::string check_plugin_descriptor(const modrt_plugin_descriptor* d, uint32_t kernel_minor = MODRT_ABI_MINOR);

}  // namespace modrt::kernel
