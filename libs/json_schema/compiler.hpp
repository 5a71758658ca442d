// Schema documents -> a Program of linked Nodes, with every "$ref" resolved.
#pragma once

#include "json_schema/schema.hpp"
#include "node.hpp"

#include <memory>
#include <span>
#include <stdexcept>

namespace modrt::contract::json_schema::detail {

// An invalid schema; what() names the location ("at /properties/a/type: ...").
struct CompileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Throws CompileError.
std::unique_ptr<Program> compile_program(const modrt_host_api& host, const modrt_value* schema,
                                         std::span<const Document> documents);

}  // namespace modrt::contract::json_schema::detail
