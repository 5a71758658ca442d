// Native functions for function.native tests. Built as a plain shared library
// (not a plugin) against sdk.hpp only; each function is named by `method:`.
#include <modrt/sdk.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>

using modrt::ValueSlot;
using modrt::ValueView;

// add(a, b) -> a + b (integers)
MODRT_NATIVE_FUNCTION(add) {
    (void)frame;
    if (args.size() != 2) return modrt::Error(MODRT_ERR_INVALID, "add takes 2 arguments");
    result.set_int(args[0].as_int() + args[1].as_int());
    return {};
}

// fail(kind, message, retryable, details, stack) -> error with exactly these fields
MODRT_NATIVE_FUNCTION(fail) {
    (void)frame;
    (void)result;
    modrt::Error e(static_cast<modrt_error_kind>(args[0].as_int()), args[1].as_string());
    e.set_retryable(args[2].as_bool());
    if (!args[3].is_nil()) e.details_slot().copy_from(args[3]);
    if (args[4].is_string()) e.set_stack(args[4].as_string());
    return e;
}

// throws() -> a C++ exception, which the SDK guard turns into an INTERNAL error
MODRT_NATIVE_FUNCTION(throws) {
    (void)frame;
    (void)args;
    (void)result;
    throw std::runtime_error("native exception text");
}

// echo(...) -> the argument array, deep-copied by the host
MODRT_NATIVE_FUNCTION(echo) {
    (void)frame;
    result.copy_from(args);
    return {};
}

namespace {
// Rebuild `src` into `dst` through the host API's readers and writers only.
void rebuild(ValueView src, ValueSlot dst) {
    switch (src.type()) {
        case MODRT_NIL: dst.set_nil(); break;
        case MODRT_BOOL: dst.set_bool(src.as_bool()); break;
        case MODRT_INT: dst.set_int(src.as_int()); break;
        case MODRT_NUMBER: dst.set_number(src.as_number()); break;
        case MODRT_STRING: dst.set_string(src.as_string()); break;
        case MODRT_BYTES: dst.set_bytes(src.as_string()); break;
        case MODRT_ARRAY:
            dst.set_array(src.size());
            for (size_t i = 0; i < src.size(); ++i) rebuild(src[i], dst.push());
            break;
        case MODRT_MAP:
            dst.set_map(src.size());
            for (size_t i = 0; i < src.size(); ++i) rebuild(src[i], dst.insert(src.key(i)));
            break;
    }
}
}  // namespace

// rebuild(...) -> the argument array, rebuilt item by item through the host API
MODRT_NATIVE_FUNCTION(rebuild_args) {
    (void)frame;
    rebuild(args, result);
    return {};
}

// types(...) -> array of type tags of the arguments
MODRT_NATIVE_FUNCTION(types) {
    (void)frame;
    result.set_array();
    for (size_t i = 0; i < args.size(); ++i) result.push().set_int(args[i].type());
    return {};
}

// scalar_args(...) / scalar_args_itemwise(...) -> [size, [type, as_int, as_number, as_bool]...]
// for items 0..3 as ScalarArgs<3> reads them (item 3 is past N): with value_scalars, and
// item by item as it does for a plugin targeting a minor before ABI 1.2.
namespace {
template <unsigned TargetMinor>
modrt::Error describe_scalar_args(ValueView args, ValueSlot result, const modrt_host_api& host) {
    modrt::ScalarArgs<3, TargetMinor> in(args, host);
    result.set_array();
    result.push().set_int(static_cast<int64_t>(in.size()));
    for (size_t i = 0; i < 4; ++i) {
        ValueSlot item = result.push();
        item.set_array();
        item.push().set_int(in.type(i));
        item.push().set_int(in.as_int(i));
        item.push().set_number(in.as_number(i));
        item.push().set_bool(in.as_bool(i));
    }
    return {};
}
}  // namespace

MODRT_NATIVE_FUNCTION(scalar_args) {
    (void)frame;
    return describe_scalar_args<MODRT_TARGET_ABI_MINOR>(args, result, modrt::host_api());
}

MODRT_NATIVE_FUNCTION(scalar_args_itemwise) {
    (void)frame;
    modrt_host_api old_kernel = modrt::host_api();
    old_kernel.value_scalars = nullptr;
    return describe_scalar_args<1>(args, result, old_kernel);
}

