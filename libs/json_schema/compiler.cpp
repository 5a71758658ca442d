#include "compiler.hpp"

#include "format.hpp"
#include "metaschema.hpp"
#include "pointer.hpp"
#include "regex.hpp"
#include "uri.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <utility>

namespace modrt::contract::json_schema::detail {

namespace {

// Where a schema sits, and the base URI in effect there before its own "$id".
struct Place {
    const Json* json;
    std::string base;
    std::string location;
};

std::string describe(std::string_view location) {
    return location.empty() ? std::string("the schema root") : std::string(location);
}

[[noreturn]] void fail(std::string_view location, std::string_view message) {
    throw CompileError("invalid schema at " + describe(location) + ": " + std::string(message));
}

std::string child(std::string_view location, std::string_view key) {
    std::string out(location);
    append_token(out, key);
    return out;
}

std::string child(std::string_view location, size_t index) {
    std::string out(location);
    append_index(out, index);
    return out;
}

std::string_view type_name(const Json& v) {
    switch (v.type) {
        case Json::Type::Null: return "null";
        case Json::Type::Bool: return "boolean";
        case Json::Type::Int: return "integer";
        case Json::Type::Number: return "number";
        case Json::Type::String: return "string";
        case Json::Type::Array: return "array";
        case Json::Type::Object: return "object";
    }
    return "?";
}

// The base URI inside `json`: its "$id" applied, unless a "$ref" makes draft 7 ignore it.
std::string inner_base(const Json& json, const std::string& base) {
    if (!json.is_object() || json.find("$ref")) return base;
    const Json* id = json.find("$id");
    if (!id || !id->is_string()) return base;
    return std::string(split_fragment(resolve_uri(base, id->string)).first);
}

// Keywords whose values are schemas, by shape; scan() finds "$id"s only there, so an "$id"
// inside, say, an enum literal identifies nothing.
bool holds_schema(std::string_view key) {
    return key == "additionalItems" || key == "additionalProperties" || key == "contains" || key == "propertyNames" ||
           key == "not" || key == "if" || key == "then" || key == "else" || key == "items";
}
bool holds_schema_array(std::string_view key) {
    return key == "allOf" || key == "anyOf" || key == "oneOf" || key == "items";
}
bool holds_schema_map(std::string_view key) {
    return key == "definitions" || key == "properties" || key == "patternProperties" || key == "dependencies";
}

uint8_t type_bit(std::string_view name) {
    if (name == "null") return kNull;
    if (name == "boolean") return kBoolean;
    if (name == "integer") return kInteger;
    if (name == "number") return kNumber;
    if (name == "string") return kString;
    if (name == "array") return kArray;
    if (name == "object") return kObject;
    return 0;
}

// "a", "a or b", "a, b or c".
std::string join_or(const std::vector<std::string_view>& words) {
    std::string out;
    for (size_t i = 0; i < words.size(); ++i) {
        if (i) out += i + 1 == words.size() ? " or " : ", ";
        out += words[i];
    }
    return out;
}

// Literals quoted in messages stay short; the cut never splits a UTF-8 sequence.
std::string abbreviate(std::string text) {
    constexpr size_t kMax = 120;
    if (text.size() <= kMax) return text;
    size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    return text + "...";
}

uint64_t count_value(const Json& v, const std::string& location) {
    if (v.type == Json::Type::Int && v.integer >= 0) return static_cast<uint64_t>(v.integer);
    // 2.0 is an integer to JSON Schema.
    if (v.type == Json::Type::Number && v.number >= 0 && std::trunc(v.number) == v.number)
        return v.number >= 0x1p64 ? UINT64_MAX : static_cast<uint64_t>(v.number);
    fail(location, "must be a non-negative integer, got " + abbreviate(to_text(v)));
}

Bound bound_value(const Json& v, const std::string& location) {
    if (!v.is_number()) fail(location, "must be a number, got " + abbreviate(to_text(v)));
    return Bound{v.numeric(), to_text(v)};
}

Pattern pattern_value(const std::string& source, const std::string& location) {
    std::string error;
    std::optional<std::regex> regex = compile_regex(source, &error);
    if (!regex) fail(location, "invalid regular expression \"" + abbreviate(source) + "\": " + error);
    return Pattern{source, std::move(*regex)};
}

std::vector<std::string> string_list(const Json& v, const std::string& location) {
    if (!v.is_array()) fail(location, "must be an array of strings, got " + abbreviate(to_text(v)));
    std::vector<std::string> out;
    out.reserve(v.items.size());
    for (size_t i = 0; i < v.items.size(); ++i) {
        if (!v.items[i].is_string())
            fail(child(location, i), "must be a string, got " + abbreviate(to_text(v.items[i])));
        out.push_back(v.items[i].string);
    }
    return out;
}

class Compiler {
public:
    explicit Compiler(Program& program) : p_(program) {}

