// The `json` host module (Wippy's lua/data/json.md).
//
//   json.encode(value)                    string, err   values/json_encode.hpp's rules; INTERNAL when
//                                                       a value cannot be encoded
//   json.decode(text)                     value, err    values/json_decode.hpp's rules; INVALID for a
//                                                       non-string or "", INTERNAL for bad JSON
//   json.validate(schema, value)          boolean, err  JSON Schema draft-07 (json_validation.hpp);
//   json.validate_string(schema, text)    boolean, err  schema: a table or JSON text
//
// validate and validate_string give true, or false and a non-retryable
// INVALID error (bad arguments, a schema that does not compile, data that
// does not match: details.violations lists every reason).
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// lua_CFunction opener: pushes the module table (lua_require binds and seals it).
int open_json_module(lua_State* L);

}  // namespace modrt::lua
