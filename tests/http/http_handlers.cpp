// Native functions the http tests route requests to (a function.native library, not a
// plugin). They read and write the request through modrt::http::Exchange. What a test
// observes after the fact (a handler canceled, the kind that stopped it) is kept here per
// name and read back with `records`: process-wide, because the library is the only place
// the handler and the test share.
#include <modrt/error_kinds.hpp>
#include <modrt/sdk.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using modrt::Error;
using modrt::ValueSlot;
using modrt::ValueView;
using modrt::http::Exchange;

namespace {

struct Record {
    std::string name;
    int64_t kind;  // what stopped it: 0 (finished), MODRT_ERR_CANCELED or MODRT_ERR_TIMEOUT
    int64_t ms;    // how long it ran
};

std::mutex g_mutex;
std::vector<Record> g_records;
std::vector<std::string> g_started;  // names of calls of wait_cancel and slow that began running

void note_started(std::string name) {
    std::lock_guard lock(g_mutex);
    g_started.push_back(std::move(name));
}

void record(std::string name, int64_t kind, std::chrono::steady_clock::time_point start) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    std::lock_guard lock(g_mutex);
    g_records.push_back({std::move(name), kind, ms});
}

int64_t query_int(const Exchange& ex, std::string_view name, int64_t fallback) {
    auto v = ex.query(name);
    if (!v) return fallback;
    try {
        return std::stoll(std::string(*v));
    } catch (...) {
        return fallback;
    }
}

// Wait until the call is canceled (or `limit` passes); returns what stopped it (0: the limit).
modrt_error_kind wait_canceled(modrt::Frame frame, std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (modrt_error_kind k = frame.canceled()) return k;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return MODRT_ERR_UNKNOWN;
}

}  // namespace

// GET ?name=x -> text "hello x" (default world)
MODRT_NATIVE_FUNCTION(hello) {
    auto ex = Exchange::of(frame);
    if (!ex) return Error(MODRT_ERR_INVALID, "hello serves HTTP requests");
    if (Error e = ex->set_header("Content-Type", "text/plain"); e.failed()) return e;
    return ex->write("hello " + std::string(ex->query("name").value_or("world")));
}

// Returns what the request looked like (sent back as JSON: the handler writes nothing).
MODRT_NATIVE_FUNCTION(inspect) {
    auto ex = Exchange::of(frame);
    if (!ex) return Error(MODRT_ERR_INVALID, "inspect serves HTTP requests");
    result.set_map();
    result.insert("method").set_string(ex->method());
    result.insert("path").set_string(ex->path());
    result.insert("query_string").set_string(ex->query_string());
    result.insert("route").set_string(ex->route());
    result.insert("request_id").set_string(ex->request_id());
    result.insert("host").set_string(ex->host());
    result.insert("protocol").set_string(ex->field(MODRT_HTTP_PROTOCOL));
    result.insert("remote_addr").set_string(ex->remote_addr());
    result.insert("body").set_string(ex->body());
    ValueView ctx = frame.context("request_id");
    result.insert("context_request_id").set_string(ctx.is_string() ? ctx.as_string() : "");
    const modrt_actor* actor = frame.actor();
    result.insert("actor").set_string(actor ? modrt::to_view(host.api().actor_id(actor)) : "");
    result.insert("scope").set_string(frame.scope());
    for (auto [list, key] : {std::pair{MODRT_HTTP_PARAMS, "params"}, std::pair{MODRT_HTTP_QUERY, "query"}}) {
        ValueSlot m = result.insert(key);
        m.set_map();
        for (const auto& [n, v] : ex->all(list)) m.insert(n).set_string(v);
    }
    result.insert("x_test").set_string(ex->header("X-Test").value_or("(none)"));
    return {};
}

// POST a JSON body -> 201 with the same body as application/json
MODRT_NATIVE_FUNCTION(echo_json) {
    auto ex = Exchange::of(frame);
    if (!ex) return Error(MODRT_ERR_INVALID, "echo_json serves HTTP requests");
    if (ex->header("content-type").value_or("") != "application/json")
        return Error(MODRT_ERR_INVALID, "expected a JSON body");
    if (Error e = ex->set_status(201); e.failed()) return e;
    if (Error e = ex->set_header("Content-Type", "application/json"); e.failed()) return e;
    return ex->write(ex->body());
}

