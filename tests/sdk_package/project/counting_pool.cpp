// pool.counting: a third-party pool type. Each call runs on a fresh thread
// (joined before submit returns), and after `max_calls` calls the pool refuses
// further ones with UNAVAILABLE, so its work is visible from `modrt call`.
//
//   pool: {type: counting, max_calls: 2}
#include <modrt/sdk.hpp>

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace {

class CountingPool final : public modrt::Pool {
public:
    CountingPool(const modrt::Host& host, modrt::ValueView options) : host_(host) {
        for (size_t i = 0; i < options.size(); ++i) {
            std::string_view key = options.key(i);
            modrt::ValueView v = options[i];
            if (key == "max_calls") {
                if (v.type() != MODRT_INT || v.as_int() < 0)
                    throw modrt::Failure(modrt::Error(MODRT_ERR_INVALID, "max_calls must be a whole number >= 0")
                                             .set_field("max_calls"));
                max_calls_ = v.as_int();
            } else {
                throw modrt::Failure(
                    modrt::Error(MODRT_ERR_INVALID, "pool.counting has no option '" + std::string(key) + "'")
                        .set_field(key));
            }
        }
    }

    modrt::Error submit(modrt_task* task) override {
        int64_t n = started_.fetch_add(1) + 1;
        if (max_calls_ >= 0 && n > max_calls_) {
            rejected_.fetch_add(1);
            return modrt::Error(MODRT_ERR_UNAVAILABLE, "pool.counting: max_calls (" + std::to_string(max_calls_) +
                                                           ") reached, call " + std::to_string(n) + " refused");
        }
        if (host_.api().frame_canceled(task->frame) != 0) {
            rejected_.fetch_add(1);
            task->drop(task->self, nullptr);
            return {};
        }
        std::thread worker([task] { task->run(task->self); });
        worker.join();
        completed_.fetch_add(1);
        return {};
    }

    void stats(modrt_pool_stats& out) override {
        out.completed = completed_.load();
        out.rejected = rejected_.load();
    }

private:
    const modrt::Host& host_;
    int64_t max_calls_ = -1;  // -1: no limit
    std::atomic<int64_t> started_{0};
    std::atomic<uint64_t> completed_{0};
    std::atomic<uint64_t> rejected_{0};
};

}  // namespace

MODRT_PLUGIN("acme.pools", "1.0.0", modrt::provide_pool<CountingPool>("pool.counting"))
