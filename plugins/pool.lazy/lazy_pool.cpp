// pool.lazy: no workers until calls arrive; a worker is started whenever a call
// finds none free, up to `max_size`; a worker idle longer than `idle_timeout`
// exits. Calls queue beyond max_size, up to `buffer`.
//   pool: {type: lazy, max_size: 32, idle_timeout: 30s, buffer: 8192}
#include "worker_pool.hpp"

namespace {

constexpr size_t kDefaultMaxSize = 16;
constexpr size_t kBufferPerWorker = 256;
constexpr std::chrono::milliseconds kDefaultIdleTimeout{30000};  // Wippy reaps workers idle 30 s

modrt::pools::WorkerPoolConfig read_config(modrt::ValueView options) {
    modrt::pools::check_fields(options, {"max_size", "idle_timeout", "buffer"}, "pool.lazy");
    modrt::pools::WorkerPoolConfig c;
    c.name = "pool.lazy";
    c.min_workers = 0;
    c.max_workers = modrt::pools::read_count(options, "max_size", kDefaultMaxSize, 1);
    c.queue_capacity = modrt::pools::read_count(options, "buffer", c.max_workers * kBufferPerWorker, 1);
    c.idle_timeout = modrt::pools::read_duration(options, "idle_timeout", kDefaultIdleTimeout);
    return c;
}

}  // namespace

MODRT_PLUGIN("pool.lazy", "0.1.0", modrt::provide_pool<modrt::pools::ConfiguredPool<read_config>>("pool.lazy"))