    // Makes `doc`, and every "$id" inside it, reachable by URI.
    void add_document(const Json& doc, const std::string& uri, const std::string& location) {
        std::string base(split_fragment(uri).first);
        resources_.try_emplace(base, Place{&doc, base, location});
        scan(doc, base, location);
    }

    // Memoised per schema object, which is what makes recursive "$ref"s finite.
    const Node* compile(const Json& json, const std::string& base, const std::string& location) {
        if (auto it = compiled_.find(&json); it != compiled_.end()) return it->second;
        Node& n = p_.nodes.emplace_back();
        compiled_.emplace(&json, &n);
        n.location = location;
        if (json.is_bool()) {
            n.kind = json.boolean ? Node::Kind::True : Node::Kind::False;
            return &n;
        }
        if (!json.is_object())
            fail(location, "a schema must be an object or a boolean, got " + std::string(type_name(json)));
        if (const Json* ref = json.find("$ref")) {
            std::string at = child(location, "$ref");
            if (!ref->is_string()) fail(at, "must be a string");
            n.ref = resolve(base, ref->string, at);
            return &n;
        }
        keywords(n, json, inner_base(json, base), location);
        return &n;
    }

    // A cycle through keywords that apply a schema to the same value ("$ref", allOf, not, ...)
    // would recurse forever at validation; one that passes through properties or items
    // moves into the instance and ends with it.
    void reject_loops() const {
        enum class Mark : uint8_t { Unseen, Active, Done };
        std::unordered_map<const Node*, Mark> marks;
        auto visit = [&marks](auto& self, const Node* n) -> void {
            if (!n) return;
            Mark& mark = marks[n];  // references into an unordered_map survive rehashing
            if (mark == Mark::Done) return;
            if (mark == Mark::Active)
                fail(n->location, "this schema applies itself to the same value without end (a \"$ref\" loop)");
            mark = Mark::Active;
            self(self, n->ref);
            for (const Node* c : n->all_of) self(self, c);
            for (const Node* c : n->any_of) self(self, c);
            for (const Node* c : n->one_of) self(self, c);
            self(self, n->not_schema);
            self(self, n->if_schema);
            self(self, n->then_schema);
            self(self, n->else_schema);
            for (const Dependency& d : n->dependencies) self(self, d.schema);
            mark = Mark::Done;
        };
        for (const Node& n : p_.nodes) visit(visit, &n);
    }

private:
    void scan(const Json& json, const std::string& base, const std::string& location) {
        bases_.try_emplace(&json, base);
        if (!json.is_object()) return;
        std::string inner = base;
        const Json* id = json.find("$id");
        if (id && id->is_string() && !json.find("$ref")) {
            std::string uri = resolve_uri(base, id->string);
            auto [doc, fragment] = split_fragment(uri);
            inner = doc;
            if (fragment.empty()) resources_.try_emplace(inner, Place{&json, base, location});
            else if (fragment.front() != '/')  // a location-independent name: "$id": "#foo"
                anchors_.try_emplace(inner + "#" + percent_decode(fragment), Place{&json, base, location});
        }
        for (size_t i = 0; i < json.keys.size(); ++i) {
            const std::string& key = json.keys[i];
            const Json& value = json.items[i];
            std::string at = child(location, key);
            if (value.is_array() && holds_schema_array(key)) {
                for (size_t j = 0; j < value.items.size(); ++j) scan(value.items[j], inner, child(at, j));
            } else if (value.is_object() && holds_schema_map(key)) {
                for (size_t j = 0; j < value.items.size(); ++j) scan(value.items[j], inner, child(at, value.keys[j]));
            } else if (holds_schema(key)) {
                scan(value, inner, at);
            }
        }
    }

