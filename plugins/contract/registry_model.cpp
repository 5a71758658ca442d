// Reading contract.definition and contract.binding entries (registry_model.hpp).
#include "registry_model.hpp"

#include <algorithm>
#include <initializer_list>

namespace modrt::contract {
namespace {

[[noreturn]] void invalid(std::string_view field, const std::string& message) {
    throw Failure(Error(MODRT_ERR_INVALID, message).set_field(field));
}

std::string str(std::string_view s) { return std::string(s); }
std::string num(size_t i) { return std::to_string(i); }

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
}

bool valid_name(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), name_char); }

// A method is called as instance:name(...) from Lua: an identifier.
bool lua_identifier(std::string_view s) {
    if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

// Every key of `map` must be one of `allowed`; `where` prefixes the field path ("" for the entry).
void only_fields(ValueView map, std::string_view where, std::initializer_list<std::string_view> allowed,
                 std::string_view what) {
    for (size_t i = 0; i < map.size(); ++i) {
        std::string_view k = map.key(i);
        if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
        std::string field = where.empty() ? str(k) : str(where) + "." + str(k);
        std::string list;
        for (std::string_view a : allowed) {
            if (a == "name" || a == "kind") continue;  // every entry has those
            list += (list.empty() ? "" : ", ") + str(a);
        }
        invalid(field, "unknown field '" + field + "' (" + str(what) + " takes " + list + ")");
    }
}

// `{format, definition}` items of `input_schemas` / `output_schemas`, compiled.
void read_schemas(const modrt_host_api& host, ValueView list, const std::string& field, const std::string& method,
                  std::vector<std::unique_ptr<json_schema::Schema>>& out) {
    if (list.is_nil()) return;
    if (!list.is_array())
        invalid(field, field + ": expected a list of {format: " + str(kSchemaFormat) + ", definition: {...}}");
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string item_field = field + "." + num(i);
        ValueView item = list[i];
        if (!item.is_map()) invalid(item_field, item_field + ": expected a map {format, definition}");
        only_fields(item, item_field, {"format", "definition"}, "a schema");
        ValueView format = item.find("format");
        if (format.is_nil())
            invalid(item_field, item_field + ": 'format' is missing (use \"" + str(kSchemaFormat) + "\")");
        if (!format.is_string() || format.as_string() != kSchemaFormat)
            invalid(item_field + ".format", item_field + ".format: unsupported schema format" +
                                                (format.is_string() ? " '" + str(format.as_string()) + "'" : "") +
                                                " (only \"" + str(kSchemaFormat) + "\" is supported)");
        ValueView definition = item.find("definition");
        if (definition.is_nil()) invalid(item_field, item_field + ": 'definition' (the JSON schema) is missing");
        if (!definition.is_map() && definition.type() != MODRT_BOOL)
            invalid(item_field + ".definition", item_field + ".definition: a JSON schema must be a map or a boolean");
        std::string error;
        auto schema = json_schema::Schema::compile(host, definition.raw(), &error);
        if (!schema)
            invalid(item_field + ".definition",
                    "method '" + method + "': " + item_field + ".definition is not a valid JSON schema: " + error);
        out.push_back(std::move(schema));
    }
}

// A list of context keys (`context_required`), appended to `out` without repeats.
void read_context_required(ValueView list, const std::string& field, std::vector<std::string>& out) {
    if (list.is_nil()) return;
    if (!list.is_array()) invalid(field, field + ": expected a list of context keys");
    for (size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_string() || list[i].as_string().empty())
            invalid(field + "." + num(i), field + "." + num(i) + ": expected a context key (a non-empty string)");
        std::string key(list[i].as_string());
        if (std::find(out.begin(), out.end(), key) == out.end()) out.push_back(std::move(key));
    }
}

}  // namespace

bool valid_id(std::string_view id) {
    size_t colon = id.find(':');
    if (colon == std::string_view::npos) return false;
    return valid_name(id.substr(0, colon)) && valid_name(id.substr(colon + 1));
}

std::string full_id(std::string_view ref, std::string_view ns) {
    if (ref.find(':') == std::string_view::npos) return valid_name(ref) ? str(ns) + ":" + str(ref) : std::string();
    return valid_id(ref) ? str(ref) : std::string();
}

std::string Contract::method_names() const {
    std::string out;
    for (const Method& m : methods) out += (out.empty() ? "" : ", ") + m.name;
    return out;
}