// ?kind=NotFound&msg=... -> fails with that kind and a message holding a secret
MODRT_NATIVE_FUNCTION(fail) {
    auto ex = Exchange::of(frame);
    if (!ex) return Error(MODRT_ERR_INVALID, "fail serves HTTP requests");
    std::string kind(ex->query("kind").value_or("Internal"));
    auto k = modrt::parse_error_kind(kind);
    return Error(k ? *k : MODRT_ERR_INTERNAL, "secret-detail: " + std::string(ex->query("msg").value_or("boom")));
}

// ?name=x -> waits until canceled (10 s at most), records it, fails CANCELED
MODRT_NATIVE_FUNCTION(wait_cancel) {
    auto ex = Exchange::of(frame);
    if (!ex) return Error(MODRT_ERR_INVALID, "wait_cancel serves HTTP requests");
    auto start = std::chrono::steady_clock::now();
    std::string name(ex->query("name").value_or("wait"));
    note_started(name);
    modrt_error_kind k = wait_canceled(frame, std::chrono::seconds(10));
    record(name, k, start);
    return Error(k ? k : MODRT_ERR_INTERNAL, "stopped waiting");
}

// ?ms=N&name=x -> works N ms (stopping early when canceled), records, answers "done"
MODRT_NATIVE_FUNCTION(slow) {
    auto ex = Exchange::of(frame);
    if (!ex) return Error(MODRT_ERR_INVALID, "slow serves HTTP requests");
    auto start = std::chrono::steady_clock::now();
    std::string name(ex->query("name").value_or("slow"));
    note_started(name);
    modrt_error_kind k = wait_canceled(frame, std::chrono::milliseconds(query_int(*ex, "ms", 100)));
    record(name, k, start);
    if (k) return Error(k, "slow was stopped");
    return ex->write("done");
}

// writes "part1", flushes, writes "part2" (sent chunked)
MODRT_NATIVE_FUNCTION(stream) {
    auto ex = Exchange::of(frame);
    if (!ex) return Error(MODRT_ERR_INVALID, "stream serves HTTP requests");
    if (Error e = ex->set_header("Content-Type", "text/plain"); e.failed()) return e;
    if (Error e = ex->write("part1,"); e.failed()) return e;
    if (Error e = ex->flush(); e.failed()) return e;
    if (Error e = ex->set_status(500); !e.failed()) return Error(MODRT_ERR_INTERNAL, "set_status after flush worked");
    if (Error e = ex->write("part2"); e.failed()) return e;
    return {};
}

// tries the exchange's refusals; answers which were refused
MODRT_NATIVE_FUNCTION(refusals) {
    auto ex = Exchange::of(frame);
    if (!ex) return Error(MODRT_ERR_INVALID, "refusals serves HTTP requests");
    std::string out;
    out += ex->set_status(99).failed() ? "status99:refused " : "status99:taken ";
    out += ex->set_header("Bad\nName", "x").failed() ? "name:refused " : "name:taken ";
    out += ex->set_header("X-Ok", "a\r\nInjected: 1").failed() ? "value:refused " : "value:taken ";
    if (Error e = ex->set_header("X-Ok", "yes"); e.failed()) return e;
    return ex->write(out);
}

// records(name) -> [{kind, ms}] of the records under `name`, in the order they were made;
// records(name, true) -> how many calls under `name` began running
MODRT_NATIVE_FUNCTION(records) {
    (void)frame;
    std::lock_guard lock(g_mutex);
    if (args.size() > 1 && args[1].as_bool()) {  // records(name, true): how many began running
        int64_t n = 0;
        for (const std::string& name : g_started) n += name == args[0].as_string() ? 1 : 0;
        result.set_int(n);
        return {};
    }
    result.set_array();
    for (const Record& r : g_records) {
        if (r.name != args[0].as_string()) continue;
        ValueSlot m = result.push();
        m.set_map(2);
        m.insert("kind").set_int(r.kind);
        m.insert("ms").set_int(r.ms);
    }
    return {};
}
