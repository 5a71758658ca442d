// Which pool type an entry's `pool:` asks for, and the options its pool instance gets.
//
// The names are the pool plugins' (plugins/pool.*): `pool: {type: static, workers: 4}`
// names the type; without `type`, an option only one built-in pool type takes picks it
// (`workers`/`size` -> static, `max_size` -> lazy), and no `pool:` at all -> inline (whose
// asynchronous calls go to the default async pool, calling/default_async_pool.hpp).
// This is the only place in the kernel that knows a pool plugin's option names.
#pragma once

#include <modrt/kernel/value.hpp>

#include <string>

namespace modrt::kernel {

/// The pool type used when an entry says nothing about its pool.
inline constexpr const char* kDefaultPoolType = "inline";

/// What an entry's `pool:` field asks for.
struct PoolChoice {
    std::string type;              // "inline", "static", ...: the plugin providing "pool.<type>" serves it
    Value options = Value::map();  // `pool:` without `type`: what the pool's create hook reads
    std::string problem;           // why `pool.type` is unusable ("" when it is fine)
};

/// The pool an entry asks for, from its `pool:` field (`pool` may be NULL: no such field).
PoolChoice choose_pool(const Value* pool);

}  // namespace modrt::kernel
