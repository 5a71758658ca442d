// Conditions (condition.hpp).
#include "condition.hpp"

#include <array>
#include <cmath>
#include <utility>

namespace modrt::security {
namespace {

constexpr std::array<std::pair<std::string_view, Operator>, 14> kOperators{{
    {"eq", Operator::Eq},
    {"ne", Operator::Ne},
    {"lt", Operator::Lt},
    {"gt", Operator::Gt},
    {"lte", Operator::Lte},
    {"gte", Operator::Gte},
    {"in", Operator::In},
    {"nin", Operator::Nin},
    {"exists", Operator::Exists},
    {"nexists", Operator::Nexists},
    {"contains", Operator::Contains},
    {"ncontains", Operator::Ncontains},
    {"matches", Operator::Matches},
    {"nmatches", Operator::Nmatches},
}};

/// A field's value as read for one decision: a string root (actor.id, action,
/// resource) or a value inside actor.meta / meta; `present` false when missing.
struct Operand {
    bool present = false;
    bool is_text = false;
    std::string_view text;
    ValueView value;

    modrt_value_type type() const { return is_text ? MODRT_STRING : value.type(); }
    std::string_view string() const { return is_text ? text : value.as_string(); }
};

Operand of_value(ValueView v) {
    Operand o;
    o.present = v.raw() != nullptr && !v.is_nil();
    o.value = v;
    return o;
}

Operand of_text(std::string_view t) {
    Operand o;
    o.present = true;
    o.is_text = true;
    o.text = t;
    return o;
}

Operand read(const FieldPath& f, const Subject& s) {
    const modrt_host_api& h = host_api();
    ValueView v;
    switch (f.root) {
        case FieldPath::Root::ActorId: return s.actor ? of_text(to_view(h.actor_id(s.actor))) : Operand{};
        case FieldPath::Root::Action: return of_text(s.action);
        case FieldPath::Root::Resource: return of_text(s.resource);
        case FieldPath::Root::ActorMeta:
            if (s.actor == nullptr) return {};
            v = ValueView(h.actor_meta(s.actor));
            break;
        case FieldPath::Root::Meta: v = s.meta; break;
    }
    for (const auto& key : f.keys) {
        if (!v.is_map()) return {};
        v = v.find(key);
    }
    return of_value(v);
}

bool is_number(modrt_value_type t) { return t == MODRT_INT || t == MODRT_NUMBER; }

// -1, 0, 1, or std::nullopt when the two cannot be ordered (different kinds).
std::optional<int> compare(const Operand& a, const Operand& b) {
    modrt_value_type ta = a.type(), tb = b.type();
    if (is_number(ta) && is_number(tb)) {
        if (ta == MODRT_INT && tb == MODRT_INT) {
            int64_t x = a.value.as_int(), y = b.value.as_int();
            return x < y ? -1 : x > y ? 1 : 0;
        }
        double x = a.value.as_number(), y = b.value.as_number();
        if (std::isnan(x) || std::isnan(y)) return std::nullopt;
        return x < y ? -1 : x > y ? 1 : 0;
    }
    if (ta == MODRT_STRING && tb == MODRT_STRING) {
        int c = a.string().compare(b.string());
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    return std::nullopt;
}

bool equal(const Operand& a, const Operand& b) {
    if (!a.present || !b.present) return false;
    modrt_value_type ta = a.type(), tb = b.type();
    if (ta == MODRT_BOOL && tb == MODRT_BOOL) return a.value.as_bool() == b.value.as_bool();
    std::optional<int> c = compare(a, b);
    return c && *c == 0;
}

// `field in list`: list is an array of candidates.
bool in_list(const Operand& field, const Operand& list) {
    if (!field.present || !list.present || list.type() != MODRT_ARRAY) return false;
    for (size_t i = 0; i < list.value.size(); ++i)
        if (equal(field, of_value(list.value[i]))) return true;
    return false;
}

// A string containing a substring, or an array containing an item.
bool contains(const Operand& field, const Operand& needle) {
    if (!field.present || !needle.present) return false;
    if (field.type() == MODRT_STRING && needle.type() == MODRT_STRING)
        return field.string().find(needle.string()) != std::string_view::npos;
    if (field.type() == MODRT_ARRAY) {
        for (size_t i = 0; i < field.value.size(); ++i)
            if (equal(of_value(field.value[i]), needle)) return true;
    }
    return false;
}

bool positive(Operator op, const Condition& c, const Operand& field, const Operand& other) {
    switch (op) {
        case Operator::Eq: return equal(field, other);
        case Operator::Lt: {
            auto r = field.present && other.present ? compare(field, other) : std::nullopt;
            return r && *r < 0;
        }
        case Operator::Gt: {
            auto r = field.present && other.present ? compare(field, other) : std::nullopt;
            return r && *r > 0;
        }
        case Operator::Lte: {
            auto r = field.present && other.present ? compare(field, other) : std::nullopt;
            return r && *r <= 0;
        }
        case Operator::Gte: {
            auto r = field.present && other.present ? compare(field, other) : std::nullopt;
            return r && *r >= 0;
        }
        case Operator::In: return in_list(field, other);
        case Operator::Exists: return field.present == c.expect;
        case Operator::Contains: return contains(field, other);
        case Operator::Matches: {
            if (!field.present || field.type() != MODRT_STRING) return false;
            std::string_view s = field.string();
            return std::regex_search(s.begin(), s.end(), *c.pattern);
        }
        default: return false;  // negative operators are mapped to these before the call
    }
}

Operator positive_twin(Operator op) {
    switch (op) {
        case Operator::Ne: return Operator::Eq;
        case Operator::Nin: return Operator::In;
        case Operator::Nexists: return Operator::Exists;
        case Operator::Ncontains: return Operator::Contains;
        case Operator::Nmatches: return Operator::Matches;
        default: return op;
    }
}

[[noreturn]] void invalid(size_t index, std::string_view key, const std::string& message) {
    std::string field = "policy.conditions." + std::to_string(index);
    if (!key.empty()) field += "." + std::string(key);
    throw Failure(
        Error(MODRT_ERR_INVALID, "policy.conditions[" + std::to_string(index) + "]: " + message).set_field(field));
}

}  // namespace

std::optional<FieldPath> parse_field(std::string_view text) {
    FieldPath f;
    f.text = std::string(text);
    std::string_view rest;
    if (text == "actor.id") f.root = FieldPath::Root::ActorId;
    else if (text == "action") f.root = FieldPath::Root::Action;
    else if (text == "resource") f.root = FieldPath::Root::Resource;
    else if (text.starts_with("actor.meta.")) f.root = FieldPath::Root::ActorMeta, rest = text.substr(11);
    else if (text.starts_with("meta.")) f.root = FieldPath::Root::Meta, rest = text.substr(5);
    else return std::nullopt;
    if (f.root == FieldPath::Root::ActorMeta || f.root == FieldPath::Root::Meta) {
        while (true) {
            size_t dot = rest.find('.');
            std::string_view key = rest.substr(0, dot);
            if (key.empty()) return std::nullopt;  // "meta." or "meta..x"
            f.keys.emplace_back(key);
            if (dot == std::string_view::npos) break;
            rest.remove_prefix(dot + 1);
        }
    }
    return f;
}

Condition parse_condition(ValueView c, size_t index) {
    if (!c.is_map()) invalid(index, "", "expected a map with field, operator and value (or value_from)");
    for (size_t i = 0; i < c.size(); ++i) {
        std::string_view k = c.key(i);
        if (k != "field" && k != "operator" && k != "value" && k != "value_from")
            invalid(index, k,
                    "unknown key '" + std::string(k) + "' (a condition has field, operator, value, value_from)");
    }
    Condition out;
    ValueView field = c.find("field");
    std::optional<FieldPath> path = field.is_string() ? parse_field(field.as_string()) : std::nullopt;
    if (!path)
        invalid(index, "field",
                "field must be actor.id, actor.meta.<key>, action, resource or meta.<key>" +
                    (field.is_string() ? ", not '" + std::string(field.as_string()) + "'" : std::string()));
    out.field = std::move(*path);

    ValueView op = c.find("operator");
    bool known = false;
    for (const auto& [name, value] : kOperators)
        if (op.is_string() && op.as_string() == name) out.op = value, known = true;
    if (!known)
        invalid(index, "operator",
                "unknown operator" + (op.is_string() ? " '" + std::string(op.as_string()) + "'" : std::string()) +
                    " (one of eq ne lt gt lte gte in nin exists nexists contains ncontains matches nmatches)");

    bool has_value = c.has("value"), has_from = c.has("value_from");
    bool existence = out.op == Operator::Exists || out.op == Operator::Nexists;
    if (has_value && has_from) invalid(index, "value_from", "give value or value_from, not both");
    if (has_from) {
        if (existence) invalid(index, "value_from", "exists/nexists take no value_from");
        ValueView from = c.find("value_from");
        std::optional<FieldPath> other = from.is_string() ? parse_field(from.as_string()) : std::nullopt;
        if (!other) invalid(index, "value_from", "value_from must be a field path such as actor.id or meta.owner");
        if (out.op == Operator::Matches || out.op == Operator::Nmatches)
            invalid(index, "value_from", "matches/nmatches need a literal regex in value");
        out.value_from = std::move(*other);
        return out;
    }
    ValueView value = c.find("value");
    if (existence) {
        if (has_value && value.type() != MODRT_BOOL) invalid(index, "value", "exists/nexists take value true or false");
        out.expect = !has_value || value.as_bool();
        return out;
    }
    if (!has_value) invalid(index, "", "needs value or value_from");
    if ((out.op == Operator::In || out.op == Operator::Nin) && !value.is_array())
        invalid(index, "value", "in/nin need a list value");
    if (out.op == Operator::Matches || out.op == Operator::Nmatches) {
        if (!value.is_string()) invalid(index, "value", "matches/nmatches need a regex string");
        try {
            out.pattern.emplace(std::string(value.as_string()), std::regex::ECMAScript | std::regex::optimize);
        } catch (const std::regex_error& e) {
            invalid(index, "value", "bad regex '" + std::string(value.as_string()) + "': " + e.what());
        }
    }
    out.value = std::make_shared<Value>(value);
    return out;
}

bool Condition::holds(const Subject& s) const {
    Operand field_value = read(field, s);
    Operand other = value_from ? read(*value_from, s) : value ? of_value(value->view()) : Operand{};
    Operator twin = positive_twin(op);
    bool result = positive(twin, *this, field_value, other);
    return twin == op ? result : !result;
}

}  // namespace modrt::security
