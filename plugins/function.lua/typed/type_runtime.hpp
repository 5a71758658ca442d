// Declared types at run time: the `__modrt_types` global a translated `type`
// declaration calls, and the type values it makes (`User(data)` validates and
// returns data or raises; `User:is(data)` returns data, nil or nil, err;
// `kind`, `name`, `fields`, `variants`, `inner`, `elem`, `key`, `val`, `params`, `ret`).
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// Push the types runtime (a table). `string_find` and `errors` are the stack
/// indexes of the sandbox's step-counted `string.find` and `errors` module, which
/// validators and failures use. Called once per state by install_sandbox.
void push_type_runtime(lua_State* L, int string_find, int errors);

}  // namespace modrt::lua
