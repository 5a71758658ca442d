// Making one pool or interceptor instance (plugin_instances.hpp).
#include "binding/plugin_instances.hpp"

#include "calling/plugin_guard.hpp"

#include <utility>

namespace modrt::kernel {

modrt_error* make_interceptor(const LoadedPlugin& plugin, const ProvidedApi& api, const modrt_entry_info& info,
                              const Value& options, std::unique_ptr<InterceptorHandle>& out) {
    auto handle = std::make_unique<InterceptorHandle>();
    handle->api = &api.api.interceptor;
    handle->plugin = plugin.state();
    handle->name = api.name;
    handle->owner = &plugin;
    if (modrt_error* err = call_plugin(&plugin, "interceptor create", [&] {
            return handle->api->create(handle->plugin, &info, &options, &handle->handle);
        })) {
        handle->handle = nullptr;  // nothing to destroy
        return err;
    }
    out = std::move(handle);
    return nullptr;
}

modrt_error* make_pool(const LoadedPlugin& plugin, const ProvidedApi& api, std::string type, const Value& options,
                       std::unique_ptr<PoolHandle>& out) {
    auto handle = std::make_unique<PoolHandle>();
    handle->api = &api.api.pool;
    handle->plugin = plugin.state();
    handle->type = std::move(type);
    handle->owner = &plugin;
    handle->synchronous = (handle->api->flags & MODRT_POOL_SYNCHRONOUS) != 0;  // 0 when the plugin's table is older
    handle->caller_runs = handle->synchronous && (handle->api->flags & MODRT_POOL_CALLER_RUNS) != 0;
    if (modrt_error* err = call_plugin(&plugin, "pool create",
                                       [&] { return handle->api->create(handle->plugin, &options, &handle->handle); })) {
        handle->handle = nullptr;  // nothing to destroy
        return err;
    }
    out = std::move(handle);
    return nullptr;
}

}  // namespace modrt::kernel