    const Place* find_resource(const std::string& uri) {
        auto it = resources_.find(uri);
        if (it == resources_.end() && uri == kDraft07Uri && load_metaschema()) it = resources_.find(uri);
        return it == resources_.end() ? nullptr : &it->second;
    }

    // Parsed only when some schema refers to it.
    bool load_metaschema() {
        if (metaschema_loaded_) return false;
        metaschema_loaded_ = true;
        Json& doc = p_.documents.emplace_back();
        std::string error;
        if (!parse_json_text(draft07_metaschema(), doc, &error))
            throw CompileError("the built-in draft-07 metaschema is broken: " + error);
        add_document(doc, std::string(kDraft07Uri), std::string(kDraft07Uri) + "#");
        return true;
    }

    const Node* resolve(const std::string& base, const std::string& ref, const std::string& where) {
        std::string uri = resolve_uri(base, ref);
        auto [doc_view, raw_fragment] = split_fragment(uri);
        std::string doc(doc_view);
        std::string fragment = percent_decode(raw_fragment);
        std::string shown = "\"" + ref + "\"" + (uri == ref ? "" : " (" + uri + ")");

        if (!fragment.empty() && fragment.front() != '/') {
            auto it = anchors_.find(doc + "#" + fragment);
            if (it == anchors_.end()) fail(where, "cannot resolve $ref " + shown + ": no schema has that \"$id\"");
            return compile(*it->second.json, it->second.base, it->second.location);
        }
        const Place* place = find_resource(doc);
        if (!place)
            fail(where, "cannot resolve $ref " + shown + ": no such document (remote schemas are never fetched)");

        std::vector<std::string> tokens;
        if (!split_pointer(fragment, tokens)) fail(where, "cannot resolve $ref " + shown + ": bad JSON Pointer");
        const Json* at = place->json;
        std::string at_base = place->base;
        std::string location = place->location;
        for (const std::string& token : tokens) {
            std::string inner = inner_base(*at, at_base);
            const Json* next = nullptr;
            size_t index = 0;
            if (at->is_object()) next = at->find(token);
            else if (at->is_array() && parse_index(token, index) && index < at->items.size()) next = &at->items[index];
            if (!next)
                fail(where, "cannot resolve $ref " + shown + ": " + describe(location) + " has no \"" + token + "\"");
            at = next;
            // A place scan() saw has its base; elsewhere (a ref into an unknown keyword) the parent's.
            auto known = bases_.find(at);
            at_base = known != bases_.end() ? known->second : inner;
            append_token(location, token);
        }
        if (!at->is_object() && !at->is_bool())
            fail(where, "$ref " + shown + " points to " + describe(location) + ", which is not a schema");
        return compile(*at, at_base, location);
    }

    const Node* sub(const Json& json, std::string_view key, const std::string& base, const std::string& location) {
        const Json* v = json.find(key);
        return v ? compile(*v, base, child(location, key)) : nullptr;
    }

    std::vector<const Node*> sub_array(const Json& json, std::string_view key, const std::string& base,
                                       const std::string& location) {
        std::vector<const Node*> out;
        const Json* v = json.find(key);
        if (!v) return out;
        std::string at = child(location, key);
        if (!v->is_array() || v->items.empty()) fail(at, "must be a non-empty array of schemas");
        for (size_t i = 0; i < v->items.size(); ++i) out.push_back(compile(v->items[i], base, child(at, i)));
        return out;
    }

    void keywords(Node& n, const Json& json, const std::string& base, const std::string& location) {
        if (const Json* id = json.find("$id"); id && !id->is_string()) fail(child(location, "$id"), "must be a string");
        generic(n, json, location);
        numeric(n, json, location);
        string(n, json, location);
        array(n, json, base, location);
        object(n, json, base, location);
        applicators(n, json, base, location);
        // Never applied directly, but compiled so that a broken definition fails at load.
        if (const Json* defs = json.find("definitions")) {
            std::string at = child(location, "definitions");
            if (!defs->is_object()) fail(at, "must be an object of schemas");
            for (size_t i = 0; i < defs->items.size(); ++i) compile(defs->items[i], base, child(at, defs->keys[i]));
        }
    }

