// A compiled schema: one Node per schema object, every reference already a pointer.
#pragma once

#include "host_values.hpp"
#include "json.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace modrt::contract::json_schema::detail {

// The JSON types as bits, so "type": [...] is one AND. An integral number has both
// Integer and Number set, which is how "integer" accepts 1.0 and "number" accepts 1.
enum TypeBit : uint8_t {
    kNull = 1 << 0,
    kBoolean = 1 << 1,
    kInteger = 1 << 2,
    kNumber = 1 << 3,
    kString = 1 << 4,
    kArray = 1 << 5,
    kObject = 1 << 6,
};

struct Pattern {
    std::string source;
    std::regex regex;  // ECMAScript; matched with regex_search (patterns are not anchored)
};

struct Bound {
    long double value;
    std::string text;  // as the schema wrote it, for messages
};

struct Divisor {
    bool integral;  // an int64 divisor divides int64 instances exactly
    int64_t integer;
    double number;
    std::string text;
};

using FormatCheck = bool (*)(std::string_view);

struct Node;

struct NamedSchema {
    std::string name;
    const Node* schema;
};

struct PatternSchema {
    Pattern pattern;
    const Node* schema;
};

struct Dependency {
    std::string property;               // when the instance has it...
    std::vector<std::string> required;  // ...it must have these (array form)
    const Node* schema = nullptr;       // ...and match this (schema form)
};

struct Node {
    enum class Kind : uint8_t { True, False, Schema };
    Kind kind = Kind::Schema;
    std::string location;  // where the schema sits, for compile errors

    // Draft 7: a "$ref" makes every sibling keyword be ignored.
    const Node* ref = nullptr;

    uint8_t types = 0;  // TypeBit set; 0 when there is no "type"
    std::string types_text;
    const Json* const_value = nullptr;
    std::string const_text;
    bool has_enum = false;
    std::vector<const Json*> enum_values;
    std::string enum_text;

    std::vector<const Node*> all_of, any_of, one_of;
    const Node* not_schema = nullptr;
    const Node* if_schema = nullptr;  // null unless "then" or "else" is there too
    const Node* then_schema = nullptr;
    const Node* else_schema = nullptr;

    std::optional<Bound> minimum, maximum, exclusive_minimum, exclusive_maximum;
    std::optional<Divisor> multiple_of;

    std::optional<uint64_t> min_length, max_length;  // in code points
    std::optional<Pattern> pattern;
    FormatCheck format = nullptr;  // null for formats we do not check
    std::string format_name;

    bool tuple = false;           // "items" is an array: tuple_items, then additional_items
    const Node* items = nullptr;  // "items" is one schema for every item
    std::vector<const Node*> tuple_items;
    const Node* additional_items = nullptr;
    std::optional<uint64_t> min_items, max_items;
    bool unique_items = false;
    const Node* contains = nullptr;

    std::optional<uint64_t> min_properties, max_properties;
    std::vector<std::string> required;
    std::vector<NamedSchema> properties;  // sorted by name, searched per instance member
    std::vector<PatternSchema> pattern_properties;
    const Node* additional_properties = nullptr;
    std::vector<Dependency> dependencies;
    const Node* property_names = nullptr;

    // Whether any keyword of the group is present: an instance of another type skips it whole.
    bool numeric = false, string = false, array = false, object = false;
};

// Everything a compiled schema owns. Deques: nodes and documents point into each other.
struct Program {
    explicit Program(const modrt_host_api& h) : host(h) {}
    HostValues host;
    std::deque<Json> documents;
    std::deque<Node> nodes;
    const Node* root = nullptr;
};

}  // namespace modrt::contract::json_schema::detail
