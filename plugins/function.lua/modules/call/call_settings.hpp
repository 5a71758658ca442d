// What a call made with an executor (funcs), a Contract or a contract
// instance carries: context, per-call options, actor, scope and timeout.
//
// CallSettings is trivially destructible and lives inside Lua userdata whose
// __gc calls free_call_settings.
#pragma once

#include <modrt/abi.h>

#include <cstdint>
#include <string_view>

namespace modrt::lua {

/// What a call made with an executor, a Contract or a contract instance gets.
struct CallSettings {
    modrt_value* context;      ///< owned map merged over the inherited context, or null
    modrt_value* options;      ///< owned map of per-call interceptor options, or null
    modrt_value* scope;        ///< owned string, or null to inherit
    const modrt_actor* actor;  ///< one reference, or null to inherit
    int64_t timeout_ns;        ///< 0: none
};

/// Free what `s` owns and empty it. Never raises.
void free_call_settings(CallSettings* s) noexcept;
/// Make `to` (empty) a deep copy of `from`. Never raises (no Lua).
void copy_call_settings(CallSettings* to, const CallSettings& from) noexcept;

/// A deep copy (owned) of `v`, or null for null.
modrt_value* copy_value(const modrt_value* v) noexcept;
/// Merge the pairs of map `src` into *dst (created as a map when null),
/// leaving out the key `skip` when it is not empty. Never raises.
void merge_map(modrt_value** dst, const modrt_value* src, std::string_view skip = {}) noexcept;

/// Apply what read_call_options (call_args.hpp) read: the timeout, and the
/// options (but `timeout`) merged into s->options. Never raises.
void apply_call_options(CallSettings* s, int64_t timeout_ns, const modrt_value* options) noexcept;
/// Store `scope` (copied) in s->scope. Never raises.
void set_scope(CallSettings* s, modrt_str scope) noexcept;

}  // namespace modrt::lua
