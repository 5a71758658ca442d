// What contract.definition and contract.binding entries say, read and checked on
// their own at load (create_entry). References between entries are checked later,
// once the whole registry is there (ContractEngine::load_finished).
#pragma once

#include "json_schema/schema.hpp"

#include <modrt/sdk.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace modrt::contract {

/// The one schema format this provider understands.
inline constexpr std::string_view kSchemaFormat = "application/schema+json";

/// One method of a contract.
struct Method {
    std::string name;
    ValueView description;     // the entry's `description` (nil when absent); borrowed from the registry
    ValueView input_schemas;   // the entry's list as written (nil when absent); for describe
    ValueView output_schemas;  // likewise
    std::vector<std::unique_ptr<json_schema::Schema>> inputs;   // compiled once, at load
    std::vector<std::unique_ptr<json_schema::Schema>> outputs;  // compiled once, at load
};

/// A `contract.definition` entry.
struct Contract {
    std::string id;
    std::string file;
    int64_t line = 0;
    std::vector<Method> methods;

    const Method* find(std::string_view name) const noexcept {
        for (const Method& m : methods)
            if (m.name == name) return &m;
        return nullptr;
    }
    /// "a, b, c" for messages.
    std::string method_names() const;
};

/// One item of a binding's `contracts` list.
struct BindingItem {
    size_t index = 0;      // position in `contracts` (for field paths)
    std::string contract;  // full id
    bool is_default = false;
    std::vector<std::pair<std::string, std::string>> methods;  // method -> function id, as listed
    std::vector<std::string> context_required;                 // binding-level keys, then the item's own

    const std::string* function_of(std::string_view method) const noexcept {
        for (const auto& [m, f] : methods)
            if (m == method) return &f;
        return nullptr;
    }
};

/// A `contract.binding` entry.
struct Binding {
    enum class State : uint8_t {
        Pending,  // created; references not checked yet (invisible to calls)
        Ready,    // checked at load_finished: in force
        Broken,   // a reference is wrong: reported as a registry error, never used
    };
    std::string id;
    std::string file;
    int64_t line = 0;
    uint64_t seq = 0;  // creation order: the first default of a contract wins
    std::vector<BindingItem> items;
    State state = State::Pending;
    std::string problem;  // the first problem when Broken
};

/// Read a contract.definition entry; throws Failure(INVALID) with the field at fault.
std::unique_ptr<Contract> parse_contract(const modrt_host_api& host, const EntryInfo& info);
/// Read a contract.binding entry; throws Failure(INVALID) with the field at fault.
std::unique_ptr<Binding> parse_binding(const EntryInfo& info);

/// `ref` as a full id: "ns:name" as is, a bare "name" in namespace `ns`; "" when malformed.
std::string full_id(std::string_view ref, std::string_view ns);
/// Whether `id` is "ns:name" with both parts made of letters, digits, '_', '-' and '.'.
bool valid_id(std::string_view id);

}  // namespace modrt::contract
