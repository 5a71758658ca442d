// Fuzz target: bytes as a function.remote request, through the serving side's own decoder
// (plugins/function.remote/wire_*, compiled into the target so a libFuzzer build instruments
// it). Never a crash, a stack overflow on deep nesting, or an exception other than an INVALID
// Failure; a request that decodes re-encodes its arguments to CBOR that decodes to the same bytes.
#include "wire_format.hpp"

#include <modrt/kernel/runtime.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace {

modrt::kernel::Runtime& runtime() {
    static std::unique_ptr<modrt::kernel::Runtime> rt = [] {
        modrt::kernel::set_log_level("off");
        auto made = std::make_unique<modrt::kernel::Runtime>(modrt::kernel::RuntimeOptions{{MODRT_FUZZ_PLUGIN_DIR}});
        modrt::detail::set_host(&made->host_api());  // the SDK's values, through this kernel
        return made;
    }();
    return *rt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    runtime();
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    modrt::remote::Request req;
    try {
        req = modrt::remote::decode_request(bytes);
    } catch (const modrt::Failure& f) {
        modrt::Error e(f.release());
        if (e.kind() != MODRT_ERR_INVALID) __builtin_trap();
        return 0;
    }
    if (req.function.empty() || !req.args.view().is_array()) __builtin_trap();
    // What the decoder accepted encodes again (depth is bounded the same way both sides) and
    // comes back the same.
    std::string once = modrt::remote::encode_result(req.args.view());
    modrt::Value back;
    if (modrt::remote::decode_reply(once, back.slot()).failed()) __builtin_trap();
    if (modrt::remote::encode_result(back.view()) != once) __builtin_trap();
    return 0;
}
