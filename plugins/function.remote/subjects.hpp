// NATS subjects of remote calls. A function's subject is `<prefix>.<id>` with the id as it is:
// `:` is an ordinary subject character, and the dots of a namespace become subject tokens, so
// NATS permissions can allow a whole namespace (`modrt.call.app.api.>`). The mapping is the
// identity, hence never ambiguous; ids a subject cannot hold (white space, `*`, `>`, empty
// tokens) are refused at load. Cancels go to `<prefix>.cancel`, which no id can name (ids have a `:`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace modrt::remote {

inline constexpr std::string_view kDefaultPrefix = "modrt.call";

/// Why `prefix` cannot start subjects (empty or wildcard tokens, white space); nullopt when fine.
std::optional<std::string> prefix_problem(std::string_view prefix);
/// Why `id` cannot be a function's subject; nullopt when fine.
std::optional<std::string> function_id_problem(std::string_view id);

inline std::string function_subject(std::string_view prefix, std::string_view id) {
    return std::string(prefix) + "." + std::string(id);
}
inline std::string cancel_subject(std::string_view prefix) { return std::string(prefix) + ".cancel"; }

}  // namespace modrt::remote
