// interceptor.retry: call the rest of the chain again while it fails with a
// retryable error, waiting an exponential backoff between attempts.
#include "interceptor_options.hpp"

#include <modrt/error_kinds.hpp>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <random>

namespace {

using namespace std::chrono_literals;
using modrt::Error;
using modrt::Frame;
using modrt::ValueSlot;
using modrt::ValueView;
using std::chrono::nanoseconds;

constexpr std::string_view kName = "retry";
constexpr std::string_view kKnown =
    "max_attempts, initial_delay, backoff_factor, max_delay, jitter, retry_kinds, skip_kinds";

// A set of error kinds, one bit per modrt_error_kind.
using KindSet = uint32_t;
constexpr KindSet bit(modrt_error_kind kind) { return KindSet{1} << static_cast<unsigned>(kind); }

// A list of kind names in either spelling ("Unavailable" or "UNAVAILABLE", as Lua's errors constants).
KindSet read_kinds(ValueView v, std::string_view field) {
    if (!v.is_array()) modrt::icpt::bad_option(field, "expected a list of error kinds, e.g. [Unavailable, Timeout]");
    KindSet set = 0;
    for (size_t i = 0; i < v.size(); ++i) {
        std::optional<modrt_error_kind> kind = v[i].is_string() ? modrt::parse_error_kind(v[i].as_string()) : std::nullopt;
        if (!kind) modrt::icpt::bad_option(field, "unknown error kind at position " + std::to_string(i + 1));
        set |= bit(*kind);
    }
    return set;
}

struct Settings {
    int64_t max_attempts = 3;  // including the first; 1 disables retrying
    nanoseconds initial_delay = 100ms;
    double backoff_factor = 2.0;
    nanoseconds max_delay = 0ns;  // 0: no cap
    bool full_jitter = false;     // jitter: true: wait a uniform random time in [0, delay]
    double jitter_fraction = 0;   // jitter: 0.1 (Wippy's form): wait delay * (1 + 0.1 * u), u uniform in [-1, 1]
    KindSet retry_kinds = 0;      // retry only these kinds (0: the error's retryable flag decides)
    KindSet skip_kinds = 0;       // never retry these kinds

    void read(ValueView map) {
        namespace i = modrt::icpt;
        i::for_each_option(map, "interceptor.retry", kKnown, [&](std::string_view key, ValueView v) {
            if (key == "max_attempts") max_attempts = i::read_int(v, key, 1, 1000);
            else if (key == "initial_delay") initial_delay = i::read_duration(v, key);
            else if (key == "backoff_factor") backoff_factor = i::read_number(v, key, 1.0, 100.0);
            else if (key == "max_delay") max_delay = i::read_duration(v, key);
            else if (key == "jitter") read_jitter(v, key);
            else if (key == "retry_kinds") retry_kinds = read_kinds(v, key);
            else if (key == "skip_kinds") skip_kinds = read_kinds(v, key);
            else return false;
            return true;
        });
    }

    void read_jitter(ValueView v, std::string_view key) {
        if (v.type() == MODRT_BOOL) {
            full_jitter = v.as_bool();
            jitter_fraction = 0;
        } else {
            jitter_fraction = modrt::icpt::read_number(v, key, 0.0, 1.0);
            full_jitter = false;
        }
    }

    bool retries(const Error& err) const {
        KindSet kind = bit(err.kind());
        if (skip_kinds & kind) return false;
        return retry_kinds != 0 ? (retry_kinds & kind) != 0 : err.retryable();
    }
};

/// Woken by the frame's cancellation while waiting out a backoff.
struct Sleeper {
    std::mutex mutex;
    std::condition_variable cv;
    bool woken = false;
    static void wake(void* self, modrt_error_kind) {
        auto* s = static_cast<Sleeper*>(self);
        std::lock_guard lock(s->mutex);
        s->woken = true;
        s->cv.notify_all();
    }
};

std::string attempts_text(int64_t n) { return std::to_string(n) + (n == 1 ? " attempt" : " attempts"); }

class Retry : public modrt::Interceptor {
public:
    Retry(const modrt::Host& host, const modrt::EntryInfo&, ValueView options) : host_(host) {
        settings_.read(options);
    }

