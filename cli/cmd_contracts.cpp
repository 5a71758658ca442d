// modrt contracts REGISTRY: every contract with its methods, schemas and
// implementations, as Markdown (documentation) or JSON (tools).
#include "commands.hpp"

#include <modrt/kernel/json.hpp>

#include <iostream>
#include <sstream>

namespace modrt::cli {

namespace {

using kernel::Value;

std::string text_of(const Value* v) { return v != nullptr && v->type == MODRT_STRING ? v->str : std::string(); }

// A fenced JSON block per schema of `schemas` (an array of {format, definition}).
void write_schemas(std::ostream& out, const char* title, const Value* schemas) {
    if (schemas == nullptr || schemas->type != MODRT_ARRAY || schemas->items.empty()) return;
    out << "**" << title << "**";
    for (const Value& s : schemas->items) {
        std::string format = text_of(s.find("format"));
        const Value* definition = s.find("definition");
        out << (format.empty() ? "" : " (" + format + ")") << ":\n\n```json\n"
            << kernel::to_json(definition != nullptr ? *definition : s, 2) << "\n```\n\n";
    }
}

void write_markdown(std::ostream& out, const Value& contracts, const std::string& registry) {
    out << "# Contracts of " << registry << "\n\n";
    if (contracts.keys.empty()) {
        out << "No contracts.\n";
        return;
    }
    for (size_t i = 0; i < contracts.keys.size(); ++i) {
        const Value& c = contracts.items[i];
        out << "## " << contracts.keys[i] << "\n\n";
        const Value* methods = c.find("methods");
        if (methods != nullptr && methods->type == MODRT_ARRAY)
            for (const Value& m : methods->items) {
                out << "### " << text_of(m.find("name")) << "\n\n";
                if (std::string d = text_of(m.find("description")); !d.empty()) out << d << "\n\n";
                write_schemas(out, "Input", m.find("input_schemas"));
                write_schemas(out, "Output", m.find("output_schemas"));
            }
        const Value* impls = c.find("implementations");
        out << "### Implementations\n\n";
        if (impls == nullptr || impls->type != MODRT_ARRAY || impls->items.empty()) {
            out << "None.\n\n";
            continue;
        }
        out << "| binding | default | methods |\n|---|---|---|\n";
        for (const Value& b : impls->items) {
            const Value* is_default = b.find("default");
            std::string bound;
            if (const Value* m = b.find("methods"); m != nullptr && m->type == MODRT_MAP)
                for (size_t k = 0; k < m->keys.size(); ++k)
                    bound += (k ? ", " : "") + ("`" + m->keys[k] + "` → `" + text_of(&m->items[k]) + "`");
            out << "| `" << text_of(b.find("binding")) << "` | "
                << (is_default != nullptr && is_default->type == MODRT_BOOL && is_default->scalar.b ? "yes" : "no")
                << " | " << bound << " |\n";
        }
        out << "\n";
    }
}

}  // namespace

int cmd_contracts(const std::vector<std::string>& args) {
    GlobalOptions g;
    std::string registry, format = "markdown";
    bool help = false;
    po::options_description own;
    own.add_options()("format", po::value(&format), "markdown (default) or json");
    if (!parse_registry_command(args,
                                "modrt contracts REGISTRY\n\nPrint every contract with its methods, schemas and "
                                "implementations.\n\nOptions",
                                g, registry, help, &own))
        return kUsage;
    if (help) return kOk;
    if (format != "markdown" && format != "json") {
        std::cerr << "modrt: --format must be markdown or json, not '" << format << "'\n";
        return kUsage;
    }
    auto rt = load_runtime(g, registry);
    if (!rt) return kFailed;
    kernel::CallResult described = rt->describe_contracts();
    Value contracts = Value::map();
    if (described.ok()) contracts = std::move(described.value);
    else if (described.error->kind != MODRT_ERR_UNAVAILABLE) {  // UNAVAILABLE: no contract entries at all
        std::cerr << "modrt: " << described.error->message << "\n";
        return kFailed;
    }
    if (format == "json") std::cout << kernel::to_json(contracts, 2) << "\n";
    else write_markdown(std::cout, contracts, registry);
    return kOk;
}

}  // namespace modrt::cli
