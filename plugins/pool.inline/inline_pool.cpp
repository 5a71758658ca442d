// pool.inline: runs each call on the caller's thread. No queue, no threads,
// no allocation: the cheapest pool, and the default when an entry names none.
#include <modrt/sdk.hpp>

#include <atomic>

namespace {

class InlinePool final : public modrt::Pool {
public:
    // CALLER_RUNS: submit only runs the task, so the kernel skips it on synchronous calls and
    // counts them itself; submit still serves asynchronous calls and older kernels.
    static constexpr uint32_t kPoolFlags = MODRT_POOL_SYNCHRONOUS | MODRT_POOL_CALLER_RUNS;

    InlinePool(const modrt::Host&, modrt::ValueView options) {
        if (options.size() > 0)
            throw modrt::Failure(modrt::Error(MODRT_ERR_INVALID, "the inline pool takes no options, got '" +
                                                                     std::string(options.key(0)) + "'")
                                     .set_field(options.key(0)));
    }

    modrt::Error submit(modrt_task* task) override {
        started_.fetch_add(1, std::memory_order_relaxed);
        task->run(task->self);
        completed_.fetch_add(1, std::memory_order_relaxed);
        return {};
    }

    void stats(modrt_pool_stats& out) override {
        uint64_t completed = completed_.load(std::memory_order_relaxed);
        uint64_t started = started_.load(std::memory_order_relaxed);
        out.workers = 0;
        out.busy = started > completed ? started - completed : 0;
        out.completed = completed;
    }

private:
    // Two counters rather than a busy gauge: one atomic add each side of the call.
    std::atomic<uint64_t> started_{0};
    std::atomic<uint64_t> completed_{0};
};

}  // namespace

MODRT_PLUGIN("pool.inline", "0.1.0", modrt::provide_pool<InlinePool>("pool.inline"))