    void generic(Node& n, const Json& json, const std::string& location) {
        if (const Json* t = json.find("type")) {
            std::string at = child(location, "type");
            std::vector<const Json*> names;
            if (t->is_string()) {
                names.push_back(t);
            } else if (t->is_array() && !t->items.empty()) {
                for (const Json& item : t->items) names.push_back(&item);
            } else {
                fail(at, "must be a type name or a non-empty array of type names");
            }
            std::vector<std::string_view> words;
            for (size_t i = 0; i < names.size(); ++i) {
                std::string item_at = t->is_array() ? child(at, i) : at;
                uint8_t bit = names[i]->is_string() ? type_bit(names[i]->string) : 0;
                if (!bit)
                    fail(item_at, "unknown type " + abbreviate(to_text(*names[i])) +
                                      " (expected null, boolean, integer, number, string, array or object)");
                n.types |= bit;
                words.push_back(names[i]->string);
            }
            n.types_text = join_or(words);
        }
        if (const Json* c = json.find("const")) {
            n.const_value = c;
            n.const_text = abbreviate(to_text(*c));
        }
        if (const Json* e = json.find("enum")) {
            if (!e->is_array()) fail(child(location, "enum"), "must be an array");
            n.has_enum = true;
            for (const Json& item : e->items) n.enum_values.push_back(&item);
            n.enum_text = abbreviate(to_text(*e));
        }
    }

    void numeric(Node& n, const Json& json, const std::string& location) {
        auto bound = [&](std::string_view key, std::optional<Bound>& out) {
            if (const Json* v = json.find(key)) {
                out = bound_value(*v, child(location, key));
                n.numeric = true;
            }
        };
        bound("minimum", n.minimum);
        bound("maximum", n.maximum);
        bound("exclusiveMinimum", n.exclusive_minimum);
        bound("exclusiveMaximum", n.exclusive_maximum);
        if (const Json* v = json.find("multipleOf")) {
            if (!v->is_number() || !(v->numeric() > 0))
                fail(child(location, "multipleOf"), "must be a number greater than 0, got " + abbreviate(to_text(*v)));
            n.multiple_of = Divisor{v->type == Json::Type::Int, v->integer,
                                    v->type == Json::Type::Int ? static_cast<double>(v->integer) : v->number,
                                    to_text(*v)};
            n.numeric = true;
        }
    }

    void string(Node& n, const Json& json, const std::string& location) {
        auto count = [&](std::string_view key, std::optional<uint64_t>& out) {
            if (const Json* v = json.find(key)) {
                out = count_value(*v, child(location, key));
                n.string = true;
            }
        };
        count("minLength", n.min_length);
        count("maxLength", n.max_length);
        if (const Json* v = json.find("pattern")) {
            std::string at = child(location, "pattern");
            if (!v->is_string()) fail(at, "must be a string");
            n.pattern = pattern_value(v->string, at);
            n.string = true;
        }
        if (const Json* v = json.find("format")) {
            if (!v->is_string()) fail(child(location, "format"), "must be a string");
            n.format = find_format(v->string);
            n.format_name = v->string;
            n.string = n.string || n.format;
        }
    }

    void array(Node& n, const Json& json, const std::string& base, const std::string& location) {
        if (const Json* items = json.find("items")) {
            std::string at = child(location, "items");
            if (items->is_array()) {
                n.tuple = true;
                for (size_t i = 0; i < items->items.size(); ++i)
                    n.tuple_items.push_back(compile(items->items[i], base, child(at, i)));
            } else {
                n.items = compile(*items, base, at);
            }
            n.array = true;
        }
        // Means something only after an array of "items", but compiled regardless so it fails at load.
        n.additional_items = sub(json, "additionalItems", base, location);
        if (!n.tuple) n.additional_items = nullptr;
        auto count = [&](std::string_view key, std::optional<uint64_t>& out) {
            if (const Json* v = json.find(key)) {
                out = count_value(*v, child(location, key));
                n.array = true;
            }
        };
        count("minItems", n.min_items);
        count("maxItems", n.max_items);
        if (const Json* v = json.find("uniqueItems")) {
            if (!v->is_bool()) fail(child(location, "uniqueItems"), "must be a boolean");
            n.unique_items = v->boolean;
            n.array = n.array || v->boolean;
        }
        if ((n.contains = sub(json, "contains", base, location))) n.array = true;
    }

