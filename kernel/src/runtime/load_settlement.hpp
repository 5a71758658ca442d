// What a registry load settles once every entry is bound: the runtime-wide state that
// depends on the whole registry (strict mode and the outside caller, contract coverage).
#pragma once

#include <cstddef>

struct modrt_runtime;

namespace modrt::kernel {

/// Settle `rt` after a load that bound `added_entries` new entries (runs after every load, even one with errors).
void settle_after_load(modrt_runtime& rt, std::size_t added_entries);

}  // namespace modrt::kernel
