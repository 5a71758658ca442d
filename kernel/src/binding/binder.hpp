// Binding: after a registry load has read its entries, each is tied to what serves it:
// its kind (the plugin providing the entry's `kind`), its pool (providers/pool_types.hpp)
// and its interceptor chain (calling/interceptor_defaults.hpp). Loading a plugin to bind
// an entry also adopts the runtime-wide providers it offers (security, contract).
// The kernel's own kinds (runtime.limits, runtime.security, runtime.interceptors,
// plugin.config) are read here too. Nothing here throws: every problem becomes a
// RegistryError on the entry it concerns, and such an entry is never run.
#pragma once

#include <modrt/kernel/runtime.hpp>

#include <vector>

struct modrt_runtime;

namespace modrt::kernel {

struct Entry;

/// Bind the entries one load added to `rt` (in declaration order), collecting every problem in `errors`.
void bind_entries(modrt_runtime& rt, const std::vector<Entry*>& added, std::vector<RegistryError>& errors);

}  // namespace modrt::kernel
