// interceptor.metrics: per-entry call count, error count and a latency
// histogram (p50/p99). Lock-free: a call does three relaxed atomic adds.
// The counters are reported through the interceptor's stats hook
// (`modrt call --stats`) and logged (info) when the runtime shuts the entry down.
#include "interceptor_options.hpp"

#include <array>
#include <atomic>
#include <bit>

namespace {

using modrt::Error;
using modrt::Frame;
using modrt::ValueSlot;
using modrt::ValueView;

// Bucket i holds latencies in [2^i, 2^(i+1)) ns; 2^40 ns is about 18 minutes.
constexpr size_t kBuckets = 41;

class Metrics : public modrt::Interceptor {
public:
    Metrics(const modrt::Host& host, const modrt::EntryInfo& entry, ValueView options) : host_(host), id_(entry.id()) {
        modrt::icpt::for_each_option(options, "interceptor.metrics", "no options",
                                     [](std::string_view, ValueView) { return false; });
    }

    ~Metrics() override {
        if (calls_.load() > 0) host_.log(MODRT_LOG_INFO, summary());
    }

    Error intercept(Frame frame, ValueView args, ValueSlot result, const modrt_next& next) override {
        const modrt_host_api& h = modrt::host_api();
        int64_t start = h.now_ns();
        Error err = modrt::icpt::call_next(next, frame, args, result);
        auto took = static_cast<uint64_t>(std::max<int64_t>(1, h.now_ns() - start));
        size_t bucket = std::min<size_t>(kBuckets - 1, static_cast<size_t>(std::bit_width(took) - 1));
        histogram_[bucket].fetch_add(1, std::memory_order_relaxed);
        calls_.fetch_add(1, std::memory_order_relaxed);
        if (err.failed()) errors_.fetch_add(1, std::memory_order_relaxed);
        return err;
    }

    void stats(ValueSlot out) override {
        out.set_map(4);
        out.insert("calls").set_int(static_cast<int64_t>(calls_.load(std::memory_order_relaxed)));
        out.insert("errors").set_int(static_cast<int64_t>(errors_.load(std::memory_order_relaxed)));
        out.insert("p50_us").set_number(quantile_us(0.5));
        out.insert("p99_us").set_number(quantile_us(0.99));
    }

private:
    // Upper bound of the bucket holding quantile q, in microseconds.
    double quantile_us(double q) const {
        uint64_t total = 0;
        for (const auto& b : histogram_) total += b.load(std::memory_order_relaxed);
        auto rank = static_cast<uint64_t>(q * static_cast<double>(total));
        uint64_t seen = 0;
        for (size_t i = 0; i < kBuckets; ++i) {
            seen += histogram_[i].load(std::memory_order_relaxed);
            if (seen > rank) return static_cast<double>(uint64_t{1} << (i + 1)) / 1000.0;
        }
        return 0;
    }

    std::string summary() const {
        return "metrics " + id_ + ": calls=" + std::to_string(calls_.load()) +
               " errors=" + std::to_string(errors_.load()) + " p50<=" + std::to_string(quantile_us(0.5)) +
               "us p99<=" + std::to_string(quantile_us(0.99)) + "us";
    }

    const modrt::Host& host_;
    std::string id_;
    std::atomic<uint64_t> calls_{0};
    std::atomic<uint64_t> errors_{0};
    std::array<std::atomic<uint64_t>, kBuckets> histogram_{};
};

}  // namespace

MODRT_PLUGIN("interceptor.metrics", "1.0.0", modrt::provide_interceptor<Metrics>("interceptor.metrics"))
