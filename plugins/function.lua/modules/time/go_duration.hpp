// Duration strings as Wippy's time module (Go's time.ParseDuration) reads and
// writes them: "1h30m45s500ms", "-1.5h", "300ms", "0"; units ns, us (or µs),
// ms, s, m, h. Each number-and-unit part is read with modrt's own duration
// parser (modrt/duration.hpp), whose syntax for one part is the same; what Go
// adds around it (several parts, a sign, bare "0") is read here. Pure C++.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace modrt::lua::gotime {

/// Nanoseconds in `text`, or nullopt with *why set to Go's message
/// (`time: invalid duration "x"`, `time: unknown unit "d" in duration "1d"`, ...).
std::optional<int64_t> parse_go_duration(std::string_view text, std::string* why);

/// Go's Duration.String(): "1h30m45.5s", "500ms", "1.5µs", "0s".
std::string format_go_duration(int64_t ns);

/// Go's quoting of a value in its time messages ("..." with \" and \xHH escapes).
std::string go_quote(std::string_view s);

}  // namespace modrt::lua::gotime
