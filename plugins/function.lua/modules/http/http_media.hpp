// Media types in request headers (RFC 9110 8.3 Content-Type, 12.5.1 Accept),
// for req:is_content_type and req:accepts. Pure string work, no Lua.
#pragma once

#include <string_view>

namespace modrt::lua {

/// Whether the media type of `content_type` (a Content-Type value, parameters
/// after ';' ignored) is `wanted` (its parameters ignored too), case-insensitively.
bool media_type_is(std::string_view content_type, std::string_view wanted) noexcept;

/// Whether an Accept header value admits media type `type`: some range in it
/// is `*/*`, `major/*` or the type itself (case-insensitive) with a q above 0.
/// An empty value admits everything (as a missing header does).
bool accept_admits(std::string_view accept, std::string_view type) noexcept;

}  // namespace modrt::lua
