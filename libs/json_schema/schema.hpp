// JSON Schema draft-07 validation of host values: what the contract plugin checks
// call arguments and results with. Reads values only through the host API, so it
// links into a plugin built against the SDK alone.
//
//   std::string error;
//   auto schema = Schema::compile(host, schema_value, &error);   // once, at load
//   if (!schema) ... error names the schema location ...
//   std::vector<Violation> why;
//   if (!schema->validate(args, &why)) ... every violation, with its instance path ...
#pragma once

#include <modrt/abi.h>

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace modrt::contract::json_schema {

/// One reason an instance does not match.
struct Violation {
    std::string path;     ///< JSON Pointer into the instance ("" = root, "/user/name", "/items/0")
    std::string keyword;  ///< the schema keyword that failed: "type", "required", "minimum", ...
    std::string message;  ///< for people: "expected integer, got string"
};

/// A schema that others may `$ref` by URI (shared definitions), handed over at compile time
/// because the validator never fetches anything. Borrowed for the duration of compile().
struct Document {
    std::string_view uri;      ///< absolute URI it is known by (its own `$id`, if any, also works)
    const modrt_value* value;  ///< the schema
};

namespace detail {
struct Program;
}

/// A compiled schema: immutable, safe to use from many threads at once. It keeps a copy of
/// the host's value-reading hooks, so it may outlive the host table it was compiled with
/// (those hooks are the kernel's, valid for the whole process).
class Schema {
    // Only compile() makes Schemas; the key lets it do so through make_unique.
    struct Key {
        explicit Key() = default;
    };

public:
    /// Compile once at load. On an invalid schema (unknown type name, bad regex, unresolvable
    /// `$ref`, keyword value of the wrong type, `$ref` loop that never consumes the instance)
    /// returns null and, when `error` is not null, sets it to a message naming the schema
    /// location as a JSON Pointer. `$ref` to the draft-07 metaschema URI always resolves.
    static std::unique_ptr<Schema> compile(const modrt_host_api& host, const modrt_value* schema, std::string* error);
    /// The same, with further documents `schema` may reference by URI.
    static std::unique_ptr<Schema> compile(const modrt_host_api& host, const modrt_value* schema,
                                           std::span<const Document> documents, std::string* error);

    /// True when `instance` is valid. With `out`, every violation is appended to it (not only
    /// the first); without, validation stops at the first failure and allocates nothing beyond
    /// what std::regex does for `pattern`, `patternProperties` and format "regex".
    bool validate(const modrt_value* instance, std::vector<Violation>* out = nullptr) const;

    Schema(Key, std::unique_ptr<const detail::Program> program) noexcept;
    ~Schema();
    Schema(const Schema&) = delete;
    Schema& operator=(const Schema&) = delete;

private:
    std::unique_ptr<const detail::Program> program_;
};

}  // namespace modrt::contract::json_schema
