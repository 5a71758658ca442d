// The pool of asynchronous calls to entries without `pool:` (default_async_pool.hpp).
#include "calling/default_async_pool.hpp"

#include "binding/plugin_instances.hpp"
#include "runtime/logging.hpp"

namespace modrt::kernel {

namespace {

constexpr const char* kPoolType = "lazy";

// Open pool.lazy and make the instance, or say why not ("" on success).
std::string make_default_pool(modrt_runtime& rt, std::unique_ptr<PoolHandle>& out) {
    const std::string provided = std::string("pool.") + kPoolType;
    const PluginRecord* record = rt.catalog.provider_of(provided);
    if (record == nullptr) return "no plugin on the plugin path provides '" + provided + "'";
    const LoadedPlugin* plugin = nullptr;
    try {
        plugin = &rt.catalog.load(*record, rt.host);
    } catch (const std::exception& ex) {
        return ex.what();
    }
    const ProvidedApi* api = plugin->find(provided);
    if (api == nullptr || api->type != MODRT_EXT_POOL) return "'" + provided + "' is not a pool";
    Value options = Value::map();
    options.insert("max_size") = Value::integer(kDefaultAsyncPoolSize);
    if (modrt_error* refused = make_pool(*plugin, *api, kPoolType, options, out)) {
        ErrorPtr owned(refused);
        return owned->message;
    }
    return "";
}

}  // namespace

const PoolHandle& async_pool_of(modrt_runtime& rt, const Entry& e) {
    if (!e.pool_defaulted) return *e.pool;
    if (const PoolHandle* ready = rt.default_async_pool_ready.load(std::memory_order_acquire)) return *ready;
    std::lock_guard lock(rt.catalog_mutex);
    if (!rt.default_async_pool_tried) {
        rt.default_async_pool_tried = true;
        if (std::string why = make_default_pool(rt, rt.default_async_pool); !why.empty())
            logger()->warn("asynchronous calls to entries without a pool run inline, in the caller: {}", why);
        else
            rt.default_async_pool_ready.store(rt.default_async_pool.get(), std::memory_order_release);
    }
    return rt.default_async_pool ? *rt.default_async_pool : *e.pool;
}

bool may_run_on(const modrt_frame* frame, const PoolHandle* pool) {
    for (const modrt_frame* w = frame; w != nullptr; w = w->parent) {
        if (w->entry == nullptr) continue;
        if (w->entry->pool.get() == pool) return true;
        if (w->entry->pool_defaulted && pool == w->runtime->default_async_pool_ready.load(std::memory_order_acquire))
            return true;
    }
    return false;
}

}  // namespace modrt::kernel
