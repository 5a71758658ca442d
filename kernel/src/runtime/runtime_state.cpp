// The runtime's state (runtime_impl.hpp): what it owns, and the order it lets go of it.
#include "calling/call_task.hpp"
#include "calling/per_call_chain.hpp"
#include "calling/plugin_guard.hpp"
#include "runtime/logging.hpp"
#include "runtime/runtime_impl.hpp"

#include <string>
#include <thread>
#include <utility>

namespace modrt::kernel {

namespace {

// A destroy hook that throws leaks what it failed to free; the runtime goes on letting go.
template <class F>
void destroy_guarded(const LoadedPlugin* owner, std::string_view hook, F&& destroy) noexcept {
    try {
        if (std::string threw = call_plugin_void(owner, hook, std::forward<F>(destroy)); !threw.empty())
            logger()->error("{}", threw);
    } catch (...) {  // not even the message fits in memory: nothing more to say
    }
}

}  // namespace

void PoolHandle::read_stats(modrt_pool_stats* out) const {
    size_t size = out->struct_size;
    *out = modrt_pool_stats{};
    out->struct_size = size;
    if (api->stats)
        if (std::string threw = call_plugin_void(owner, "pool stats", [&] { api->stats(handle, out); });
            !threw.empty()) {
            logger()->warn("{}", threw);  // reported as zeros: the pool's own counters are unknown
            *out = modrt_pool_stats{};
            out->struct_size = size;
        }
    CallerRunCounts::Totals ran = caller_runs_counts.read();
    out->busy += ran.started > ran.completed ? ran.started - ran.completed : 0;
    out->completed += ran.completed;
}

void PoolHandle::shut_down() {
    if (handle) destroy_guarded(owner, "pool destroy", [&] { api->destroy(plugin, std::exchange(handle, nullptr)); });
}

InterceptorHandle::~InterceptorHandle() {
    if (handle) destroy_guarded(owner, "interceptor destroy", [&] { api->destroy(plugin, handle); });
}

Entry::Entry() = default;

Entry::~Entry() {
    trigger.reset();
    per_call_chains.reset();
    chain.clear();
    interceptors.clear();
    pool.reset();
    if (handle && kind && kind->entry_destroy)
        destroy_guarded(kind_owner, "entry_destroy", [&] { kind->entry_destroy(kind_plugin, handle); });
}

}  // namespace modrt::kernel

using namespace modrt::kernel;

modrt_runtime::modrt_runtime(RuntimeOptions o)
    : options(std::move(o)), catalog(options.plugin_path, options.allow_unsafe_plugin_path) {
    host = make_host_api(this);
}

modrt_runtime::~modrt_runtime() {
    // Triggers first, while calls still run (they drain within their stop_timeout). Then refuse
    // new calls, let hooks already inside a pool return (PoolUse), then pools (they drop queued
    // calls and join their workers), then entries, then the plugins that made them.
    stop_all_triggers(*this);
    closing.store(true, std::memory_order_seq_cst);
    CallTask::wake_parked(this);
    while (pool_users.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
    if (default_async_pool) default_async_pool->shut_down();
    for (auto& e : entries)
        if (e->pool) e->pool->shut_down();  // in place: workers of other pools may still read e->pool
    while (waiting_callers.load(std::memory_order_acquire) != 0) std::this_thread::yield();
    entries.clear();
    catalog.unload_all();
}
