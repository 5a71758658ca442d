// json.validate / json.validate_string: JSON Schema (draft-07) validation with
// modrt's validator, the contract plugin's json_schema library (SDK only,
// linked statically into this plugin too). Both sides are JSON text here:
// json.validate writes its Lua arguments with json.encode's rules first, so
// validate(s, v) is validate_string(s, json.encode(v)).
//
// Compiled schemas are cached by their text (as Wippy caches them by content
// hash) in a SchemaCache per module instance, that is per state and
// requiring module, so one thread uses it at a time. It holds at most
// kMaxCachedSchemas and starts over when full.
#pragma once

#include <modrt/abi.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace modrt::contract::json_schema {
class Schema;
}

namespace modrt::lua {

/// Schemas one cache keeps before it is emptied.
inline constexpr size_t kMaxCachedSchemas = 64;

/// Compiled schemas by their JSON text.
class SchemaCache {
public:
    SchemaCache() noexcept;
    ~SchemaCache();
    SchemaCache(const SchemaCache&) = delete;
    SchemaCache& operator=(const SchemaCache&) = delete;

    /// Validate `instance_text` against `schema_text` (both JSON). Returns
    /// nullptr when valid; else an owned, non-retryable error: INVALID for bad
    /// JSON on either side, a schema that does not compile, or an instance that
    /// does not match (its message lists every violation, its details hold
    /// {violations = [{path, keyword, message}]}); INTERNAL when memory runs out.
    /// `fn` prefixes messages ("json.validate"). Never throws, touches no Lua.
    modrt_error* validate(std::string_view schema_text, std::string_view instance_text, const char* fn) noexcept;

private:
    using Compiled = std::unique_ptr<contract::json_schema::Schema>;
    // The schema of `text`, compiled now or earlier; null with `error` set when it does not compile.
    const contract::json_schema::Schema* schema(std::string_view text, std::string& error);

    std::unordered_map<std::string, Compiled> schemas_;
};

}  // namespace modrt::lua
