// Where an asynchronous call to an entry without `pool:` runs. Such an entry runs its
// synchronous calls inline (on the caller's thread: no hand-off, and per-thread Lua states
// let parallel callers run in parallel), but `funcs.async` must run concurrently with its
// caller, as under Wippy's default pool (lazy, up to 100 workers). So those calls go to
// one runtime-wide pool.lazy instance of that size, made at the first such call: a
// registry that never calls asynchronously never opens pool.lazy. Without pool.lazy on
// the plugin path they run inline, as before, and the runtime says so once.
#pragma once

#include "runtime/runtime_impl.hpp"

namespace modrt::kernel {

/// Wippy's default pool size (DefaultMaxSize in its runtime), the default async pool's max_size.
inline constexpr int kDefaultAsyncPoolSize = 100;

/// The pool an asynchronous call to `e` is submitted to.
const PoolHandle& async_pool_of(modrt_runtime& rt, const Entry& e);

/// Whether the call on `frame` runs on a worker of `pool` (the waiter of a future still
/// queued there then runs it itself). A frame of an entry without `pool:` may run on the
/// default async pool; a wrong yes only makes the waiter run the call in its own thread.
bool may_run_on(const modrt_frame* frame, const PoolHandle* pool);

}  // namespace modrt::kernel
