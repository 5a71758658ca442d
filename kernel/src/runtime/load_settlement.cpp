// Post-load settlement (load_settlement.hpp).
#include "runtime/load_settlement.hpp"

#include "providers/contract/contract_guard.hpp"
#include "providers/security/security_provider.hpp"
#include "runtime/logging.hpp"
#include "runtime/runtime_impl.hpp"

#include <mutex>

namespace modrt::kernel {

void settle_after_load(modrt_runtime& rt, std::size_t added_entries) {
    settle_security(rt);
    mark_contract_coverage(rt);  // bindings of this load may cover earlier entries
    if (!rt.security && added_entries != 0) {
        static std::once_flag warned;  // once per process: the message is about the setup, not each load
        std::call_once(warned, [] {
            // Info, not warn: a server's start (default level info) and `--log-level info` show it,
            // `modrt validate` prints it as a note, a plain `modrt call` stays quiet.
            logger()->info("no security plugin loaded: every call is allowed (permissive mode)");
        });
    }
}

}  // namespace modrt::kernel
