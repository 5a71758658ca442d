// The runtime's contract provider, as the kernel hands it out: behind a kernel-made table
// whose hooks never throw into a call (the plugin guard, calling/plugin_guard.hpp), and
// the coverage it reports for each entry after a registry load.
#pragma once

#include <modrt/abi.h>

struct modrt_runtime;

namespace modrt::kernel {

class LoadedPlugin;

/// The runtime's contract provider behind a kernel-made table: a hook that throws
/// becomes an INTERNAL error naming the plugin, and a NULL hook means "valid".
/// The call path calls it like any provider (guard_contract fills it in).
struct GuardedContract {
    modrt_contract_api api{};  // the kernel's table, handed out as modrt_runtime::contract
    const modrt_contract_api* inner = nullptr;
    void* plugin = nullptr;
    const LoadedPlugin* owner = nullptr;
};

/// The guarded table over `inner`, the contract provider of plugin `owner`.
GuardedContract guard_contract(const modrt_contract_api* inner, const LoadedPlugin& owner);

/// Make `inner` (plugin `owner`'s) the runtime's contract provider unless it has one already (the first loaded serves).
void adopt_contract_provider(modrt_runtime& rt, const modrt_contract_api* inner, const LoadedPlugin& owner);

/// After a load: which entries the contract provider covers (bindings of this load may cover earlier entries).
void mark_contract_coverage(modrt_runtime& rt);

}  // namespace modrt::kernel
