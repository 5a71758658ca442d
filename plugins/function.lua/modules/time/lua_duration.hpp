// Wippy's Duration value (time.md "Duration") and how the time module reads a
// duration argument.
//
//   time.parse_duration(v)   Duration, err: v a string ("1h30m", Go's syntax:
//                            go_duration.hpp), a number of nanoseconds, or a Duration
//   d:hours() d:minutes() d:seconds()                       float
//   d:milliseconds() d:microseconds() d:nanoseconds()       integral (truncated)
//   tostring(d)                                             Go's form: "1h30m45.5s"
#pragma once

#include <lua.hpp>

#include <cstdint>
#include <string>

namespace modrt::lua {

/// Push a Duration of `ns` nanoseconds. Raises on memory errors.
void push_duration(lua_State* L, int64_t ns);
/// The nanoseconds of the Duration at `idx`, or nullptr when it is not one.
const int64_t* test_duration(lua_State* L, int idx);

/// Read the duration argument at `idx`: a number (nanoseconds, truncated), a
/// string (Go's syntax) or a Duration. On failure returns false with *why set.
bool read_duration(lua_State* L, int idx, int64_t* out, std::string* why);

/// time.parse_duration.
int time_parse_duration(lua_State* L);

}  // namespace modrt::lua
