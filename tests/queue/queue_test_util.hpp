// What the queue tests share (queue_test, queue_docs_test, queue.driver.nats's tests): calling
// a runtime's functions, reading the probes' records (queue_probe.cpp) and queue counters
// through the registry's own Lua functions, and waiting, bounded, for what consumers do.
#pragma once

#include <modrt/kernel/json.hpp>
#include <modrt/kernel/runtime.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace modrt::test::queue {

using kernel::CallResult;
using kernel::Runtime;
using kernel::Value;

/// `text` as a value (a test's own literal: failing to parse fails the test).
inline Value json(const std::string& text) {
    Value v;
    auto err = kernel::parse_json(text, v);
    EXPECT_FALSE(err) << text;
    return v;
}

/// Call `id` with `args`.
inline CallResult call(Runtime& rt, const std::string& id, std::vector<Value> args = {}) {
    Value a = Value::array();
    a.items = std::move(args);
    return rt.call(id, a);
}

/// What the probe recorded under `name`, through the registry's `records` function: {value, at_ns} each.
inline std::vector<Value> records(Runtime& rt, const std::string& records_fn, const std::string& name) {
    auto r = call(rt, records_fn, {Value::string(name)});
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value.items : std::vector<Value>{};
}

/// One counter of queue.info(queue), through the registry's `info` function; -1 when missing.
inline int64_t counter(Runtime& rt, const std::string& info_fn, const std::string& queue, const char* name) {
    auto r = call(rt, info_fn, {Value::string(queue)});
    EXPECT_TRUE(r.ok()) << r.error->message;
    const Value* v = r.ok() ? r.value.find(name) : nullptr;
    return v != nullptr ? v->scalar.i : -1;
}

/// Poll `done` until it holds, for at most `limit` (a loaded sanitizer build is slow).
inline bool eventually(const std::function<bool()>& done, std::chrono::seconds limit = std::chrono::seconds(30)) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

/// Handlers queue tests share, to be placed in a module table `M` with `queue` required:
/// planned (body.plan[delivery] decides: "false", "retry", "fatal", "raise", "nack"; anything
/// else succeeds), dead (records what a dead-lettered message carries) and slow (works
/// body.ms through the probe, then records). They call the probes as q:bump, q:record, q:work.
inline constexpr const char* kSharedHandlers = R"lua(
function M.planned(body)
    local funcs = require("funcs")
    local msg = queue.message()
    local n = funcs.call("q:bump", body.key)
    funcs.call("q:record", body.key, n)
    local step = body.plan[n]
    if step == "false" then return false end
    if step == "retry" then
        return nil, errors.new({message = "try again later", kind = errors.UNAVAILABLE, retryable = true})
    end
    if step == "fatal" then return nil, errors.new({message = "bad order " .. body.key, kind = errors.INVALID}) end
    if step == "raise" then error("handler blew up") end
    if step == "nack" then
        assert(msg:nack())
        return true
    end
    return "done"
end
function M.dead(body)
    local funcs = require("funcs")
    local msg = queue.message()
    funcs.call("q:record", "dead", {key = body.key, error = msg:header("x_dead_letter_error"),
        kind = msg:header("x_dead_letter_kind"), attempts = msg:header("x_dead_letter_attempts"),
        from = msg:header("x_dead_letter_queue")})
    return true
end
function M.slow(body)
    local funcs = require("funcs")
    local _, err = funcs.call("q:work", body.key, body.ms)
    if err then return nil, err end
    funcs.call("q:record", body.key, body.n)
    return true
end
)lua";

/// When a probe record was made.
inline int64_t at_ns(const Value& record) { return record.find("at_ns")->scalar.i; }

}  // namespace modrt::test::queue
