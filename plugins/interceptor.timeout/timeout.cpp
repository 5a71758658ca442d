// interceptor.timeout: bound the rest of the chain in time. The call beneath
// runs in a child frame whose deadline is the timeout, so expiry cancels it
// (pools drop it, Lua stops at its next hook check) and the caller gets TIMEOUT.
#include "interceptor_options.hpp"

namespace {

using modrt::Error;
using modrt::Frame;
using modrt::ValueSlot;
using modrt::ValueView;
using std::chrono::nanoseconds;

constexpr std::string_view kName = "timeout";

nanoseconds read_timeout(ValueView map, nanoseconds current) {
    modrt::icpt::for_each_option(map, "interceptor.timeout", "timeout", [&](std::string_view key, ValueView v) {
        if (key != "timeout") return false;
        current = modrt::icpt::read_duration(v, key);
        if (current.count() <= 0) modrt::icpt::bad_option(key, "must be more than 0");
        return true;
    });
    return current;
}

class Timeout : public modrt::Interceptor {
public:
    Timeout(const modrt::Host&, const modrt::EntryInfo&, ValueView options) {
        timeout_ = read_timeout(options, nanoseconds(0));
        if (timeout_.count() == 0)
            modrt::icpt::bad_option("timeout", "interceptor.timeout needs a timeout, e.g. {timeout: 2s}");
    }

    Error intercept(Frame frame, ValueView args, ValueSlot result, const modrt_next& next) override {
        nanoseconds timeout = timeout_;
        modrt::icpt::apply_per_call(frame, kName, [&](ValueView opts) { timeout = read_timeout(opts, timeout); });
        const modrt_host_api& h = modrt::host_api();
        modrt_call_options options{};
        options.struct_size = sizeof(options);
        options.timeout_ns = timeout.count();
        int64_t expiry = h.now_ns() + timeout.count();
        Error err = modrt::icpt::call_next_with(next, frame, options, args, result);
        // The caller's own cancellation or deadline is reported as it is, not as this timeout.
        if (frame.canceled() != 0) return err;
        // A call that outlives its timeout fails, even if it finished (having ignored cancellation);
        // an error of its own that is not about time is kept.
        bool about_time = !err.failed() || err.kind() == MODRT_ERR_TIMEOUT || err.kind() == MODRT_ERR_CANCELED;
        if (h.now_ns() >= expiry && about_time) {
            result.set_nil();
            return Error(MODRT_ERR_TIMEOUT, "'" + std::string(frame.target()) + "' timed out after " +
                                                modrt::format_duration(timeout) + " (interceptor.timeout)");
        }
        return err;
    }

private:
    nanoseconds timeout_{0};
};

}  // namespace

MODRT_PLUGIN("interceptor.timeout", "1.0.0", modrt::provide_interceptor<Timeout>("interceptor.timeout"))
