// interceptor.stamp: puts a value into the context of every call it wraps,
// plus how many calls this entry has seen, and logs each call.
//
//   meta: {options: {stamp: {value: "acme", key: "tenant"}}}   # key defaults to "stamp"
//   per call: with_options({stamp = {value = "other"}})         # overrides value for one call
#include <modrt/sdk.hpp>

#include <atomic>
#include <cstddef>
#include <string>

namespace {

using modrt::Error;
using modrt::Frame;
using modrt::Value;
using modrt::ValueSlot;
using modrt::ValueView;

class Stamp : public modrt::Interceptor {
public:
    // One instance per registry entry: options are checked here, at load, with the entry's line.
    Stamp(const modrt::Host& host, const modrt::EntryInfo& entry, ValueView options) : host_(host), id_(entry.id()) {
        for (size_t i = 0; i < options.size(); ++i) {
            std::string_view key = options.key(i);
            if (key != "value" && key != "key")
                throw modrt::Failure(
                    Error(MODRT_ERR_INVALID, "stamp has no option '" + std::string(key) + "'").set_field(key));
            if (!options[i].is_string())
                throw modrt::Failure(Error(MODRT_ERR_INVALID, std::string(key) + ": expected a string").set_field(key));
        }
        value_ = options.find("value").as_string();
        if (options.has("key")) key_ = options.find("key").as_string();
        if (value_.empty()) throw modrt::Failure(Error(MODRT_ERR_INVALID, "stamp needs a value").set_field("value"));
    }

    Error intercept(Frame frame, ValueView args, ValueSlot result, const modrt_next& next) override {
        // Per-call options live in the frame under this interceptor's name and win over the entry's.
        std::string value = value_;
        if (ValueView mine = frame.options().find("stamp"); mine.find("value").is_string())
            value = mine.find("value").as_string();
        int64_t n = calls_.fetch_add(1, std::memory_order_relaxed) + 1;

        // Modify the request: extra context for the call beneath (and everything it calls).
        Value context;
        context.slot().insert(key_).set_string(value);
        context.slot().insert("stamp_calls").set_int(n);
        modrt_call_options options{};
        options.struct_size = sizeof(options);
        options.context = context.raw();

        const modrt_host_api& h = host_.api();
        if (h.struct_size < offsetof(modrt_host_api, next_invoke_with) + sizeof(void*) || !h.next_invoke_with)
            return Error(MODRT_ERR_UNAVAILABLE, "interceptor.stamp needs a newer modrt (next_invoke_with)");
        Error err(h.next_invoke_with(&next, frame.raw(), &options, args.raw(), result.raw()));
        host_.log(MODRT_LOG_INFO, "call " + std::to_string(n) + " of " + id_ + (err.failed() ? ": failed" : ": ok"));
        return err;
    }

private:
    const modrt::Host& host_;
    std::string id_;
    std::string key_ = "stamp";
    std::string value_;
    std::atomic<int64_t> calls_{0};  // per entry, shared by every thread calling it
};

}  // namespace

MODRT_PLUGIN("acme.stamp", "1.0.0", modrt::provide_interceptor<Stamp>("interceptor.stamp"))
