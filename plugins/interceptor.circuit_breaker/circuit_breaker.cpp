// interceptor.circuit_breaker: stop calling a target that keeps failing.
// closed -> (failure_threshold reached) -> open: calls fail fast with
// UNAVAILABLE (retryable) -> (open_timeout passed) -> half-open: up to
// half_open_max_calls trial calls; all succeed -> closed, one fails -> open.
// One instance per entry, so the state is per target and shared by every
// thread calling it (guarded by a mutex: a call takes it twice, briefly).
#include "interceptor_options.hpp"

#include <deque>
#include <mutex>

namespace {

using namespace std::chrono_literals;
using modrt::Error;
using modrt::Frame;
using modrt::ValueSlot;
using modrt::ValueView;
using std::chrono::nanoseconds;

constexpr std::string_view kKnown = "failure_threshold, window, min_calls, open_timeout, half_open_max_calls";
constexpr size_t kMaxWindowSamples = 10000;  // bounds memory under heavy load; the oldest go first

struct Settings {
    int64_t failure_count = 5;  // consecutive failures that open the circuit (count mode)
    double failure_ratio = 0;   // > 0: ratio mode, failures / calls within `window`
    nanoseconds window = 10s;
    int64_t min_calls = 10;  // ratio mode: fewer calls in the window never open it
    nanoseconds open_timeout = 30s;
    int64_t half_open_max_calls = 1;

    void read(ValueView map) {
        namespace i = modrt::icpt;
        i::for_each_option(map, "interceptor.circuit_breaker", kKnown, [&](std::string_view key, ValueView v) {
            if (key == "failure_threshold") {
                if (v.type() == MODRT_INT) {
                    failure_count = i::read_int(v, key, 1, 1000000);
                    failure_ratio = 0;
                } else {
                    failure_ratio = i::read_number(v, key, 0.0, 1.0);
                    if (failure_ratio <= 0) i::bad_option(key, "a ratio must be more than 0");
                }
            } else if (key == "window") {
                window = i::read_duration(v, key);
            } else if (key == "min_calls") {
                min_calls = i::read_int(v, key, 1, 1000000);
            } else if (key == "open_timeout") {
                open_timeout = i::read_duration(v, key);
            } else if (key == "half_open_max_calls") {
                half_open_max_calls = i::read_int(v, key, 1, 1000000);
            } else {
                return false;
            }
            return true;
        });
    }
};

/// Errors that say something about the target, not about the caller.
bool counts_as_failure(const Error& e) {
    switch (e.kind()) {
        case MODRT_ERR_INVALID:
        case MODRT_ERR_NOT_FOUND:
        case MODRT_ERR_PERMISSION_DENIED:
        case MODRT_ERR_CANCELED: return false;
        default: return true;
    }
}

enum class State { closed, open, half_open };

class CircuitBreaker : public modrt::Interceptor {
public:
    CircuitBreaker(const modrt::Host& host, const modrt::EntryInfo& entry, ValueView options)
        : host_(host), id_(entry.id()) {
        s_.read(options);
    }

    Error intercept(Frame frame, ValueView args, ValueSlot result, const modrt_next& next) override {
        uint64_t generation = 0;
        if (Error refused = admit(generation); refused.failed()) return refused;
        Error err = modrt::icpt::call_next(next, frame, args, result);
        record(generation, err.failed() && counts_as_failure(err));
        return err;
    }

private:
    int64_t now() const { return modrt::host_api().now_ns(); }

    Error admit(uint64_t& generation) {
        std::lock_guard lock(mutex_);
        if (state_ == State::open && now() - opened_at_ >= s_.open_timeout.count()) move_to(State::half_open);
        generation = generation_;
        if (state_ == State::closed) return {};
        if (state_ == State::half_open && trials_started_ < s_.half_open_max_calls) {
            ++trials_started_;
            return {};
        }
        int64_t left = std::max<int64_t>(0, s_.open_timeout.count() - (now() - opened_at_));
        std::string why = state_ == State::open ? "circuit open for '" + id_ + "'; next trial in " +
                                                      modrt::format_duration(nanoseconds(left))
                                                : "circuit half-open for '" + id_ + "'; trial calls in flight";
        return std::move(Error(MODRT_ERR_UNAVAILABLE, why + " (interceptor.circuit_breaker)").set_retryable(true));
    }

    void record(uint64_t generation, bool failed) {
        std::lock_guard lock(mutex_);
        if (generation != generation_) return;  // admitted under an earlier state: says nothing about this one
        if (state_ == State::half_open) {
            if (failed) move_to(State::open);
            else if (++trial_successes_ >= s_.half_open_max_calls) move_to(State::closed);
            return;
        }
        if (state_ != State::closed) return;
        if (s_.failure_ratio > 0 ? ratio_trips(failed) : count_trips(failed)) move_to(State::open);
    }

    bool count_trips(bool failed) {
        consecutive_failures_ = failed ? consecutive_failures_ + 1 : 0;
        return consecutive_failures_ >= s_.failure_count;
    }

    bool ratio_trips(bool failed) {
        int64_t t = now();
        samples_.push_back({t, failed});
        failures_in_window_ += failed;
        while (!samples_.empty() &&
               (samples_.size() > kMaxWindowSamples || samples_.front().at <= t - s_.window.count())) {
            failures_in_window_ -= samples_.front().failed;
            samples_.pop_front();
        }
        auto calls = static_cast<int64_t>(samples_.size());
        return calls >= s_.min_calls &&
               static_cast<double>(failures_in_window_) >= s_.failure_ratio * static_cast<double>(calls);
    }

    void move_to(State next) {
        static constexpr const char* kNames[] = {"closed", "open", "half-open"};
        host_.log(next == State::open ? MODRT_LOG_WARN : MODRT_LOG_INFO, "circuit for '" + id_ +
                                                                             "': " + kNames[static_cast<int>(state_)] +
                                                                             " -> " + kNames[static_cast<int>(next)]);
        state_ = next;
        ++generation_;
        if (next == State::open) opened_at_ = now();
        trials_started_ = 0;
        trial_successes_ = 0;
        consecutive_failures_ = 0;
        samples_.clear();
        failures_in_window_ = 0;
    }

    struct Sample {
        int64_t at;
        bool failed;
    };

    const modrt::Host& host_;
    const std::string id_;
    Settings s_;
    std::mutex mutex_;
    State state_ = State::closed;
    uint64_t generation_ = 0;  // bumped on every transition
    int64_t opened_at_ = 0;
    int64_t consecutive_failures_ = 0;
    int64_t trials_started_ = 0;
    int64_t trial_successes_ = 0;
    std::deque<Sample> samples_;
    int64_t failures_in_window_ = 0;
};

}  // namespace

MODRT_PLUGIN("interceptor.circuit_breaker", "1.0.0",
             modrt::provide_interceptor<CircuitBreaker>("interceptor.circuit_breaker"))
