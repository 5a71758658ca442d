// URI references (RFC 3986): how `$id` moves the base URI and `$ref` finds its target.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace modrt::contract::json_schema::detail {

// The five components of RFC 3986 appendix B; a component absent from the text is
// distinct from an empty one ("a:b" has no query, "a:b?" an empty one).
struct UriParts {
    std::string_view scheme, authority, path, query, fragment;
    bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

UriParts split_uri(std::string_view uri);

// `reference` resolved against `base` (RFC 3986 section 5.2). An empty base leaves relative
// references relative, which is how a schema without `$id` refers to itself ("#/definitions/a").
std::string resolve_uri(std::string_view base, std::string_view reference);

// {everything before the first "#", everything after it}; the fragment is empty when absent.
std::pair<std::string_view, std::string_view> split_fragment(std::string_view uri);

// "%25" -> "%"; a "%" not followed by two hex digits stays as it is.
std::string percent_decode(std::string_view text);

}  // namespace modrt::contract::json_schema::detail