// scalars(...) -> [length, [type, content]...] for the first 6 arguments as value_scalars reads
// them: content is the integer (int, bool 0/1), the number, or 0 for the other types.
MODRT_NATIVE_FUNCTION(scalars) {
    (void)frame;
    modrt_scalar read[6];
    size_t n = host.api().value_scalars(args.raw(), read, 6);
    result.set_array();
    result.push().set_int(static_cast<int64_t>(n));
    for (size_t i = 0; i < n && i < 6; ++i) {
        ValueSlot item = result.push();
        item.set_array();
        item.push().set_int(read[i].type);
        if (read[i].type == MODRT_NUMBER) item.push().set_number(read[i].as.n);
        else item.push().set_int(read[i].as.i);  // zero for nil and non-scalars
    }
    return {};
}

// rewrite_scalars(...) / rewrite_scalars_itemwise(...): the result starts as ["old", {k: "v"}, 7]
// (items that hold memory, so a rewrite in place must clear them), then becomes the first 6
// arguments through ValueSlot::set_scalars: with value_set_scalars, and item by item as it
// does for a plugin targeting a minor before ABI 1.9. When set_scalars refuses (an argument
// is not a scalar), the result is what it started as.
namespace {
template <unsigned TargetMinor>
modrt::Error rewrite_scalars(ValueView args, ValueSlot result, const modrt_host_api& host) {
    result.set_array();
    result.push().set_string("old");
    ValueSlot map = result.push();
    map.set_map();
    map.insert("k").set_string("v");
    result.push().set_int(7);
    modrt_scalar in[6];
    size_t n = host.value_scalars(args.raw(), in, 6);
    result.set_scalars<TargetMinor>(in, n < 6 ? n : 6, host);
    return {};
}
}  // namespace

MODRT_NATIVE_FUNCTION(rewrite_scalars) {
    (void)frame;
    return rewrite_scalars<MODRT_TARGET_ABI_MINOR>(args, result, modrt::host_api());
}

MODRT_NATIVE_FUNCTION(rewrite_scalars_itemwise) {
    (void)frame;
    modrt_host_api old_kernel = modrt::host_api();
    old_kernel.value_set_scalars = nullptr;
    return rewrite_scalars<8>(args, result, old_kernel);
}

// context(key) -> the frame's context value under key (nil when absent)
MODRT_NATIVE_FUNCTION(context) {
    result.copy_from(frame.context(args[0].as_string()));
    return {};
}

// whole_context() -> the frame's whole context map
MODRT_NATIVE_FUNCTION(whole_context) {
    (void)args;
    result.copy_from(frame.context());
    return {};
}

// scope() -> the frame's scope string
MODRT_NATIVE_FUNCTION(scope) {
    (void)args;
    result.set_string(frame.scope());
    return {};
}

// target() -> the frame's target id
MODRT_NATIVE_FUNCTION(target) {
    (void)args;
    result.set_string(frame.target());
    return {};
}

// wait_cancel(max_ms) -> waits until the frame is canceled; returns an error of the cause
MODRT_NATIVE_FUNCTION(wait_cancel) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(args[0].as_int());
    while (std::chrono::steady_clock::now() < until) {
        if (modrt_error_kind cause = frame.canceled(); cause != 0) return modrt::Error(cause, "observed cancellation");
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    result.set_string("not canceled");
    return {};
}

// deadline() -> the frame's deadline (0 when none)
MODRT_NATIVE_FUNCTION(deadline) {
    (void)args;
    result.set_int(frame.deadline_ns());
    return {};
}

// stoppable() -> whether something may stop the call while it runs (host frame_stoppable)
MODRT_NATIVE_FUNCTION(stoppable) {
    (void)args;
    result.set_bool(frame.stoppable());
    return {};
}

// attachment(key) -> the C string a root frame lends under key (host frame_attachment), nil when none
MODRT_NATIVE_FUNCTION(attachment) {
    void* p = modrt::frame_attachment(frame, args[0].as_string());
    if (p == nullptr) result.set_nil();
    else result.set_string(static_cast<const char*>(p));
    return {};
}

// ---------------------------------------------------------------------------
// Written against the C ABI (MODRT_NATIVE_RAW_FUNCTION): they use the raw host
// table (host->call with a runtime pointer), which the MODRT_NATIVE_FUNCTION body does not see.
// ---------------------------------------------------------------------------

namespace {
modrt_str str_of(const modrt_host_api* host, const modrt_value* v) { return host->value_string(v); }
}  // namespace

// call(id, args_array) -> result of calling id(args...) as a child of this frame
MODRT_NATIVE_RAW_FUNCTION(call_other) {
    return host->call(host->runtime, frame, str_of(host, host->value_at(args, 0)), host->value_at(args, 1), nullptr,
                      result);
}