    Error intercept(Frame frame, ValueView args, ValueSlot result, const modrt_next& next) override {
        Settings s = settings_;
        modrt::icpt::apply_per_call(frame, kName, [&](ValueView opts) { s.read(opts); });
        nanoseconds delay = s.initial_delay;
        for (int64_t attempt = 1;; ++attempt) {
            Error err = modrt::icpt::call_next(next, frame, args, result);
            if (!err.failed()) return err;
            if (!s.retries(err)) {
                if (attempt > 1) err.wrap("retry: non-retryable error on attempt " + std::to_string(attempt));
                return err;
            }
            if (attempt >= s.max_attempts) {
                if (s.max_attempts > 1) err.wrap("retry: gave up after " + attempts_text(attempt));
                return err;
            }
            if (Error stop = wait(frame, jittered(delay, s), attempt, err); stop.failed()) return stop;
            result.set_nil();  // a failed attempt may have written part of a result
            delay = next_delay(delay, s);
        }
    }

private:
    static nanoseconds next_delay(nanoseconds delay, const Settings& s) {
        double grown = static_cast<double>(delay.count()) * s.backoff_factor;
        double cap = static_cast<double>((s.max_delay > 0ns ? s.max_delay : modrt::kMaxDuration).count());
        return nanoseconds(static_cast<int64_t>(std::min(grown, cap)));
    }

    nanoseconds jittered(nanoseconds delay, const Settings& s) {
        if (!s.full_jitter && s.jitter_fraction == 0) return delay;
        std::lock_guard lock(rng_mutex_);
        if (s.full_jitter) return nanoseconds(std::uniform_int_distribution<int64_t>(0, delay.count())(rng_));
        double u = std::uniform_real_distribution<double>(-1.0, 1.0)(rng_);
        return nanoseconds(static_cast<int64_t>(static_cast<double>(delay.count()) * (1.0 + s.jitter_fraction * u)));
    }

    // Sleep out the backoff unless the caller is canceled first; a deadline that would pass
    // before the next attempt could start ends the call now rather than after a useless wait.
    Error wait(Frame frame, nanoseconds delay, int64_t attempts, const Error& last) const {
        const modrt_host_api& h = modrt::host_api();
        int64_t deadline = frame.deadline_ns();
        if (deadline != 0 && h.now_ns() + delay.count() >= deadline)
            return Error(MODRT_ERR_TIMEOUT, "retry: the call's deadline leaves no time for another attempt after " +
                                                attempts_text(attempts) +
                                                "; last error: " + std::string(last.message()));
        Sleeper sleeper;
        modrt_cancel_reg* reg = h.frame_on_cancel(frame.raw(), &Sleeper::wake, &sleeper);
        {
            std::unique_lock lock(sleeper.mutex);
            sleeper.cv.wait_for(lock, delay, [&] { return sleeper.woken; });
        }
        h.frame_off_cancel(reg);
        if (modrt_error_kind cause = frame.canceled(); cause != 0)
            return Error(cause, std::string(cause == MODRT_ERR_TIMEOUT ? "deadline exceeded" : "canceled") +
                                    " while waiting to retry after " + attempts_text(attempts) +
                                    "; last error: " + std::string(last.message()));
        if (host_.api().log_enabled(MODRT_LOG_DEBUG))
            host_.log(MODRT_LOG_DEBUG, "retrying " + std::string(frame.target()) + " after " + attempts_text(attempts) +
                                           ": " + std::string(last.message()));
        return {};
    }

    const modrt::Host& host_;
    Settings settings_;
    std::mutex rng_mutex_;
    std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace

MODRT_PLUGIN("interceptor.retry", "1.0.0", modrt::provide_interceptor<Retry>("interceptor.retry"))
