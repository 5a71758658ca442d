// Compiled by the abi_sdk_refuses_* tests, never linked: with MODRT_TARGET_ABI_MINOR 2
// the SDK must refuse Frame::stoppable (host frame_stoppable is ABI minor 3), and with
// 3 it must accept it. Likewise Host::value_size_limit (minor 4) with ABI_USE_SIZE_LIMIT.
#include <modrt/sdk.hpp>

bool abi_compile_probe(modrt::Frame frame, const modrt::Host& host) {
#ifdef ABI_USE_SIZE_LIMIT
    return host.value_size_limit() > 0;
#else
    (void)host;
    return frame.stoppable();
#endif
}