// call_with(id, args_array, context_map, scope, timeout_ns) -> call with modrt_call_options
MODRT_NATIVE_RAW_FUNCTION(call_with) {
    modrt_call_options o{};
    o.struct_size = sizeof(o);
    o.context = host->value_at(args, 2);
    o.scope = str_of(host, host->value_at(args, 3));
    o.timeout_ns = host->value_int(host->value_at(args, 4));
    return host->call(host->runtime, frame, str_of(host, host->value_at(args, 0)), host->value_at(args, 1), &o, result);
}

// add_via(id, a, b) -> id([a, b]) + 1000, nested through host->call
MODRT_NATIVE_RAW_FUNCTION(add_via) {
    modrt_value* inner_args = host->value_new();
    host->value_set_array(inner_args, 2);
    host->value_copy(host->value_push(inner_args), host->value_at(args, 1));
    host->value_copy(host->value_push(inner_args), host->value_at(args, 2));
    modrt_value* inner = host->value_new();
    modrt_error* err = host->call(host->runtime, frame, str_of(host, host->value_at(args, 0)), inner_args, nullptr,
                                  inner);
    if (err == nullptr) host->value_set_int(result, host->value_int(inner) + 1000);
    host->value_free(inner);
    host->value_free(inner_args);
    return err;
}

// recurse() -> calls its own target again, forever: the kernel's depth limit must stop it
MODRT_NATIVE_RAW_FUNCTION(recurse) {
    return host->call(host->runtime, frame, host->frame_target(frame), args, nullptr, result);
}

// actor() -> {id, meta} of the frame's actor, or nil when anonymous
MODRT_NATIVE_RAW_FUNCTION(actor) {
    const modrt_actor* a = host->frame_actor(frame);
    if (a == nullptr) {
        host->value_set_nil(result);
        return nullptr;
    }
    host->value_set_map(result, 2);
    host->value_set_string(host->value_insert(result, modrt_str{"id", 2}), host->actor_id(a));
    host->value_copy(host->value_insert(result, modrt_str{"meta", 4}), host->actor_meta(a));
    return nullptr;
}

// runs(peek) -> how many times runs() has run with peek == false (counted before returning);
// with peek == true it only reports. Lets a test prove a call never reached the function.
namespace {
std::atomic<int64_t> g_native_runs{0};
}  // namespace
MODRT_NATIVE_FUNCTION(runs) {
    if (args.size() > 0 && args[0].as_bool()) {
        result.set_int(g_native_runs.load());
        return {};
    }
    result.set_int(++g_native_runs);
    return {};
}

// ---------------------------------------------------------------------------
// Exports function.native must refuse (native_test.cpp, KernelNativeMarker): each
// would be callable through modrt_native_fn if the SDK's marker were not required.
// ---------------------------------------------------------------------------

// The right signature, exported, but declared without MODRT_NATIVE_FUNCTION: no marker.
extern "C" MODRT_EXPORT modrt_error* unmarked(const modrt_host_api* host, modrt_frame*, const modrt_value*,
                                              modrt_value* result) {
    host->value_set_int(result, 1);
    return nullptr;
}

// A marker symbol holding something else than MODRT_NATIVE_MARKER.
extern "C" MODRT_EXPORT const uint64_t modrt_native_marker_wrong_magic = 0x0123456789abcdefULL;
extern "C" MODRT_EXPORT modrt_error* wrong_magic(const modrt_host_api* host, modrt_frame*, const modrt_value*,
                                                 modrt_value* result) {
    host->value_set_int(result, 2);
    return nullptr;
}

// A marker with the right tag from another ABI major (a library built against another SDK).
extern "C" MODRT_EXPORT const uint64_t modrt_native_marker_other_abi = (MODRT_NATIVE_MARKER & ~uint64_t{0xffff}) |
                                                                       uint64_t{MODRT_ABI_MAJOR + 1};
extern "C" MODRT_EXPORT modrt_error* other_abi(const modrt_host_api* host, modrt_frame*, const modrt_value*,
                                               modrt_value* result) {
    host->value_set_int(result, 3);
    return nullptr;
}

// A data symbol: calling it would jump into data.
extern "C" MODRT_EXPORT const int64_t native_data_symbol[4] = {1, 2, 3, 4};

// Exported with C++ linkage: its symbol name is mangled, so `method: mangled` finds nothing.
MODRT_EXPORT modrt_error* mangled(const modrt_host_api*, modrt_frame*, const modrt_value*, modrt_value*);
MODRT_EXPORT modrt_error* mangled(const modrt_host_api* host, modrt_frame*, const modrt_value*, modrt_value* result) {
    host->value_set_int(result, 4);
    return nullptr;
}
