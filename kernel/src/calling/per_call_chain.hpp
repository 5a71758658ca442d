// Interceptors a call asks for that its entry did not configure. A caller passing
// `{retry = {max_attempts = 5}}` through with_options or contract.open gets retries
// on an entry whose chain has no retry: a map-valued per-call option `<name>` asks for
// interceptor.<name>; scalar options (timeout, priority, network, ...) ask for nothing.
// The entry's `meta.options.<name>: false` refuses it (its owner said never, e.g. for a
// call that must not repeat). Each added link is made with the call's options for it
// (some interceptors cannot be made without theirs), so a chain is kept per set of
// names and options: up to kMaxPerCallChains per entry, in the runtime's interceptor
// order, for the entry's life; past that, a call builds one for itself alone.
#pragma once

#include "runtime/runtime_impl.hpp"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace modrt::kernel {

/// How many option sets an entry keeps a chain for (callers rarely use more than a few).
inline constexpr size_t kMaxPerCallChains = 16;

/// The links of the chain one call runs, outermost first.
struct ChainLinks {
    const InterceptorHandle* const* data = nullptr;
    size_t size = 0;
};

/// The entry's own chain.
inline ChainLinks own_chain(const Entry& e) { return {e.chain.data(), e.chain.size()}; }

/// A chain extended by per-call options.
struct PerCallChain {
    std::string key;                                        // the added names and their options
    std::vector<std::unique_ptr<InterceptorHandle>> owned;  // the links made for it
    std::vector<const InterceptorHandle*> links;            // the whole chain, outermost first
};

/// The chains of one entry built for calls' options (Entry::per_call_chains).
class PerCallChains {
public:
    PerCallChains() = default;
    PerCallChains(const PerCallChains&) = delete;
    PerCallChains& operator=(const PerCallChains&) = delete;

    /// The kept chain for `key`, or null.
    const PerCallChain* find(const std::string& key);
    /// Keep `chain` unless one for its key arrived meanwhile or the entry keeps enough;
    /// returns the chain to run (kept or `chain` itself, left in `chain` for the caller to own).
    const PerCallChain* keep(std::unique_ptr<PerCallChain>& chain);

private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<PerCallChain>> chains_;  // stable addresses: calls hold views while running
};

/// The chain the call on `frame` runs: the entry's own, or one extended by the interceptors
/// its per-call options name (`one_off` owns it when the entry keeps no more). Returns an
/// owned error (INVALID, not retryable) when an option names no interceptor, or the
/// interceptor refuses its options.
modrt_error* chain_for_call(const Entry& e, const modrt_frame& frame, ChainLinks& out,
                            std::unique_ptr<PerCallChain>& one_off);

}  // namespace modrt::kernel
