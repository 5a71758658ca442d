// What the kernel bounds on every call, and the registry entry that sets it:
//
//   - name: limits
//     kind: runtime.limits
//     max_depth: 64            # nested calls below a root call (default 128)
//     max_value_size: 16MiB    # arguments, and a result, of one call (default 64MiB)
//
// The kind belongs to the kernel (no plugin provides it); a registry holds at
// most one such entry, and it applies to the whole runtime.
#pragma once

#include "loading/registry_reader.hpp"

#include <modrt/kernel/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace modrt::kernel {

struct Limits {
    uint32_t max_depth = 128;
    uint64_t max_value_size = 64ull << 20;
};

/// The kernel's own entry kind.
inline constexpr std::string_view kLimitsKind = "runtime.limits";

/// Read the fields of a runtime.limits entry over `limits`; problems leave the defaults.
std::vector<FieldProblem> read_limits(const RawEntry& entry, Limits& limits);

/// The general case of value_larger_than: walks the value.
bool value_walk_larger_than(const Value& v, uint64_t limit) noexcept;

/// Whether `v` takes more than `limit` bytes, counting string and key bytes
/// plus 96 per value (what a Value occupies in memory). Stops as soon as it knows.
/// Inline: the common call (a few scalars) is decided without a call.
inline bool value_larger_than(const Value& v, uint64_t limit) noexcept {
    if (v.type == MODRT_ARRAY && v.items.size() <= 4 && limit >= 1024) {
        bool flat = true;
        for (const auto& item : v.items) flat &= item.type < MODRT_STRING;
        if (flat) return false;
    }
    return value_walk_larger_than(v, limit);
}

}  // namespace modrt::kernel
