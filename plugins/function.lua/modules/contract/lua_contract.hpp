// The `contract` host module (Wippy's contract.md), on the host's contract
// API (abi.h contract_describe_binding / contract_describe; the `contract`
// plugin provides it):
//
//   contract.open(binding_id[?query], scope?, options?)  instance, err (lua_contract_instance.hpp)
//       query pairs and the scope table become context values of the
//       instance's calls (the scope table over the query); options are per-call
//       options, `timeout` as in funcs' with_options. A contract id opens its
//       default binding. Needs contract.open on the binding.
//   contract.get(id)                     Contract, err (lua_contract_def.hpp); contract.get on the id
//   contract.find_implementations(id)    array of binding ids, err; contract.implementations on the id
//   contract.is(instance, id)            whether the instance's binding implements contract `id`
//
// Errors are `nil, err` (never raised): INVALID for malformed ids, NOT_FOUND
// for missing contracts, bindings, methods and default bindings,
// PERMISSION_DENIED, UNAVAILABLE without a contract provider, INTERNAL
// outside a call.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// lua_CFunction opener: pushes the module table (read-only).
int open_contract_module(lua_State* L);

}  // namespace modrt::lua
