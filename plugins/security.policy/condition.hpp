// Policy conditions: `field` `operator` `value` (or `value_from`, another field).
// All conditions of a policy must hold for it to apply.
//
// Fields: actor.id, actor.meta.<key>[.<key>...], action, resource, meta.<key>[...].
// A missing field satisfies only the negative operators (ne, nin, ncontains,
// nmatches) and nexists; every negative operator is the exact negation of its
// positive twin. Numbers compare by value (1 == 1.0); other types never equal
// each other. lt/gt/lte/gte compare two numbers or two strings.
#pragma once

#include <modrt/sdk.hpp>

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace modrt::security {

/// What a decision is about: who does what to which resource, with what metadata.
struct Subject {
    const modrt_actor* actor = nullptr;  // null: anonymous
    std::string_view action;
    std::string_view resource;
    ValueView meta;  // nil when none
};

/// A parsed field path.
struct FieldPath {
    enum class Root { ActorId, ActorMeta, Action, Resource, Meta };
    Root root = Root::Action;
    std::vector<std::string> keys;  // below actor.meta / meta
    std::string text;               // as written, for messages
};

enum class Operator { Eq, Ne, Lt, Gt, Lte, Gte, In, Nin, Exists, Nexists, Contains, Ncontains, Matches, Nmatches };

/// One condition, checked once at load.
struct Condition {
    FieldPath field;
    Operator op = Operator::Eq;
    std::shared_ptr<Value> value;  // the literal `value` (null with value_from)
    std::optional<FieldPath> value_from;
    std::optional<std::regex> pattern;  // matches/nmatches
    bool expect = true;                 // exists/nexists: `value: false` inverts

    bool holds(const Subject& s) const;
};

/// Parse `field` ("actor.meta.role"); std::nullopt when it names no known root.
std::optional<FieldPath> parse_field(std::string_view text);

/// Parse one condition map; throws Failure (field "policy.conditions.<index>.<key>") when invalid.
Condition parse_condition(ValueView c, size_t index);

}  // namespace modrt::security
