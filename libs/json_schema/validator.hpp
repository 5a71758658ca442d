// Applies a compiled Program to an instance.
#pragma once

#include "json_schema/schema.hpp"
#include "node.hpp"

#include <vector>

namespace modrt::contract::json_schema::detail {

// With `out`, appends every violation; without, stops at the first.
bool run(const Program& program, const modrt_value* instance, std::vector<Violation>* out);

}  // namespace modrt::contract::json_schema::detail
