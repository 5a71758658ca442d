// Wippy's Contract (contract.md "Getting a Contract"): a contract definition
// and the settings of the instances it opens. Immutable: each with_* returns
// a new Contract.
//
//   c:id()                      the contract id
//   c:methods()                 array of {name, description, input_schemas?, output_schemas?}
//   c:method(name)              that table, or nil, NOT_FOUND
//   c:implementations()         array of binding ids, err (contract.implementations on the id)
//   c:open(binding?, scope?)    instance, err: the binding (nil: the default one; it must implement
//                               this contract) with the Contract's settings (contract.open on the binding)
//   c:with_context(t)           Contract, err: context values for its instances (contract.context on "context")
//   c:with_options(o)           Contract, err: per-call options, `timeout` as in funcs' with_options
//   c:with_actor(a)             Contract, err: an Actor or {id=, meta=} (contract.security on "security")
//   c:with_scope(s)             Contract, err: a Scope or a scope string (contract.security on "security")
//   tostring(c)                 "Contract(<id>)"
//
// The userdata holds kernel values only (trivially destructible; __gc frees them).
#pragma once

#include "modules/call/call_args.hpp"
#include "modules/call/start_call.hpp"
#include "modules/security/lua_security_check.hpp"

#include <modrt/abi.h>

#include <lua.hpp>

namespace modrt::lua {

struct ContractBox {
    CallSettings settings;  ///< what the instances it opens get
    modrt_value* id;        ///< owned string
    modrt_value* methods;   ///< owned array of method definitions (contract_describe's)
};

/// Push an empty Contract; the caller fills it without Lua in between. Raises on memory errors.
ContractBox* push_contract(lua_State* L);

/// contract.find_implementations and c:implementations(): check
/// contract.implementations on `id` (`what` names the operation), then push
/// the array of binding ids implementing contract `id` (load order) and
/// return 1; or push `nil, err` and return 2 (NOT_FOUND: no such contract).
int push_implementations(lua_State* L, const char* what, modrt_str id);

}  // namespace modrt::lua
