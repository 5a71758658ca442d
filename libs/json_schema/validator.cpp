#include "validator.hpp"

#include "equality.hpp"
#include "pointer.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <utility>

namespace modrt::contract::json_schema::detail {

namespace {

// The instance's JSON type. INT is Integer; a NUMBER stays Number even when integral
// (type_bits() lets it pass as "integer"), so messages say what the caller really sent.
enum class Kind : uint8_t { Null, Boolean, Integer, Number, String, Bytes, Array, Object };

std::string_view kind_name(Kind k) {
    switch (k) {
        case Kind::Null: return "null";
        case Kind::Boolean: return "boolean";
        case Kind::Integer: return "integer";
        case Kind::Number: return "number";
        case Kind::String: return "string";
        case Kind::Bytes: return "bytes";
        case Kind::Array: return "array";
        case Kind::Object: return "object";
    }
    return "?";
}

bool integral(double d) { return std::isfinite(d) && std::trunc(d) == d; }

// The value being validated: a host value, or a property name, which propertyNames checks
// as a string instance although it is no value of its own in the host's tree.
struct Instance {
    const modrt_value* value = nullptr;
    std::string_view name;
    bool is_name = false;
};

// A "$ref" chain ends somewhere: reject_loops() saw to that at compile time.
bool is_false(const Node* n) {
    while (n->ref) n = n->ref;
    return n->kind == Node::Kind::False;
}

// Search, not full match: JSON Schema patterns are not anchored.
bool search(const std::regex& re, std::string_view s) {
    try {
        return std::regex_search(s.begin(), s.end(), re);
    } catch (const std::regex_error&) {
        return false;  // the input outgrew the matcher (error_complexity, error_stack): no match
    }
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// "1 item", "2 items".
std::string count(uint64_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

class Run {
public:
    Run(const HostValues& host, std::vector<Violation>* out, std::string path = {})
        : host_(host), out_(out), path_(std::move(path)) {}

    bool check(const Node& n, Instance in) {
        if (n.kind == Node::Kind::True) return true;
        bool ok = true;
        if (n.kind == Node::Kind::False) {
            fail(ok, "false", [] { return std::string("no value is allowed here"); });
            return false;
        }
        if (n.ref) return check(*n.ref, in);
        const Kind k = kind_of(in);
        if (n.types && !(type_bits(k, in) & n.types) &&
            !fail(ok, "type", [&] { return "expected " + n.types_text + ", got " + std::string(kind_name(k)); }))
            return false;
        if (n.const_value && !same(in, *n.const_value) && !fail(ok, "const", [&] { return "must be " + n.const_text; }))
            return false;
        if (n.has_enum && !in_enum(n, in) && !fail(ok, "enum", [&] { return "must be one of " + n.enum_text; }))
            return false;
        bool typed = true;
        switch (k) {
            case Kind::Integer:
            case Kind::Number: typed = !n.numeric || numbers(n, in, k); break;
            case Kind::String:
            case Kind::Bytes: typed = !n.string || strings(n, in, k); break;
            case Kind::Array: typed = !n.array || arrays(n, in.value); break;
            case Kind::Object: typed = !n.object || objects(n, in.value); break;
            case Kind::Null:
            case Kind::Boolean: break;
        }
        if (!keep(ok, typed)) return false;
        return keep(ok, applicators(n, in)) && ok;
    }

private:
    // Appends one token to the instance path while collecting; takes it off again at scope exit.
    class Step {
    public:
        Step(Run& run, std::string_view key) : run_(run), size_(run.path_.size()) {
            if (run_.out_) append_token(run_.path_, key);
        }
        Step(Run& run, size_t index) : run_(run), size_(run.path_.size()) {
            if (run_.out_) append_index(run_.path_, index);
        }
        ~Step() {
            if (run_.out_) run_.path_.resize(size_);
        }
        Step(const Step&) = delete;
        Step& operator=(const Step&) = delete;

    private:
        Run& run_;
        size_t size_;
    };

    // Records a failure; returns whether to go on. Fast mode stops at the first one, and
    // builds no message for it.
    template <class Message>
    bool fail(bool& ok, std::string_view keyword, Message&& message) {
        ok = false;
        if (!out_) return false;
        out_->push_back(Violation{path_, std::string(keyword), message()});
        return true;
    }

    // Folds in a sub-result (already recorded where it failed); returns whether to go on.
    bool keep(bool& ok, bool valid) const {
        if (!valid) ok = false;
        return valid || out_;
    }

    // Whether `n` accepts `in`, decided in fast mode whatever this run collects: alternatives
    // of anyOf and oneOf, "not", "if" and "contains" may fail without the instance being invalid.
    bool passes(const Node& n, Instance in) const { return Run(host_, nullptr).check(n, in); }

    Kind kind_of(Instance in) const {
        if (in.is_name) return Kind::String;
        switch (host_.type(in.value)) {
            case MODRT_NIL: return Kind::Null;
            case MODRT_BOOL: return Kind::Boolean;
            case MODRT_INT: return Kind::Integer;
            case MODRT_NUMBER: return Kind::Number;
            case MODRT_STRING: return Kind::String;
            case MODRT_BYTES: return Kind::Bytes;
            case MODRT_ARRAY: return Kind::Array;
            case MODRT_MAP: return Kind::Object;
        }
        return Kind::Null;
    }

    uint8_t type_bits(Kind k, Instance in) const {
        switch (k) {
            case Kind::Null: return kNull;
            case Kind::Boolean: return kBoolean;
            case Kind::Integer: return kInteger | kNumber;
            case Kind::Number: return integral(host_.number(in.value)) ? kInteger | kNumber : kNumber;
            case Kind::String:
            case Kind::Bytes: return kString;
            case Kind::Array: return kArray;
            case Kind::Object: return kObject;
        }
        return 0;
    }

    bool same(Instance in, const Json& literal) const {
        return in.is_name ? equal(in.name, literal) : equal(host_, in.value, literal);
    }

    bool in_enum(const Node& n, Instance in) const {
        return std::any_of(n.enum_values.begin(), n.enum_values.end(), [&](const Json* v) { return same(in, *v); });
    }

    std::string number_text(Instance in, Kind k) const {
        return k == Kind::Integer ? std::to_string(host_.integer(in.value))
                                  : detail::number_text(host_.number(in.value));
    }

    bool multiple_of(const Divisor& d, Instance in, Kind k) const {
        if (k == Kind::Integer && d.integral) return host_.integer(in.value) % d.integer == 0;
        double x = k == Kind::Integer ? static_cast<double>(host_.integer(in.value)) : host_.number(in.value);
        double q = x / d.number;
        // Past double range the quotient is useless, but fmod's remainder is still exact.
        if (!std::isfinite(q)) return std::isfinite(x) && std::fmod(x, d.number) == 0;
        // Binary fractions: 0.3 / 0.1 is 2.9999999999999996, which is a multiple to anyone asking.
        double r = std::nearbyint(q);
        return q == r || std::fabs(q - r) <= 8 * DBL_EPSILON * std::fabs(q);
    }

    bool numbers(const Node& n, Instance in, Kind k) {
        bool ok = true;
        const long double x = k == Kind::Integer ? static_cast<long double>(host_.integer(in.value))
                                                 : static_cast<long double>(host_.number(in.value));
        // Written as "!(x >= bound)" so that NaN fails every bound.
        if (n.minimum && !(x >= n.minimum->value) &&
            !fail(ok, "minimum", [&] { return "must be >= " + n.minimum->text + ", got " + number_text(in, k); }))
            return false;
        if (n.maximum && !(x <= n.maximum->value) &&
            !fail(ok, "maximum", [&] { return "must be <= " + n.maximum->text + ", got " + number_text(in, k); }))
            return false;
        if (n.exclusive_minimum && !(x > n.exclusive_minimum->value) && !fail(ok, "exclusiveMinimum", [&] {
                return "must be > " + n.exclusive_minimum->text + ", got " + number_text(in, k);
            }))
            return false;
        if (n.exclusive_maximum && !(x < n.exclusive_maximum->value) && !fail(ok, "exclusiveMaximum", [&] {
                return "must be < " + n.exclusive_maximum->text + ", got " + number_text(in, k);
            }))
            return false;
        if (n.multiple_of && !multiple_of(*n.multiple_of, in, k) && !fail(ok, "multipleOf", [&] {
                return "must be a multiple of " + n.multiple_of->text + ", got " + number_text(in, k);
            }))
            return false;
        return ok;
    }

    bool strings(const Node& n, Instance in, Kind k) {
        bool ok = true;
        const std::string_view s = in.is_name ? in.name : host_.string(in.value);
        if (n.min_length || n.max_length) {
            // BYTES are no UTF-8 text: their length is in bytes.
            const uint64_t length = k == Kind::Bytes ? s.size() : code_points(s);
            if (n.min_length && length < *n.min_length && !fail(ok, "minLength", [&] {
                    return "must be at least " + count(*n.min_length, "character", "characters") + " long, got " +
                           std::to_string(length);
                }))
                return false;
            if (n.max_length && length > *n.max_length && !fail(ok, "maxLength", [&] {
                    return "must be at most " + count(*n.max_length, "character", "characters") + " long, got " +
                           std::to_string(length);
                }))
                return false;
        }
        if (n.pattern && !search(n.pattern->regex, s) &&
            !fail(ok, "pattern", [&] { return "must match the pattern " + quoted(n.pattern->source); }))
            return false;
        if (n.format && !n.format(s) && !fail(ok, "format", [&] { return "is not a valid " + n.format_name; }))
            return false;
        return ok;
    }

    // Two equal items, as {first, second}; none when all differ.
    std::optional<std::pair<size_t, size_t>> duplicate(const modrt_value* v, size_t size) const {
        // Pairwise for short arrays, which keeps the common case free of allocation.
        if (size <= 16) {
            for (size_t j = 1; j < size; ++j)
                for (size_t i = 0; i < j; ++i)
                    if (equal(host_, host_.at(v, i), host_.at(v, j))) return std::pair{i, j};
            return std::nullopt;
        }
        std::vector<std::pair<uint64_t, size_t>> hashed(size);
        for (size_t i = 0; i < size; ++i) hashed[i] = {hash(host_, host_.at(v, i)), i};
        std::sort(hashed.begin(), hashed.end());
        std::optional<std::pair<size_t, size_t>> best;
        for (size_t start = 0; start < size;) {
            size_t end = start + 1;
            while (end < size && hashed[end].first == hashed[start].first) ++end;
            for (size_t b = start + 1; b < end; ++b)
                for (size_t a = start; a < b; ++a) {
                    size_t i = hashed[a].second, j = hashed[b].second;
                    if ((!best || j < best->second) && equal(host_, host_.at(v, i), host_.at(v, j)))
                        best = std::pair{i, j};
                }
            start = end;
        }
        return best;
    }

    bool arrays(const Node& n, const modrt_value* v) {
        bool ok = true;
        const size_t size = host_.size(v);
        if (n.min_items && size < *n.min_items && !fail(ok, "minItems", [&] {
                return "must have at least " + count(*n.min_items, "item", "items") + ", got " + std::to_string(size);
            }))
            return false;
        if (n.max_items && size > *n.max_items && !fail(ok, "maxItems", [&] {
                return "must have at most " + count(*n.max_items, "item", "items") + ", got " + std::to_string(size);
            }))
            return false;
        if (n.tuple) {
            const size_t fixed = std::min(size, n.tuple_items.size());
            for (size_t i = 0; i < fixed; ++i) {
                Step step(*this, i);
                if (!keep(ok, check(*n.tuple_items[i], Instance{host_.at(v, i)}))) return false;
            }
            if (n.additional_items && size > fixed) {
                if (is_false(n.additional_items)) {
                    if (!fail(ok, "additionalItems", [&] {
                            return "must have at most " + count(n.tuple_items.size(), "item", "items") + ", got " +
                                   std::to_string(size);
                        }))
                        return false;
                } else {
                    for (size_t i = fixed; i < size; ++i) {
                        Step step(*this, i);
                        if (!keep(ok, check(*n.additional_items, Instance{host_.at(v, i)}))) return false;
                    }
                }
            }
        } else if (n.items) {
            for (size_t i = 0; i < size; ++i) {
                Step step(*this, i);
                if (!keep(ok, check(*n.items, Instance{host_.at(v, i)}))) return false;
            }
        }
        if (n.unique_items) {
            if (auto pair = duplicate(v, size); pair && !fail(ok, "uniqueItems", [&] {
                                                    return "items " + std::to_string(pair->first) + " and " +
                                                           std::to_string(pair->second) + " are equal";
                                                }))
                return false;
        }
        if (n.contains) {
            bool found = false;
            for (size_t i = 0; i < size && !found; ++i) found = passes(*n.contains, Instance{host_.at(v, i)});
            if (!found && !fail(ok, "contains", [] { return std::string("no item matches the \"contains\" schema"); }))
                return false;
        }
        return ok;
    }

    static const Node* property(const Node& n, std::string_view key) {
        auto it = std::lower_bound(n.properties.begin(), n.properties.end(), key,
                                   [](const NamedSchema& p, std::string_view k) { return p.name < k; });
        return it != n.properties.end() && it->name == key ? it->schema : nullptr;
    }

    bool members(const Node& n, const modrt_value* v, size_t size) {
        bool ok = true;
        // One pass over the instance: the host finds a member by scanning, so looking up each
        // schema property instead would cost properties x members.
        for (size_t i = 0; i < size; ++i) {
            const std::string_view key = host_.key(v, i);
            const Instance member{host_.at(v, i)};
            bool matched = false;
            if (const Node* s = property(n, key)) {
                matched = true;
                Step step(*this, key);
                if (!keep(ok, check(*s, member))) return false;
            }
            for (const PatternSchema& p : n.pattern_properties) {
                if (!search(p.pattern.regex, key)) continue;
                matched = true;
                Step step(*this, key);
                if (!keep(ok, check(*p.schema, member))) return false;
            }
            if (matched || !n.additional_properties) continue;
            Step step(*this, key);
            if (is_false(n.additional_properties)) {
                if (!fail(ok, "additionalProperties", [&] { return "property " + quoted(key) + " is not allowed"; }))
                    return false;
            } else if (!keep(ok, check(*n.additional_properties, member))) {
                return false;
            }
        }
        return ok;
    }

    bool property_names(const Node& schema, const modrt_value* v, size_t size) {
        bool ok = true;
        for (size_t i = 0; i < size; ++i) {
            const std::string_view key = host_.key(v, i);
            const Instance name{nullptr, key, true};
            if (!out_) {
                if (!check(schema, name)) return false;
                continue;
            }
            // Reported at the member, saying that it is its name that is wrong.
            std::vector<Violation> found;
            std::string at = path_;
            append_token(at, key);
            Run(host_, &found, at).check(schema, name);
            for (Violation& x : found) {
                ok = false;
                x.keyword = "propertyNames";
                x.message = "invalid property name " + quoted(key) + ": " + x.message;
                out_->push_back(std::move(x));
            }
        }
        return ok;
    }

    bool objects(const Node& n, const modrt_value* v) {
        bool ok = true;
        const size_t size = host_.size(v);
        if (n.min_properties && size < *n.min_properties && !fail(ok, "minProperties", [&] {
                return "must have at least " + count(*n.min_properties, "property", "properties") + ", got " +
                       std::to_string(size);
            }))
            return false;
        if (n.max_properties && size > *n.max_properties && !fail(ok, "maxProperties", [&] {
                return "must have at most " + count(*n.max_properties, "property", "properties") + ", got " +
                       std::to_string(size);
            }))
            return false;
        for (const std::string& name : n.required)
            if (!host_.find(v, name) &&
                !fail(ok, "required", [&] { return "missing required property " + quoted(name); }))
                return false;
        if ((!n.properties.empty() || !n.pattern_properties.empty() || n.additional_properties) &&
            !keep(ok, members(n, v, size)))
            return false;
        for (const Dependency& d : n.dependencies) {
            if (!host_.find(v, d.property)) continue;
            for (const std::string& name : d.required)
                if (!host_.find(v, name) && !fail(ok, "dependencies", [&] {
                        return "property " + quoted(d.property) + " requires property " + quoted(name);
                    }))
                    return false;
            if (d.schema && !keep(ok, check(*d.schema, Instance{v}))) return false;
        }
        if (n.property_names && !keep(ok, property_names(*n.property_names, v, size))) return false;
        return ok;
    }

    // Why each alternative failed, its first reason: " (0: expected string, got integer; 1: ...)".
    std::string reasons(const std::vector<const Node*>& alternatives, Instance in) const {
        std::string out = " (";
        for (size_t i = 0; i < alternatives.size(); ++i) {
            std::vector<Violation> found;
            Run(host_, &found, path_).check(*alternatives[i], in);
            if (i) out += "; ";
            out += std::to_string(i) + ": ";
            if (found.empty()) continue;
            if (found.front().path != path_) out += "at " + found.front().path + ": ";
            out += found.front().message;
        }
        return out + ")";
    }

    bool applicators(const Node& n, Instance in) {
        bool ok = true;
        for (const Node* s : n.all_of)
            if (!keep(ok, check(*s, in))) return false;
        if (!n.any_of.empty()) {
            bool any = std::any_of(n.any_of.begin(), n.any_of.end(), [&](const Node* s) { return passes(*s, in); });
            if (!any && !fail(ok, "anyOf", [&] { return "matches none of the anyOf schemas" + reasons(n.any_of, in); }))
                return false;
        }
        if (!n.one_of.empty()) {
            constexpr size_t kNone = SIZE_MAX;
            size_t first = kNone, second = kNone;
            for (size_t i = 0; i < n.one_of.size() && second == kNone; ++i) {
                if (!passes(*n.one_of[i], in)) continue;
                (first == kNone ? first : second) = i;
            }
            if (first == kNone &&
                !fail(ok, "oneOf", [&] { return "matches none of the oneOf schemas" + reasons(n.one_of, in); }))
                return false;
            if (second != kNone && !fail(ok, "oneOf", [&] {
                    return "matches oneOf schemas " + std::to_string(first) + " and " + std::to_string(second) +
                           ", but must match exactly one";
                }))
                return false;
        }
        if (n.not_schema && passes(*n.not_schema, in) &&
            !fail(ok, "not", [] { return std::string("must not match the \"not\" schema"); }))
            return false;
        if (n.if_schema) {
            const Node* branch = passes(*n.if_schema, in) ? n.then_schema : n.else_schema;
            if (branch && !keep(ok, check(*branch, in))) return false;
        }
        return ok;
    }

    const HostValues& host_;
    std::vector<Violation>* out_;
    std::string path_;
};

}  // namespace

bool run(const Program& program, const modrt_value* instance, std::vector<Violation>* out) {
    return Run(program.host, out).check(*program.root, Instance{instance});
}

}  // namespace modrt::contract::json_schema::detail
