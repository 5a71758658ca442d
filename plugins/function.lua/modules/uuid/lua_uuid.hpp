// The `uuid` host module (Wippy's lua/security/uuid.md).
//
//   uuid.v1(), uuid.v4(), uuid.v7()       string, err   (uuid_generate.hpp)
//   uuid.v3(namespace, name), uuid.v5(namespace, name)   string, err
//   uuid.validate(input)                  boolean       false for anything but a UUID string
//   uuid.version(id)                      integer, err
//   uuid.variant(id)                      string, err   "RFC4122", "Microsoft", "NCS" or "Future"
//   uuid.parse(id)                        table, err    {version, variant, timestamp (v1, v7), node (v1)}
//   uuid.format(id, format?)              string, err   "standard" (default), "simple", "urn"
//
// UUIDs come out lower-case and hyphenated. Inputs may be any form
// parse_uuid accepts (uuid_text.hpp). Bad inputs give nil and a
// non-retryable INVALID error, a failed random generator INTERNAL.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// lua_CFunction opener: pushes the module table (lua_require binds and seals it).
int open_uuid_module(lua_State* L);

}  // namespace modrt::lua
