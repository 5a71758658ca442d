// The runtime's state behind the opaque modrt_runtime: entries, plugins, providers.
#pragma once

#include "calling/frame.hpp"
#include "calling/interceptor_defaults.hpp"
#include "loading/entry_index.hpp"
#include "loading/plugin_catalog.hpp"
#include "loading/registry_reader.hpp"
#include "providers/contract/contract_guard.hpp"
#include "providers/security/security_settings.hpp"
#include "runtime/caller_run_counts.hpp"
#include "runtime/runtime_limits.hpp"
#include "triggers/trigger_handle.hpp"

#include <modrt/kernel/error.hpp>
#include <modrt/kernel/runtime.hpp>

#include <boost/dll/shared_library.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace modrt::kernel {

class CallTask;

/// A pool instance made by a pool plugin for one entry.
struct PoolHandle {
    const modrt_pool_api* api = nullptr;
    void* plugin = nullptr;
    void* handle = nullptr;
    std::string type;  // "inline", "static", ...
    const LoadedPlugin* owner = nullptr;
    bool synchronous = false;  // MODRT_POOL_SYNCHRONOUS: tasks finish inside submit
    bool caller_runs = false;  // MODRT_POOL_CALLER_RUNS too: the kernel runs tasks itself, no submit
    // The calls the kernel ran for a caller_runs pool (the pool never sees them).
    mutable CallerRunCounts caller_runs_counts;
    /// The pool's counters (zeros where it reports none) plus the calls run for it, keeping out->struct_size.
    void read_stats(modrt_pool_stats* out) const;
    /// Destroy the pool instance (it drops queued calls and joins its workers); the handle
    /// itself stays readable, so a worker still finishing a call may look at its entry's pool.
    void shut_down();
    ~PoolHandle() { shut_down(); }
};

class PerCallChains;

/// An interceptor instance made for one entry.
struct InterceptorHandle {
    const modrt_interceptor_api* api = nullptr;
    void* plugin = nullptr;
    void* handle = nullptr;
    std::string name;  // "interceptor.retry"
    const LoadedPlugin* owner = nullptr;
    ~InterceptorHandle();
};

/// A registry entry bound to the plugin of its kind.
struct Entry {
    RawEntry raw;
    modrt_entry_info info{};
    const modrt_kind_api* kind = nullptr;
    void* kind_plugin = nullptr;
    const LoadedPlugin* kind_owner = nullptr;
    void* handle = nullptr;  // from entry_create
    std::unique_ptr<PoolHandle> pool;
    bool pool_defaulted = false;  // no `pool:`: asynchronous calls go to the default async pool
    std::vector<std::unique_ptr<InterceptorHandle>> interceptors;
    std::vector<const InterceptorHandle*> chain;         // `interceptors` as the call path walks them
    std::unique_ptr<PerCallChains> per_call_chains;       // chains calls' options extend (per_call_chain.hpp)
    std::unique_ptr<TriggerHandle> trigger;  // set when the kind is a trigger (then kind is null)

    std::string load_error;  // why binding failed ("" when it did not); such an entry is never run
    bool skipped = false;    // its kind is served by no plugin (binding/unknown_kinds.hpp): never run
    // The contract provider validates this entry's calls (set after each registry load).
    std::atomic<bool> contract_checked{false};

    bool callable() const { return kind != nullptr && kind->invoke != nullptr; }
    Entry();  // out of line: PerCallChains is complete only in runtime_state.cpp
    ~Entry();
};

}  // namespace modrt::kernel

struct modrt_runtime {
    explicit modrt_runtime(modrt::kernel::RuntimeOptions o);
    ~modrt_runtime();

    modrt::kernel::RuntimeOptions options;
    modrt::kernel::PluginCatalog catalog;
    modrt_host_api host{};                                       // template copied into each loaded plugin
    std::vector<std::unique_ptr<modrt::kernel::Entry>> entries;  // declaration order
    modrt::kernel::EntryIndex index;                             // the call path's lookup into `entries`

