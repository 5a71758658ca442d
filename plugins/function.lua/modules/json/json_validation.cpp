// JSON Schema validation for the json module (json_validation.hpp).
#include "modules/json/json_validation.hpp"

#include "modules/json/json_host_value.hpp"

#include "json_schema/schema.hpp"

#include <modrt/sdk.hpp>

#include <vector>

namespace modrt::lua {
namespace {

namespace js = contract::json_schema;

modrt_error* new_error(modrt_error_kind kind, const std::string& message) noexcept {
    modrt_error* e = host_api().error_new(kind, to_str(message));
    host_api().error_set_retryable(e, 0);  // Wippy's tables: none of these is retryable
    return e;
}

// "(root)" or the JSON Pointer into the instance, as the contract plugin shows them.
std::string_view shown(std::string_view path) { return path.empty() ? std::string_view("(root)") : path; }

modrt_error* violations_error(const std::vector<js::Violation>& violations, const char* fn) {
    std::string message = std::string(fn) + ": the value does not match the schema: ";
    for (size_t i = 0; i < violations.size(); ++i) {
        const js::Violation& v = violations[i];
        message += i ? "; " : "";
        message += std::string(shown(v.path)) + ": " + v.message + " (" + v.keyword + ")";
    }
    modrt_error* e = new_error(MODRT_ERR_INVALID, message);
    ValueSlot details(host_api().error_details_mut(e));
    details.set_map(1);
    ValueSlot list = details.insert("violations");
    list.set_array(violations.size());
    for (const js::Violation& v : violations) {
        ValueSlot item = list.push();
        item.set_map(3);
        item.insert("path").set_string(v.path);
        item.insert("keyword").set_string(v.keyword);
        item.insert("message").set_string(v.message);
    }
    return e;
}

}  // namespace

SchemaCache::SchemaCache() noexcept = default;
SchemaCache::~SchemaCache() = default;

const js::Schema* SchemaCache::schema(std::string_view text, std::string& error) {
    auto found = schemas_.find(std::string(text));
    if (found != schemas_.end()) return found->second.get();
    Value value;
    JsonValueError bad_json;
    if (!parse_json_value(text, value.raw(), bad_json)) {
        error = std::string("the schema is not valid JSON: ") + bad_json.message;
        return nullptr;
    }
    Compiled compiled = js::Schema::compile(host_api(), value.raw(), &error);
    if (!compiled) {
        error = "the schema does not compile: " + error;
        return nullptr;
    }
    if (schemas_.size() >= kMaxCachedSchemas) schemas_.clear();
    return schemas_.emplace(std::string(text), std::move(compiled)).first->second.get();
}

modrt_error* SchemaCache::validate(std::string_view schema_text, std::string_view instance_text,
                                   const char* fn) noexcept {
    try {
        std::string error;
        const js::Schema* s = schema(schema_text, error);
        if (s == nullptr) return new_error(MODRT_ERR_INVALID, std::string(fn) + ": " + error);
        Value instance;
        JsonValueError bad_json;
        if (!parse_json_value(instance_text, instance.raw(), bad_json))
            return new_error(MODRT_ERR_INVALID, std::string(fn) + ": the data is not valid JSON: " + bad_json.message);
        if (s->validate(instance.raw())) return nullptr;
        std::vector<js::Violation> violations;
        s->validate(instance.raw(), &violations);  // again, collecting every reason this time
        if (violations.empty()) violations.push_back({"", "schema", "does not match the schema"});
        return violations_error(violations, fn);
    } catch (...) {  // std::bad_alloc: no std::string here
        modrt_error* e = host_api().error_new(MODRT_ERR_INTERNAL, to_str("json: out of memory while validating"));
        host_api().error_set_retryable(e, 0);
        return e;
    }
}

}  // namespace modrt::lua
