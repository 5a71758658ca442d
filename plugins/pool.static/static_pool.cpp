// pool.static: a fixed number of workers, started with the pool; calls queue
// while all are busy, and fail at once (UNAVAILABLE, retryable) when `buffer`
// calls are already queued.
//   pool: {type: static, workers: 8, buffer: 512}     (`size` is accepted for `workers`)
#include "worker_pool.hpp"

namespace {

constexpr size_t kDefaultWorkers = 4;     // Wippy's default
constexpr size_t kBufferPerWorker = 256;  // Wippy's queue = workers x 256

modrt::pools::WorkerPoolConfig read_config(modrt::ValueView options) {
    modrt::pools::check_fields(options, {"workers", "size", "buffer"}, "pool.static");
    if (options.has("workers") && options.has("size"))
        throw modrt::Failure(modrt::Error(MODRT_ERR_INVALID, "give 'workers' or 'size', not both").set_field("size"));
    size_t workers = modrt::pools::read_count(options, options.has("size") ? "size" : "workers", kDefaultWorkers, 1);
    modrt::pools::WorkerPoolConfig c;
    c.name = "pool.static";
    c.min_workers = workers;
    c.max_workers = workers;
    c.queue_capacity = modrt::pools::read_count(options, "buffer", workers * kBufferPerWorker, 1);
    return c;
}

}  // namespace

MODRT_PLUGIN("pool.static", "0.1.0", modrt::provide_pool<modrt::pools::ConfiguredPool<read_config>>("pool.static"))
