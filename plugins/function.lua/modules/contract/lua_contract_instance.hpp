// An opened binding (Wippy's contract instance, contract.md "Calling Methods").
//
//   inst:method(args...)        the bound function's result, or nil, err (its error as it is)
//   inst:method_async(args...)  a future (lua_future.hpp), or nil, err
//   tostring(inst)              "contract instance(<binding id>)"
//
// Every call needs contract.call on the method name (checked against the
// running call: nil, PERMISSION_DENIED); then the kernel calls the bound
// function with the instance's settings (lua_call.hpp), applying funcs.call
// security, interceptors and the contract's validation itself. A method the
// binding does not map gives nil, NOT_FOUND. Any string key reads as a
// method, so `inst.anything` is never nil.
//
// The userdata holds kernel values only (trivially destructible; __gc frees them).
#pragma once

#include "modules/call/call_args.hpp"
#include "modules/call/start_call.hpp"
#include "modules/security/lua_security_check.hpp"

#include <modrt/abi.h>

#include <lua.hpp>

namespace modrt::lua {

struct InstanceBox {
    CallSettings settings;   ///< what every call of the instance gets
    modrt_value* binding;    ///< owned string: the binding id
    modrt_value* methods;    ///< owned map: method name -> function id
    modrt_value* contracts;  ///< owned array: ids of the contracts the binding implements
};

/// Push an empty instance; the caller fills it (without Lua in between, so a
/// raise never finds it half-made). Raises on memory errors.
InstanceBox* push_instance(lua_State* L);
/// The instance at `idx`, or nullptr.
InstanceBox* test_instance(lua_State* L, int idx);
/// Whether the instance's binding implements contract `id` (contract.is).
bool instance_implements(const InstanceBox& box, modrt_str id) noexcept;

}  // namespace modrt::lua