std::unique_ptr<Contract> parse_contract(const modrt_host_api& host, const EntryInfo& info) {
    auto c = std::make_unique<Contract>();
    c->id = str(info.id());
    c->file = str(info.file());
    c->line = info.line();
    only_fields(info.fields(), "", {"name", "kind", "meta", "methods"}, "contract.definition");
    ValueView methods = info.field("methods");
    if (methods.is_nil())
        invalid("", "'methods' is missing (a list of {name, description, input_schemas, output_schemas})");
    if (!methods.is_array() || methods.size() == 0)
        invalid("methods", "methods: expected a non-empty list of {name, description, input_schemas, output_schemas}");
    c->methods.reserve(methods.size());
    for (size_t i = 0; i < methods.size(); ++i) {
        const std::string field = "methods." + num(i);
        ValueView m = methods[i];
        if (!m.is_map()) invalid(field, field + ": expected a map {name, description, input_schemas, output_schemas}");
        only_fields(m, field, {"name", "description", "input_schemas", "output_schemas"}, "a method");
        ValueView name = m.find("name");
        if (name.is_nil()) invalid(field, field + ": the method's 'name' is missing");
        if (!name.is_string() || !lua_identifier(name.as_string()))
            invalid(field + ".name", field + ".name: a method name must be an identifier (letters, digits, '_')");
        std::string_view n = name.as_string();
        if (n.size() > 6 && n.ends_with("_async"))
            invalid(field + ".name", field + ".name: '" + str(n) + "' ends in _async, which calls '" +
                                         str(n.substr(0, n.size() - 6)) + "' asynchronously; choose another name");
        if (c->find(n) != nullptr) invalid(field + ".name", "duplicate method name '" + str(n) + "'");
        ValueView description = m.find("description");
        if (!description.is_nil() && !description.is_string())
            invalid(field + ".description", field + ".description: expected a string");
        Method method;
        method.name = str(n);
        method.description = description;
        method.input_schemas = m.find("input_schemas");
        method.output_schemas = m.find("output_schemas");
        read_schemas(host, method.input_schemas, field + ".input_schemas", method.name, method.inputs);
        read_schemas(host, method.output_schemas, field + ".output_schemas", method.name, method.outputs);
        c->methods.push_back(std::move(method));
    }
    return c;
}

std::unique_ptr<Binding> parse_binding(const EntryInfo& info) {
    auto b = std::make_unique<Binding>();
    b->id = str(info.id());
    b->file = str(info.file());
    b->line = info.line();
    const std::string_view ns = info.id().substr(0, info.id().find(':'));
    only_fields(info.fields(), "", {"name", "kind", "meta", "contracts", "context_required"}, "contract.binding");
    std::vector<std::string> shared_context;
    read_context_required(info.field("context_required"), "context_required", shared_context);
    ValueView contracts = info.field("contracts");
    if (contracts.is_nil()) invalid("", "'contracts' is missing (a list of {contract, default, methods})");
    if (!contracts.is_array() || contracts.size() == 0)
        invalid("contracts", "contracts: expected a non-empty list of {contract, default, methods}");
    for (size_t i = 0; i < contracts.size(); ++i) {
        const std::string field = "contracts." + num(i);
        ValueView c = contracts[i];
        if (!c.is_map()) invalid(field, field + ": expected a map {contract, default, methods}");
        only_fields(c, field, {"contract", "default", "methods", "context_required"}, "a binding's contract item");
        BindingItem item;
        item.index = i;
        ValueView contract = c.find("contract");
        if (contract.is_nil()) invalid(field, field + ": 'contract' (the contract.definition id) is missing");
        item.contract = contract.is_string() ? full_id(contract.as_string(), ns) : std::string();
        if (item.contract.empty())
            invalid(field + ".contract", field + ".contract: expected a contract id such as ns:name");
        for (const BindingItem& earlier : b->items)
            if (earlier.contract == item.contract)
                invalid(field + ".contract", "contract '" + item.contract + "' is listed twice (first at contracts." +
                                                 num(earlier.index) + ")");
        if (ValueView d = c.find("default"); !d.is_nil()) {
            if (d.type() != MODRT_BOOL) invalid(field + ".default", field + ".default: expected true or false");
            item.is_default = d.as_bool();
        }
        ValueView methods = c.find("methods");
        if (methods.is_nil()) invalid(field, field + ": 'methods' is missing (a map of method name -> function id)");
        if (!methods.is_map())
            invalid(field + ".methods", field + ".methods: expected a map of method name -> function id");
        for (size_t j = 0; j < methods.size(); ++j) {
            std::string_view method = methods.key(j);
            const std::string mfield = field + ".methods." + str(method);
            ValueView fn = methods[j];
            std::string id = fn.is_string() ? full_id(fn.as_string(), ns) : std::string();
            if (id.empty()) invalid(mfield, mfield + ": expected a function id such as ns:name");
            item.methods.emplace_back(str(method), std::move(id));
        }
        item.context_required = shared_context;
        read_context_required(c.find("context_required"), field + ".context_required", item.context_required);
        b->items.push_back(std::move(item));
    }
    return b;
}

}  // namespace modrt::contract
