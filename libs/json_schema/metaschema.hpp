// The draft-07 metaschema, built in: schemas `$ref` it to validate schemas, and the
// validator never fetches anything over the network.
#pragma once

#include <string_view>

namespace modrt::contract::json_schema::detail {

// Without the trailing "#" (an empty fragment names the same document).
inline constexpr std::string_view kDraft07Uri = "http://json-schema.org/draft-07/schema";

// JSON text of http://json-schema.org/draft-07/schema#.
std::string_view draft07_metaschema();

}  // namespace modrt::contract::json_schema::detail
