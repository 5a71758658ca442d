// test.fault.pool: pools that break their contract, against abi.h only.
//   pool.fault_throw     submit throws a C++ exception
//   pool.fault_refuse    submit returns an error that does not name the pool
//   pool.fault_blackhole submit accepts the task and never runs it; destroy
//                        finally drops what it holds (as the ABI asks), so a
//                        caller that gave up leaks nothing
//   pool.fault_drop      drops every task with no reason (NULL)
//   pool.fault_hooks     runs every task inline; its stats and destroy hooks throw
#include <modrt/abi.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace {

const modrt_host_api* g_host = nullptr;

/// Every pool instance of this plugin: only the black hole keeps anything.
struct Pool {
    std::mutex mutex;
    std::vector<modrt_task*> held;
};

modrt_error* create(void*, const modrt_value*, void** out) {
    *out = std::make_unique<Pool>().release();  // owned by the kernel until destroy
    return nullptr;
}

void destroy(void*, void* pool) {
    std::unique_ptr<Pool> owned(static_cast<Pool*>(pool));
    std::vector<modrt_task*> held;
    {
        std::lock_guard lock(owned->mutex);
        held.swap(owned->held);
    }
    static const char msg[] = "test.fault.pool: dropped at shutdown";
    for (modrt_task* t : held) t->drop(t->self, g_host->error_new(MODRT_ERR_CANCELED, modrt_str{msg, sizeof msg - 1}));
}

modrt_error* submit_throw(void*, modrt_task*) { throw std::runtime_error("no threads left"); }

modrt_error* submit_refuse(void*, modrt_task*) {
    static const char msg[] = "no capacity";
    return g_host->error_new(MODRT_ERR_UNAVAILABLE, modrt_str{msg, sizeof msg - 1});
}

modrt_error* submit_blackhole(void* pool, modrt_task* task) {
    auto* p = static_cast<Pool*>(pool);
    std::lock_guard lock(p->mutex);
    p->held.push_back(task);
    return nullptr;
}

modrt_error* submit_drop(void*, modrt_task* task) {
    task->drop(task->self, nullptr);
    return nullptr;
}

modrt_error* submit_inline(void*, modrt_task* task) {
    task->run(task->self);
    return nullptr;
}

void stats_throw(void*, modrt_pool_stats*) { throw std::runtime_error("pool lost count"); }

void destroy_throw(void* plugin, void* pool) {
    destroy(plugin, pool);
    throw std::runtime_error("pool will not go");
}

modrt_error* init(const modrt_host_api* host, const modrt_value*, void** out) {
    g_host = host;
    *out = nullptr;
    return nullptr;
}

constexpr modrt_pool_api pool_api(modrt_error* (*submit)(void*, modrt_task*)) {
    return modrt_pool_api{sizeof(modrt_pool_api), create, destroy, submit, nullptr, 0};
}
const modrt_pool_api kThrow = pool_api(submit_throw);
const modrt_pool_api kRefuse = pool_api(submit_refuse);
const modrt_pool_api kBlackhole = pool_api(submit_blackhole);
const modrt_pool_api kDrop = pool_api(submit_drop);
const modrt_pool_api kHooks{sizeof(modrt_pool_api), create, destroy_throw, submit_inline, stats_throw, 0};

const modrt_provide kProvides[] = {
    {sizeof(modrt_provide), MODRT_EXT_POOL, "pool.fault_throw", &kThrow},
    {sizeof(modrt_provide), MODRT_EXT_POOL, "pool.fault_refuse", &kRefuse},
    {sizeof(modrt_provide), MODRT_EXT_POOL, "pool.fault_blackhole", &kBlackhole},
    {sizeof(modrt_provide), MODRT_EXT_POOL, "pool.fault_drop", &kDrop},
    {sizeof(modrt_provide), MODRT_EXT_POOL, "pool.fault_hooks", &kHooks},
};
const modrt_plugin_descriptor kDescriptor = {sizeof(modrt_plugin_descriptor),
                                             MODRT_ABI_MAJOR,
                                             MODRT_ABI_MINOR,
                                             "test.fault.pool",
                                             "0.0.1",
                                             kProvides,
                                             sizeof kProvides / sizeof kProvides[0],
                                             init,
                                             nullptr};

}  // namespace

extern "C" MODRT_EXPORT const modrt_plugin_descriptor* modrt_plugin_entry(void) { return &kDescriptor; }
