// What every built-in interceptor does the same way: read its options
// (registry options at create, per-call options at call time, which override
// them key by key) and call the rest of the chain.
#pragma once

#include <modrt/duration.hpp>
#include <modrt/sdk.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace modrt::icpt {

/// Fail with INVALID naming the option (the kernel shows its registry line).
[[noreturn]] inline void bad_option(std::string_view field, const std::string& message) {
    throw Failure(Error(MODRT_ERR_INVALID, std::string(field) + ": " + message).set_field(field));
}

/// A duration in milliseconds (number) or with a unit ("100ms", "2s").
inline std::chrono::nanoseconds read_duration(ValueView v, std::string_view field) {
    std::optional<std::chrono::nanoseconds> d;
    if (v.type() == MODRT_INT || v.type() == MODRT_NUMBER) d = duration_from_ms(v.as_number());
    else if (v.is_string()) d = parse_duration(v.as_string());
    if (!d) bad_option(field, "expected a duration: milliseconds or a string like \"100ms\", \"2s\"");
    return *d;
}

/// A whole number in [lo, hi].
inline int64_t read_int(ValueView v, std::string_view field, int64_t lo, int64_t hi) {
    if (v.type() != MODRT_INT || v.as_int() < lo || v.as_int() > hi)
        bad_option(field, "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    return v.as_int();
}

/// A number in [lo, hi].
inline double read_number(ValueView v, std::string_view field, double lo, double hi) {
    if ((v.type() != MODRT_INT && v.type() != MODRT_NUMBER) || v.as_number() < lo || v.as_number() > hi)
        bad_option(field, "expected a number from " + std::to_string(lo) + " to " + std::to_string(hi));
    return v.as_number();
}

inline bool read_bool(ValueView v, std::string_view field) {
    if (v.type() != MODRT_BOOL) bad_option(field, "expected true or false");
    return v.as_bool();
}

/// Call `apply(key, value)` for each option of `map`; it returns false for a key it does not know.
template <class Apply>
void for_each_option(ValueView map, std::string_view interceptor, std::string_view known, Apply&& apply) {
    if (map.is_nil()) return;
    if (!map.is_map()) throw Failure(MODRT_ERR_INVALID, std::string(interceptor) + ": options must be a map");
    for (size_t i = 0; i < map.size(); ++i) {
        std::string_view key = map.key(i);
        if (!apply(key, map[i]))
            bad_option(key, std::string(interceptor) + " has no option '" + std::string(key) + "' (it takes " +
                                std::string(known) + ")");
    }
}

/// The per-call options for interceptor `name` ("retry"): frame options[name], a nil view when none.
inline ValueView per_call(Frame frame, std::string_view name) {
    ValueView all = frame.options();
    return all.is_map() ? all.find(name) : ValueView();
}

/// Per-call options are checked at call time: a bad one fails the call as INVALID, not retryable.
template <class Read>
void apply_per_call(Frame frame, std::string_view name, Read&& read) {
    ValueView opts = per_call(frame, name);
    if (opts.is_nil()) return;
    try {
        read(opts);
    } catch (const Failure& f) {
        Error e(f.release());
        e.wrap("per-call options of interceptor." + std::string(name));
        e.set_retryable(false);
        throw Failure(std::move(e));
    }
}

/// The rest of the chain, once.
inline Error call_next(const modrt_next& next, Frame frame, ValueView args, ValueSlot result) {
    return Error(next.invoke(next.self, frame.raw(), args.raw(), result.raw()));
}

/// The rest of the chain in a child frame with `options` applied (a timeout, extra context).
inline Error call_next_with(const modrt_next& next, Frame frame, const modrt_call_options& options, ValueView args,
                            ValueSlot result) {
    const modrt_host_api& h = host_api();
    if (h.struct_size < offsetof(modrt_host_api, next_invoke_with) + sizeof(void*) || h.next_invoke_with == nullptr)
        return Error(MODRT_ERR_UNAVAILABLE, "this modrt kernel is too old for next_invoke_with");
    return Error(h.next_invoke_with(&next, frame.raw(), &options, args.raw(), result.raw()));
}

}  // namespace modrt::icpt
