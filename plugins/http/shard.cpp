// One I/O thread's share of an http.service (shard.hpp).
#include "shard.hpp"

namespace modrt::http {

Shard::Shard(unsigned index, unsigned count)
    : index_(index), count_(count), work_(boost::asio::make_work_guard(ioc_)) {}

bool Shard::starved_since_last_look() noexcept {
    uint64_t returned = returned_.load(std::memory_order_relaxed);
    bool all_in_calls = all_threads_in_calls();
    // Starved now and at the previous look with no call returned between: a whole period.
    bool starved = all_in_calls && seen_starved_ && returned == seen_returned_;
    seen_starved_ = all_in_calls;
    seen_returned_ = returned;
    return starved;
}

}  // namespace modrt::http
