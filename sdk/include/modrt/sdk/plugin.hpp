// modrt SDK, plugin declaration: the provide_* list, MODRT_PLUGIN and the function.native macros.
// Part of the header-only C++ layer; include <modrt/sdk.hpp>.
#ifndef MODRT_SDK_PLUGIN_HPP
#define MODRT_SDK_PLUGIN_HPP

#include <modrt/sdk/boundary.hpp>
#include <modrt/sdk/trigger_calls.hpp>

#include <cstdint>

namespace modrt {

/// Provide a callable registry kind K (derives FunctionKind, constructed from const Host&).
template <class K>
constexpr detail::Provide<MODRT_EXT_FUNCTION_KIND, K> provide_kind(const char* name) {
    return {name};
}
/// Provide a data-only registry kind K (derives DataKind, constructed from const Host&): its
/// entries have no invoke and cannot be called. A FunctionKind is still accepted here (its invoke is never used).
template <class K>
constexpr detail::Provide<MODRT_EXT_FUNCTION_KIND, K, false> provide_data_kind(const char* name) {
    return {name};
}
/// Provide a trigger kind T (derives TriggerKind, constructed from const Host&): its entries are
/// started by `modrt serve` and call functions on their own. Needs ABI minor 6.
template <class T, unsigned TargetMinor = MODRT_TARGET_ABI_MINOR>
constexpr detail::Provide<MODRT_EXT_TRIGGER, T> provide_trigger(const char* name) {
    static_assert(TargetMinor >= 6, "provide_trigger needs ABI minor 6: raise MODRT_TARGET_ABI_MINOR");
    return {name};
}
/// Provide a pool type P (derives Pool, constructed from const Host&, ValueView options).
template <class P>
constexpr detail::Provide<MODRT_EXT_POOL, P> provide_pool(const char* name) {
    return {name};
}
/// Provide an interceptor I (derives Interceptor, constructed from const Host&, const EntryInfo&, ValueView).
template <class I>
constexpr detail::Provide<MODRT_EXT_INTERCEPTOR, I> provide_interceptor(const char* name) {
    return {name};
}
/// Provide a security provider S (derives SecurityProvider, constructed from const Host&).
template <class S>
constexpr detail::Provide<MODRT_EXT_SECURITY, S> provide_security(const char* name) {
    return {name};
}
/// Provide a contract provider C (derives ContractProvider, constructed from const Host&).
template <class C>
constexpr detail::Provide<MODRT_EXT_CONTRACT, C> provide_contract(const char* name) {
    return {name};
}

}  // namespace modrt

/// Export the plugin: MODRT_PLUGIN("name", "1.0.0", modrt::provide_pool<MyPool>("pool.mine"), ...)
#define MODRT_PLUGIN(NAME, VERSION, ...)                                              \
    extern "C" MODRT_EXPORT const modrt_plugin_descriptor* modrt_plugin_entry(void) { \
        return ::modrt::detail::describe_plugin(NAME, VERSION, __VA_ARGS__);          \
    }

/// Define a `function.native` function: MODRT_NATIVE_FUNCTION(add) { ...; return {}; }
/// The body sees `host` (a modrt::Host of the calling runtime, for host.call), `frame`,
/// `args` (ValueView of the argument array) and `result` (ValueSlot). It also exports the
/// marker `modrt_native_marker_NAME` (abi.h MODRT_NATIVE_MARKER): function.native binds no symbol without one.
#define MODRT_NATIVE_FUNCTION(NAME)                                                                                    \
    extern "C" MODRT_EXPORT const uint64_t modrt_native_marker_##NAME = MODRT_NATIVE_MARKER;                           \
    static ::modrt::Error NAME##_modrt_body([[maybe_unused]] const ::modrt::Host& host,                                \
                                            [[maybe_unused]] ::modrt::Frame frame,                                     \
                                            [[maybe_unused]] ::modrt::ValueView args,                                  \
                                            [[maybe_unused]] ::modrt::ValueSlot result);                               \
    extern "C" MODRT_EXPORT modrt_error* NAME(const modrt_host_api* host, modrt_frame* frame, const modrt_value* args, \
                                              modrt_value* result) {                                                   \
        ::modrt::detail::set_host(host);                                                                               \
        return ::modrt::detail::guard(#NAME, [&]() -> modrt_error* {                                                   \
            return NAME##_modrt_body(::modrt::Host(host, nullptr, #NAME), ::modrt::Frame(frame),                       \
                                     ::modrt::ValueView(args), ::modrt::ValueSlot(result))                             \
                .release();                                                                                            \
        });                                                                                                            \
    }                                                                                                                  \
    static ::modrt::Error NAME##_modrt_body([[maybe_unused]] const ::modrt::Host& host,                                \
                                            [[maybe_unused]] ::modrt::Frame frame,                                     \
                                            [[maybe_unused]] ::modrt::ValueView args,                                  \
                                            [[maybe_unused]] ::modrt::ValueSlot result)

/// A `function.native` function written against the C ABI (it sees the raw `host`, `frame`,
/// `args` and `result` pointers): MODRT_NATIVE_RAW_FUNCTION(add) { ...; return nullptr; }.
/// Exports the same marker as MODRT_NATIVE_FUNCTION; it must not throw.
#define MODRT_NATIVE_RAW_FUNCTION(NAME)                                                      \
    extern "C" MODRT_EXPORT const uint64_t modrt_native_marker_##NAME = MODRT_NATIVE_MARKER; \
    extern "C" MODRT_EXPORT modrt_error* NAME([[maybe_unused]] const modrt_host_api* host,   \
                                              [[maybe_unused]] modrt_frame* frame,           \
                                              [[maybe_unused]] const modrt_value* args,      \
                                              [[maybe_unused]] modrt_value* result)

#endif  // MODRT_SDK_PLUGIN_HPP