    // At most one of each, from the loaded plugins; null when none.
    const modrt_security_api* security = nullptr;
    void* security_plugin = nullptr;
    const modrt::kernel::LoadedPlugin* security_owner = nullptr;
    bool security_strict = true;                           // UNDEFINED denies; from runtime.security, else the provider
    modrt::kernel::SecuritySettings security_settings;     // from a runtime.security entry
    const modrt::kernel::Entry* security_entry = nullptr;  // that entry, when loaded
    // The parent of calls from outside (Runtime::call) when runtime.security names an
    // actor or scope; null otherwise. Never canceled, never carries a deadline.
    std::unique_ptr<modrt_frame> outside;
    const modrt_contract_api* contract = nullptr;  // &contract_guard.api once a provider is loaded
    void* contract_plugin = nullptr;               // &contract_guard
    modrt::kernel::GuardedContract contract_guard;

    // From the runtime's runtime.interceptors entry, else the defaults; the per-call chains'
    // order too. Set by registry loads only.
    modrt::kernel::InterceptorDefaults interceptor_defaults;
    // Held by a registry load and by a call building a per-call chain (per_call_chain.hpp):
    // both may open plugins. Recursive: a plugin's load hook may itself call a function.
    std::recursive_mutex catalog_mutex;
    // Where asynchronous calls to entries without `pool:` run (calling/default_async_pool.hpp):
    // made under catalog_mutex at the first such call, then read without a lock.
    std::unique_ptr<modrt::kernel::PoolHandle> default_async_pool;
    std::atomic<const modrt::kernel::PoolHandle*> default_async_pool_ready{nullptr};
    bool default_async_pool_tried = false;  // under catalog_mutex
    modrt::kernel::Limits limits;                        // from a runtime.limits entry, else the defaults
    const modrt::kernel::Entry* limits_entry = nullptr;  // that entry, when loaded
    // Set when the runtime starts to shut down: new calls are refused while pools
    // drain, so a call still running cannot reach a pool already destroyed.
    std::atomic<bool> closing{false};
    // Callers parked waiting on a queued call (CallTask): woken at shutdown so that a call
    // queued in any pool returns CANCELED at once, not after other pools have drained.
    std::mutex parked_mutex;
    std::vector<modrt::kernel::CallTask*> parked;
    // Callers inside CallTask::run_on_pool (possibly other threads than the one shutting
    // down): the runtime is not freed under them.
    std::atomic<int> waiting_callers{0};
    // Threads inside a pool's submit or stats hook (PoolUse). The destructor destroys pools
    // only once none is, and `closing` turns later ones away: no hook runs on a destroyed pool.
    std::atomic<int> pool_users{0};

    // Shared libraries opened for function.native (host->library_symbol).
    std::mutex libraries_mutex;
    std::unordered_map<std::string, std::shared_ptr<boost::dll::shared_library>> libraries;

    const modrt::kernel::Entry* find(std::string_view id) const { return index.find(id); }
};

namespace modrt::kernel {

/// Stop every running trigger of `rt` at once and wait for all (each within its stop_timeout).
void stop_all_triggers(modrt_runtime& rt);

/// The host API table every plugin of `rt` receives.
modrt_host_api make_host_api(modrt_runtime* rt);

/// The call path: resolve, frame, security, interceptors, pool, kind. Returns owned error or null.
modrt_error* dispatch(modrt_runtime* rt, const modrt_frame* parent, std::string_view id, const modrt_value* args,
                      const modrt_call_options* options, modrt_value* result);
/// The same call to an entry resolved before (Runtime::find): no lookup by id.
modrt_error* dispatch_entry(modrt_runtime* rt, const modrt_frame* parent, const Entry* e, const modrt_value* args,
                            modrt_value* result);

}  // namespace modrt::kernel
