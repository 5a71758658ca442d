// Call settings: copying, merging, freeing (call_settings.hpp).
#include "modules/call/call_settings.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {

void free_call_settings(CallSettings* s) noexcept {
    const modrt_host_api& h = host_api();
    h.value_free(s->context);
    h.value_free(s->options);
    h.value_free(s->scope);
    h.actor_release(s->actor);
    *s = CallSettings{};
}

void copy_call_settings(CallSettings* to, const CallSettings& from) noexcept {
    to->context = copy_value(from.context);
    to->options = copy_value(from.options);
    to->scope = copy_value(from.scope);
    to->actor = from.actor;
    if (to->actor != nullptr) host_api().actor_retain(to->actor);
    to->timeout_ns = from.timeout_ns;
}

modrt_value* copy_value(const modrt_value* v) noexcept {
    if (v == nullptr) return nullptr;
    modrt_value* out = host_api().value_new();
    host_api().value_copy(out, v);
    return out;
}

void merge_map(modrt_value** dst, const modrt_value* src, std::string_view skip) noexcept {
    const modrt_host_api& h = host_api();
    if (*dst == nullptr) {
        *dst = h.value_new();
        h.value_set_map(*dst, h.value_len(src));
    }
    for (size_t i = 0; i < h.value_len(src); ++i) {
        modrt_str key = h.value_key_at(src, i);
        if (!skip.empty() && to_view(key) == skip) continue;
        h.value_copy(h.value_insert(*dst, key), h.value_at(src, i));
    }
}

void apply_call_options(CallSettings* s, int64_t timeout_ns, const modrt_value* options) noexcept {
    const modrt_host_api& h = host_api();
    s->timeout_ns = timeout_ns;
    if (h.value_len(options) > (h.value_find(options, to_str("timeout")) != nullptr ? 1u : 0u))
        merge_map(&s->options, options, "timeout");
}

void set_scope(CallSettings* s, modrt_str scope) noexcept {
    if (s->scope == nullptr) s->scope = host_api().value_new();
    host_api().value_set_string(s->scope, scope);
}

}  // namespace modrt::lua
