#include "json_schema/schema.hpp"

#include "compiler.hpp"
#include "validator.hpp"

#include <exception>

namespace modrt::contract::json_schema {

Schema::Schema(Key, std::unique_ptr<const detail::Program> program) noexcept : program_(std::move(program)) {}

Schema::~Schema() = default;

std::unique_ptr<Schema> Schema::compile(const modrt_host_api& host, const modrt_value* schema, std::string* error) {
    return compile(host, schema, {}, error);
}

std::unique_ptr<Schema> Schema::compile(const modrt_host_api& host, const modrt_value* schema,
                                        std::span<const Document> documents, std::string* error) {
    // Callers sit at the plugin boundary, where exceptions must not pass: every failure,
    // allocation included, comes back as null plus a message.
    try {
        return std::make_unique<Schema>(Key{}, detail::compile_program(host, schema, documents));
    } catch (const std::exception& e) {
        if (error) *error = e.what();
    } catch (...) {
        if (error) *error = "invalid schema: unknown error";
    }
    return nullptr;
}

bool Schema::validate(const modrt_value* instance, std::vector<Violation>* out) const {
    return detail::run(*program_, instance, out);
}

}  // namespace modrt::contract::json_schema
