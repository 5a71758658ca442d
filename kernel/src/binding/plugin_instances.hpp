// Making one instance of a plugin's pool or interceptor: what the binder does for an
// entry, and what a call does for a chain its options extend (calling/per_call_chain.hpp)
// or for the pool of asynchronous calls to entries without one (calling/default_async_pool.hpp).
#pragma once

#include "runtime/runtime_impl.hpp"

#include <memory>
#include <string>

namespace modrt::kernel {

/// An instance of interceptor `api`, provided by `plugin`, for the entry `info` with
/// `options`. Returns the plugin's owned error when it refuses (then `out` stays empty).
modrt_error* make_interceptor(const LoadedPlugin& plugin, const ProvidedApi& api, const modrt_entry_info& info,
                              const Value& options, std::unique_ptr<InterceptorHandle>& out);

/// An instance of pool `api` ("pool.<type>"), provided by `plugin`, with `options`.
/// Returns the plugin's owned error when it refuses (then `out` stays empty).
modrt_error* make_pool(const LoadedPlugin& plugin, const ProvidedApi& api, std::string type, const Value& options,
                       std::unique_ptr<PoolHandle>& out);

}  // namespace modrt::kernel
