// Kernel objects held by Lua while a Lua C function works with them.
//
// A Lua C function may raise (a conversion fails, memory runs out) at almost
// any Lua API call, and raising longjmps past C++ destructors. So the kernel
// values and errors such a function creates live in a userdata: __gc frees
// them if the function raises, release_owned frees them at once when it
// does not. The helpers below run conversions under lua_pcall so that a bad
// argument becomes an error value the function can return instead.
#pragma once

#include <modrt/abi.h>

#include <lua.hpp>

namespace modrt::lua {

/// A kernel value and error owned by a Lua userdata (trivially destructible).
struct OwnedKernel {
    modrt_value* value = nullptr;  ///< owned, created by push_owned
    modrt_error* error = nullptr;  ///< owned when set
};

/// Push a userdata owning a new nil value. Raises on memory errors.
OwnedKernel* push_owned(lua_State* L);
/// Free what `o` owns now (the userdata stays, empty). Never raises.
void release_owned(OwnedKernel* o) noexcept;

/// Push the metatable registered under `key` (made on first use) of a userdata whose
/// only behaviour is `gc` on collection; its __metatable is false. Raises on memory errors.
void push_gc_metatable(lua_State* L, char* key, lua_CFunction gc);

/// to_modrt_value under lua_pcall. On failure pushes the error value (an
/// error userdata) and returns false; on success pushes nothing.
bool to_modrt_protected(lua_State* L, int idx, modrt_value* out, const char* what);
/// push_modrt_value under lua_pcall. Pushes the value and returns true, or
/// pushes the error value and returns false.
bool push_modrt_protected(lua_State* L, const modrt_value* value);

/// Push nil and a new, non-retryable error of `kind` with `message` (the `nil, err` return); returns 2.
int return_error(lua_State* L, modrt_error_kind kind, const char* message);

/// Push o->error (a kernel error, set) as an error value keeping all it has
/// (push_modrt_error), then free what `o` owns; its userdata stays, empty.
/// Raises only on memory errors, and the userdata's __gc frees `o` then.
void push_owned_error(lua_State* L, OwnedKernel* o);
/// The `nil, err` return of a kernel call that failed into `o`: nil, then
/// push_owned_error. Returns 2.
int return_owned_error(lua_State* L, OwnedKernel* o);
/// The `nil, err` return of the error value on top of the stack (what a failed
/// to_modrt_protected / push_modrt_protected left): puts nil below it. Returns 2.
int return_error_on_top(lua_State* L);

}  // namespace modrt::lua