    void object(Node& n, const Json& json, const std::string& base, const std::string& location) {
        auto count = [&](std::string_view key, std::optional<uint64_t>& out) {
            if (const Json* v = json.find(key)) {
                out = count_value(*v, child(location, key));
                n.object = true;
            }
        };
        count("minProperties", n.min_properties);
        count("maxProperties", n.max_properties);
        if (const Json* v = json.find("required")) {
            n.required = string_list(*v, child(location, "required"));
            n.object = n.object || !n.required.empty();
        }
        if (const Json* v = json.find("properties")) {
            std::string at = child(location, "properties");
            if (!v->is_object()) fail(at, "must be an object of schemas");
            for (size_t i = 0; i < v->items.size(); ++i)
                n.properties.push_back({v->keys[i], compile(v->items[i], base, child(at, v->keys[i]))});
            std::sort(n.properties.begin(), n.properties.end(),
                      [](const NamedSchema& a, const NamedSchema& b) { return a.name < b.name; });
            n.object = true;
        }
        if (const Json* v = json.find("patternProperties")) {
            std::string at = child(location, "patternProperties");
            if (!v->is_object()) fail(at, "must be an object of schemas");
            for (size_t i = 0; i < v->items.size(); ++i) {
                std::string member = child(at, v->keys[i]);
                n.pattern_properties.push_back({pattern_value(v->keys[i], member), compile(v->items[i], base, member)});
            }
            n.object = true;
        }
        if ((n.additional_properties = sub(json, "additionalProperties", base, location))) n.object = true;
        if (const Json* v = json.find("dependencies")) {
            std::string at = child(location, "dependencies");
            if (!v->is_object()) fail(at, "must be an object");
            for (size_t i = 0; i < v->items.size(); ++i) {
                Dependency d{v->keys[i], {}, nullptr};
                std::string member = child(at, v->keys[i]);
                if (v->items[i].is_array()) d.required = string_list(v->items[i], member);
                else d.schema = compile(v->items[i], base, member);
                n.dependencies.push_back(std::move(d));
            }
            n.object = true;
        }
        if ((n.property_names = sub(json, "propertyNames", base, location))) n.object = true;
    }

    void applicators(Node& n, const Json& json, const std::string& base, const std::string& location) {
        n.all_of = sub_array(json, "allOf", base, location);
        n.any_of = sub_array(json, "anyOf", base, location);
        n.one_of = sub_array(json, "oneOf", base, location);
        n.not_schema = sub(json, "not", base, location);
        n.if_schema = sub(json, "if", base, location);
        n.then_schema = sub(json, "then", base, location);
        n.else_schema = sub(json, "else", base, location);
        // "if" alone decides nothing; "then" and "else" without "if" never apply.
        if (!n.if_schema) n.then_schema = n.else_schema = nullptr;
        else if (!n.then_schema && !n.else_schema) n.if_schema = nullptr;
    }

    Program& p_;
    std::unordered_map<std::string, Place> resources_;    // absolute URI without fragment -> document or "$id" schema
    std::unordered_map<std::string, Place> anchors_;      // "uri#name" -> schema with "$id": "#name"
    std::unordered_map<const Json*, std::string> bases_;  // every schema position scan() saw -> its base URI
    std::unordered_map<const Json*, Node*> compiled_;
    bool metaschema_loaded_ = false;
};

}  // namespace

std::unique_ptr<Program> compile_program(const modrt_host_api& host, const modrt_value* schema,
                                         std::span<const Document> documents) {
    if (!HostValues::covers(host)) throw CompileError("the host API table is too old to read values");
    auto program = std::make_unique<Program>(host);
    Compiler compiler(*program);
    const Json& root = program->documents.emplace_back(from_host(program->host, schema));
    compiler.add_document(root, "", "");
    for (const Document& d : documents) {
        const Json& doc = program->documents.emplace_back(from_host(program->host, d.value));
        std::string uri(split_fragment(d.uri).first);
        compiler.add_document(doc, uri, uri + "#");
    }
    program->root = compiler.compile(root, "", "");
    compiler.reject_loops();
    return program;
}

}  // namespace modrt::contract::json_schema::detail
