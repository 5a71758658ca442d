// Which interceptors wrap an entry's calls, and in what order. The kernel's
// `runtime.interceptors` entry sets runtime-wide defaults:
//
//   - name: interceptors
//     kind: runtime.interceptors
//     defaults:                      # interceptor name -> options, applied to every callable entry
//       metrics: {}
//       retry: {max_attempts: 3, initial_delay: 100ms}
//     order: [metrics, timeout, retry, circuit_breaker]   # outermost first (this is the default)
//
// An entry's `meta.options.<name>` map merges over the default of the same name
// key by key; `meta.options.<name>: false` removes a default from that entry.
// The chain runs names listed in `order` first, in that order; any other name
// follows in the order it appears (defaults first, then the entry's keys).
// A runtime holds at most one such entry; it applies to the entries bound by
// the load that declares it and by every later load.
#pragma once

#include "loading/registry_reader.hpp"

#include <modrt/kernel/value.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace modrt::kernel {

/// The kernel's own entry kind for interceptor defaults.
inline constexpr std::string_view kInterceptorDefaultsKind = "runtime.interceptors";

/// The content of a runtime.interceptors entry.
struct InterceptorDefaults {
    Value defaults = Value::map();  // name -> options map
    std::vector<std::string> order{"metrics", "timeout", "retry", "circuit_breaker"};
};

/// Read and check a runtime.interceptors entry over `out`.
std::vector<FieldProblem> read_interceptor_defaults(const RawEntry& entry, InterceptorDefaults& out);

/// One link to build: the interceptor name ("retry"), its merged options, and the
/// registry field it comes from (for errors: "meta.options.retry", or "" for a default).
struct ChainLink {
    std::string name;
    Value options;
    std::string field;
};

/// The chain of an entry, outermost first: defaults merged with `meta.options` (may be null).
/// Problems (an option that is neither a map nor false) are reported and the link skipped.
std::vector<ChainLink> plan_chain(const InterceptorDefaults& defaults, const Value* entry_options,
                                  std::vector<FieldProblem>& problems);

}  // namespace modrt::kernel
