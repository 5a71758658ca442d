// The `logger` host module (Wippy's lua/system/logger.md): structured lines
// through the kernel's logger (host_api().log), so `modrt --log-level`
// decides which are written. The source of each line is the id of the
// function whose call is running ("function.lua" at a module's top level).
//
//   logger:debug|info|warn|error(message, fields?)   writes "[name: ]message {fields}" (log_line.hpp)
//   logger:with(fields)   Logger with these fields added to every line (a copy: later
//                         changes to the table's keys do not reach it)
//   logger:named(name)    Logger named `name`, or "parent.name" under a named one
//
// The module is the root logger (no name, no fields); Loggers have the same
// methods. Wrong argument types raise (as Wippy's do), and so does an empty
// name (an INVALID error value). A line below the kernel's level costs the
// argument checks only.
#pragma once

#include <lua.hpp>

namespace modrt::lua {

/// lua_CFunction opener: pushes the module table (lua_require binds and seals it).
int open_logger_module(lua_State* L);

}  // namespace modrt::lua
