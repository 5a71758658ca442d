// What crosses NATS for one remote call: the request (function, arguments, context, actor,
// scope, remaining time) and the reply (a result, or an error with kind, message, retryable
// flag, details and stack), each one CBOR map. README.md "Wire format" is the reference.
#pragma once

#include "wire_values.hpp"

#include <modrt/sdk.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace modrt::remote {

inline constexpr int kWireVersion = 1;

/// The request the caller's frame and arguments make; `timeout_ns` is what is left (>0).
std::string encode_request(std::string_view function, ValueView args, const Frame& frame, int64_t timeout_ns);

/// A request as the serving side reads it.
struct Request {
    std::string function;
    Value args;     // an array
    Value context;  // a map, or nil when none
    bool has_actor = false;
    std::string actor_id;
    Value actor_meta;  // a map, or nil
    std::string scope;
    int64_t timeout_ns = 0;  // 0: none sent
};

/// Read a request; throws Failure(INVALID) naming what is wrong.
Request decode_request(std::string_view bytes);

/// A reply with `result`, or with `error` when it failed.
std::string encode_result(ValueView result);
std::string encode_error(const Error& error);

/// Read a reply into `result`; returns the callee's error intact, or INVALID for a malformed reply.
Error decode_reply(std::string_view bytes, ValueSlot result);

}  // namespace modrt::remote
