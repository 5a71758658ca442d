// One binding's description (abi.h modrt_contract_api.describe_binding, host verb
// contract_describe_binding) from any contract provider: its own hook when its table has
// one, else derived from its describe (a provider built before minor 5), so contract.open
// works the same with old and new providers.
#pragma once

#include <modrt/abi.h>

namespace modrt::kernel {

/// Describe `binding` (a binding id, or a contract id for its default binding) with provider
/// `c` (the catalog's copy: zero past the plugin's struct_size) and its state `plugin`.
/// Returns an owned error or NULL; may throw (the caller runs it inside the plugin guard).
modrt_error* describe_binding_of(const modrt_contract_api& c, void* plugin, modrt_str binding, modrt_value* out);

}  // namespace modrt::kernel
