// Wippy's Actor (security.md): who a call runs as.
//
//   actor:id()     the id string
//   actor:meta()   a copy of the metadata, as a table (changing it changes nothing)
//   tostring(a)    "Actor(<id>)"
//
// The userdata holds one reference to a kernel actor (modrt_actor), dropped
// by __gc. Actors come from security.actor() (the running call's),
// security.new_actor(id, meta), and are accepted by executor:with_actor and
// by scope:evaluate / policy:evaluate.
#pragma once

#include <modrt/abi.h>

#include <lua.hpp>

namespace modrt::lua {

struct ActorBox {
    const modrt_actor* actor;  ///< one reference; null only while being filled
};

/// Push an empty Actor; the caller stores one owned reference in `actor`
/// (after this returns, so a memory error here leaks nothing). Raises on memory errors.
ActorBox* push_actor(lua_State* L);
/// Push an Actor for `actor` (borrowed: a reference is added). Raises on memory errors.
void push_actor_ref(lua_State* L, const modrt_actor* actor);
/// The actor of the Actor at `idx` (borrowed, valid while the userdata lives), or nullptr.
const modrt_actor* test_actor(lua_State* L, int idx);

}  // namespace modrt::lua
