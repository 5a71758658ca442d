// Opening a binding (contract.open, Contract:open) and what the contract
// module's parts share: the contract host API check, describing contracts,
// id arguments.
//
// Opening asks the kernel for the one binding (contract_describe_binding, abi.h
// minor 5) once: which functions the binding maps its methods to, which
// contracts it implements (contract.is) and which context keys it requires
// (context_required). The instance keeps them; its calls resolve nothing
// more. contract.get and find_implementations read the whole catalog
// (contract_describe).
#pragma once

#include "modules/call/call_args.hpp"
#include "modules/call/start_call.hpp"
#include "modules/security/lua_security_check.hpp"
#include "values/lua_owned.hpp"

#include <modrt/abi.h>

#include <lua.hpp>

namespace modrt::lua {

/// A plain entry id: "ns:name", one colon, both parts non-empty.
bool valid_entry_id(modrt_str id) noexcept;

/// Read the id argument at `idx` (a string "ns:name"): 0, or pushes
/// `nil, err` (INVALID) and returns 2. `*id` stays valid while the string is on the stack.
int read_id_arg(lua_State* L, int idx, const char* what, const char* noun, modrt_str* id);

/// Push an OwnedKernel holding every contract's description (abi.h
/// contract_describe) and return it; or push `nil, err` and return nullptr
/// (INTERNAL outside a call, UNAVAILABLE without a contract provider).
OwnedKernel* describe_contracts(lua_State* L);

/// What to open.
struct OpenRequest {
    const char* what;          ///< "contract.open" or "open", for messages
    modrt_str text;            ///< binding id (or, for contract.open, a contract id) with an optional ?query;
                               ///< {NULL,0} for Contract:open(nil): the contract's default binding
    modrt_str contract;        ///< Contract:open: the contract's id; {NULL,0} for contract.open
    const CallSettings* base;  ///< the Contract's settings, or null
    int scope_idx;             ///< stack index of the scope table (context values), 0 or a nil: none
    int options_idx;           ///< stack index of the options table, 0 or a nil: none
                               ///< (both indices at or below the top: open_instance pushes above it)
};

/// Open an instance (lua_contract_instance.hpp): returns 1 with it pushed,
/// or 2 with `nil, err` pushed. Errors: a malformed id or query, a scope or
/// options argument of the wrong type, a missing context_required key:
/// INVALID; a missing contract, binding or default binding, or a binding
/// that does not implement the contract: NOT_FOUND; contract.open denied on
/// the binding: PERMISSION_DENIED; a binding that failed to load: UNAVAILABLE.
int open_instance(lua_State* L, const OpenRequest& r);

}  // namespace modrt::lua
