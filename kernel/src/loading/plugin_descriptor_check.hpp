// Checking a plugin's descriptor against this kernel's ABI. Shared by the kernel and
// modrt-plugin-manifest (which writes a manifest only for a plugin the kernel would accept).
#pragma once

#include <modrt/abi.h>

#include <cstdint>
#include <string>

namespace modrt::kernel {

/// "1.3"
std::string abi_text(uint32_t major, uint32_t minor);

/// Why a plugin built for ABI major.minor cannot run on this kernel, or "".
std::string check_plugin_abi(uint32_t major, uint32_t minor);

/// Why the descriptor is unusable (null, too small, wrong ABI, bad provides...), or "".
std::string check_plugin_descriptor(const modrt_plugin_descriptor* d);

}  // namespace modrt::kernel
