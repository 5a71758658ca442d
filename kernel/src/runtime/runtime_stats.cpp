// What the runtime reports about its pools and interceptors (Runtime::pool_stats, Runtime::interceptor_stats).
#include "calling/plugin_guard.hpp"
#include "runtime/logging.hpp"
#include "runtime/runtime_impl.hpp"

namespace modrt::kernel {

std::vector<PoolStats> Runtime::pool_stats() const {
    std::vector<PoolStats> out;
    for (const auto& e : impl_->entries) {
        if (!e->pool) continue;
        PoolStats s;
        s.id = e->raw.id;
        s.type = e->pool->type;
        s.stats.struct_size = sizeof(modrt_pool_stats);
        e->pool->read_stats(&s.stats);
        out.push_back(std::move(s));
    }
    if (const PoolHandle* shared = impl_->default_async_pool_ready.load(std::memory_order_acquire)) {
        PoolStats s;
        s.id = "(async calls to entries without a pool)";
        s.type = shared->type;
        s.stats.struct_size = sizeof(modrt_pool_stats);
        shared->read_stats(&s.stats);
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<InterceptorStats> Runtime::interceptor_stats() const {
    std::vector<InterceptorStats> out;
    for (const auto& e : impl_->entries) {
        for (const auto& icpt : e->interceptors) {
            if (icpt->api->stats == nullptr) continue;  // zero past an older plugin's struct_size
            InterceptorStats s{e->raw.id, icpt->name, Value()};
            if (std::string threw = call_plugin_void(icpt->owner, "interceptor stats",
                                                     [&] { icpt->api->stats(icpt->handle, &s.stats); });
                !threw.empty()) {
                logger()->warn("{}", threw);  // left out, like an interceptor that reports none
                continue;
            }
            if (s.stats.type == MODRT_MAP) out.push_back(std::move(s));
        }
    }
    return out;
}

}  // namespace modrt::kernel
