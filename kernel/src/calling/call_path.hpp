// Pieces of the call path shared by synchronous calls (dispatcher.cpp) and
// asynchronous ones (async_call.cpp).
#pragma once

#include "calling/plugin_guard.hpp"
#include "providers/security/call_permissions.hpp"  // security_decide, check_call_permissions
#include "runtime/runtime_impl.hpp"

#include <string>
#include <string_view>

// noinline below: dispatch() is flattened into one body for the common call; these
// paths are rare (options, security, async children, errors) and stay out of it.

namespace modrt::kernel {

/// An owned error of `kind` with `message`.
inline modrt_error* fail(modrt_error_kind kind, std::string message) {
    return make_error(kind, std::move(message)).release();
}

/// How h_error_new begins the message of an error made with a kind no modrt_error_kind
/// has (kind UNKNOWN then); the hook wrappers spot it and name the plugin that returned it.
inline constexpr std::string_view kBadErrorKind = "plugin error of invalid kind";

/// Run the function itself on this thread (exceptions from the plugin become INTERNAL errors).
modrt_error* invoke_kind(const Entry* e, modrt_frame* frame, const modrt_value* args, modrt_value* result);

/// While held and true, a pool's hooks may run: the runtime was not closing, and its
/// destructor waits for every holder before destroying a pool. Both sides use seq_cst
/// (store the flag, then read the count; add to the count, then read the flag), so a
/// call that passed the `closing` check just before shutdown either sees it here or is
/// waited for.
class PoolUse {
public:
    explicit PoolUse(modrt_runtime* rt) noexcept : rt_(rt) {
        rt_->pool_users.fetch_add(1, std::memory_order_seq_cst);
        open_ = !rt_->closing.load(std::memory_order_seq_cst);
    }
    ~PoolUse() { rt_->pool_users.fetch_sub(1, std::memory_order_release); }
    PoolUse(const PoolUse&) = delete;
    PoolUse& operator=(const PoolUse&) = delete;
    explicit operator bool() const noexcept { return open_; }

private:
    modrt_runtime* rt_;
    bool open_;
};

/// Hand `task`, a call to `e`, to `pool` (e's own, or where its asynchronous calls run); an
/// owned error when refused (exceptions from the plugin included), and CANCELED when the
/// runtime is shutting down.
modrt_error* submit_to_pool(modrt_runtime* rt, const Entry& e, const PoolHandle& pool, modrt_task* task);

/// CANCELED for a call that did not run because the runtime is shutting down.
[[gnu::cold, gnu::noinline]] modrt_error* shutting_down_error(std::string_view id);

/// CANCELED / TIMEOUT for a call that never ran.
[[gnu::cold, gnu::noinline]] modrt_error* canceled_error(modrt_error_kind cause, std::string_view id);

/// Find `id` and check it can be called at this depth; *out gets the entry.
modrt_error* resolve_callable(modrt_runtime* rt, uint32_t depth, std::string_view id, const Entry** out);

/// Apply what a caller changes for this call; the frame owns whatever it introduces.
[[gnu::noinline]] void apply_options(modrt_frame& frame, const modrt_call_options* options);

/// Contracts, interceptors and the function itself; the caller has just checked that the
/// frame is not canceled. `on_worker`: already on the entry's pool (async), so the end of
/// the chain invokes directly instead of submitting.
modrt_error* execute(const Entry* e, modrt_frame* frame, const modrt_value* args, modrt_value* result, bool on_worker);

/// Cancel every asynchronous call started under `frame` that is still running (the caller returned).
[[gnu::noinline]] void end_children(modrt_frame& frame);

}  // namespace modrt::kernel
