// One guard for every call from the kernel into a plugin.
//
// A plugin hook must not throw (the SDK marks them noexcept), but a plugin written
// without the SDK, or against it carelessly, still must not take the runtime down: a
// kernel call into plugin code goes through call_plugin() (hooks returning an error),
// call_plugin_or() (a decision or flag: a throw gives the safe answer) or
// call_plugin_void() (load-time hooks returning nothing). The try costs nothing on the
// success path (zero-cost exceptions, inlined here); the message is built only after a
// throw, out of line, and names the plugin: "<name> (<file>): <hook> threw an exception".
#pragma once

#include <modrt/abi.h>

#include <string>
#include <string_view>
#include <utility>

namespace modrt::kernel {

class LoadedPlugin;

/// How kernel messages name a plugin: "name (file)", or "plugin" when the owner is unknown.
std::string plugin_label(const LoadedPlugin* owner);

/// "<hook> threw an exception[: what()]" for the exception being handled: call it inside a catch block.
std::string threw_text(std::string_view hook);

/// "<name> (<file>): <hook> threw an exception[: what()]"; call it inside a catch block.
std::string plugin_threw_message(const LoadedPlugin* owner, std::string_view hook);

/// An owned INTERNAL error carrying plugin_threw_message(); call it inside a catch block.
/// NULL when not even that fits in memory: the failure is then counted on this thread
/// (host_oom.hpp), which fails the hook of the plugin that called in.
[[gnu::cold, gnu::noinline]] modrt_error* plugin_threw(const LoadedPlugin* owner, std::string_view hook) noexcept;

/// Run `hook_call` (a call into `owner` returning an owned error or NULL); a throw becomes
/// plugin_threw(owner, hook).
template <class F>
[[gnu::always_inline]] inline modrt_error* call_plugin(const LoadedPlugin* owner, std::string_view hook,
                                                       F&& hook_call) noexcept {
    try {
        return std::forward<F>(hook_call)();
    } catch (...) {
        return plugin_threw(owner, hook);
    }
}

/// Run `hook_call` (a call into a plugin with no error to carry: a decision, a flag);
/// a throw gives `on_throw`, the answer that fails safe (e.g. DENY).
template <class T, class F>
[[gnu::always_inline]] inline T call_plugin_or(T on_throw, F&& hook_call) noexcept {
    try {
        return static_cast<T>(std::forward<F>(hook_call)());
    } catch (...) {
        return on_throw;
    }
}

/// Run `hook_call` (a call into `owner` that returns nothing, off the call path): "" when it
/// returned, plugin_threw_message(owner, hook) when it threw.
template <class F>
inline std::string call_plugin_void(const LoadedPlugin* owner, std::string_view hook, F&& hook_call) {
    try {
        std::forward<F>(hook_call)();
        return {};
    } catch (...) {
        return plugin_threw_message(owner, hook);
    }
}

}  // namespace modrt::kernel
