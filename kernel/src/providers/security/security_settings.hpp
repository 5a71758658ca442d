// How the runtime applies its security provider, and the registry entry that sets it:
//
//   - name: security
//     kind: runtime.security
//     strict: true                  # an UNDEFINED decision denies (default: the provider's say, else true)
//     actor: {id: "user:ops", meta: {role: admin}}   # who calls from outside (CLI, embedders)
//     scope: app.security:ops       # the scope of those calls (a group id or "[ns:p1,ns:p2]")
//
// The kind belongs to the kernel; a registry holds at most one. Without a
// security provider loaded the runtime is permissive and this entry only
// names the outside caller.
#pragma once

#include "loading/registry_reader.hpp"

#include <modrt/kernel/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace modrt::kernel {

inline constexpr std::string_view kSecurityKind = "runtime.security";

/// The content of a runtime.security entry.
struct SecuritySettings {
    std::optional<bool> strict;  // unset: ask the provider
    std::string actor_id;        // empty: outside calls are anonymous
    Value actor_meta = Value::map();
    std::string scope;  // empty: no scope
};

/// Read and check a runtime.security entry over `out`.
std::vector<FieldProblem> read_security_settings(const RawEntry& entry, SecuritySettings& out);

}  // namespace modrt::kernel
