// Reading a Lua entry's registry fields and source (module_spec.hpp).
#include "loading/module_spec.hpp"

#include "modules/host_modules.hpp"
#include "typed/typed_translate.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace modrt::lua {
namespace {

std::atomic<uint64_t> g_next_serial{1};

[[noreturn]] void fail(std::string_view field, const std::string& message) {
    throw Failure(Error(MODRT_ERR_INVALID, message).set_field(field));
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("source", "source: cannot read '" + path + "': " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) fail("source", "source: cannot read '" + path + "'");
    return std::move(text).str();
}

std::string absolute_id(std::string_view ref, std::string_view importer_id) {
    if (ref.find(':') != std::string_view::npos) return std::string(ref);
    // A bare name refers to the importer's own namespace.
    auto colon = importer_id.rfind(':');
    std::string id(importer_id.substr(0, colon == std::string_view::npos ? 0 : colon));
    return id + ":" + std::string(ref);
}

// One read_module_spec: the libraries read so far (each read once, however
// many import paths reach it) and the import chain being followed (for cycles).
struct ReadState {
    std::unordered_map<std::string, std::shared_ptr<const ModuleSpec>> done;
    std::vector<std::string> chain;
};

std::shared_ptr<const ModuleSpec> read_spec(const Host& host, const EntryInfo& info, bool needs_method, ReadState& rs);

// The library `id` (a library.lua entry), read once per ReadState.
std::shared_ptr<const ModuleSpec> read_library(const Host& host, const EntryInfo& lib_info, const std::string& id,
                                               ReadState& rs) {
    if (auto it = rs.done.find(id); it != rs.done.end()) return it->second;
    auto spec = read_spec(host, lib_info, false, rs);
    rs.done.emplace(id, spec);
    return spec;
}

std::shared_ptr<const ModuleSpec> read_spec(const Host& host, const EntryInfo& info, bool needs_method, ReadState& rs) {
    auto spec = std::make_shared<ModuleSpec>();
    spec->serial = g_next_serial.fetch_add(1);
    spec->id = std::string(info.id());

    if (info.source_path().empty()) {
        if (info.fields().has("source"))
            fail("source", "source: expected file://<path of a Lua file> (inline sources are not supported)");
        fail("source", "source is required: file://<path of a Lua file>");
    }
    spec->source_path = std::string(info.source_path());
    spec->chunkname = "@" + spec->source_path;
    spec->source = read_file(spec->source_path);
    if (!spec->source.empty() && spec->source[0] == '\x1b')
        fail("source", "source: '" + spec->source_path + "' is precompiled bytecode, which is not accepted");
    // Typed Lua becomes plain Lua here, once per file read (README.md, "Typed Lua").
    typed::Translation plain = typed::translate(spec->source);
    if (!plain.ok)
        fail("source", "syntax error: " + spec->source_path + ":" + std::to_string(plain.error_line) +
                           ": typed Lua: " + plain.error);
    if (plain.changed) spec->source = std::move(plain.text);
    for (const auto& d : plain.diagnostics)
        spec->type_diagnostics.push_back(spec->source_path + ":" + std::to_string(d.line) + ": " + d.message);

    if (needs_method) {
        if (info.method().empty()) fail("method", "method is required: the name of the function the module returns");
        spec->method = std::string(info.method());
    }

    ValueView jit = info.field("jit");
    if (!jit.is_nil()) {
        if (jit.type() != MODRT_BOOL) fail("jit", "jit: expected true or false");
        spec->jit = jit.as_bool();
    }

    ValueView modules = info.field("modules");
    if (!modules.is_nil()) {
        if (!modules.is_array()) fail("modules", "modules: expected a list of module names");
        for (size_t i = 0; i < modules.size(); ++i) {
            ValueView m = modules[i];
            if (!m.is_string()) fail("modules", "modules: every item must be a module name (a string)");
            std::string name(m.as_string());
            if (find_host_module(name) == nullptr)
                fail("modules", "modules: unknown module '" + name + "' (known: " + host_module_names() + ")");
            spec->modules.push_back(std::move(name));
        }
    }

    ValueView imports = info.field("imports");
    if (!imports.is_nil()) {
        if (!imports.is_map()) fail("imports", "imports: expected a map of alias: namespace:library");
        rs.chain.push_back(spec->id);
        for (size_t i = 0; i < imports.size(); ++i) {
            std::string alias(imports.key(i));
            ValueView ref = imports[i];
            if (!ref.is_string())
                fail("imports", "imports: '" + alias + "' must name a library.lua entry (namespace:name)");
            std::string id = absolute_id(ref.as_string(), spec->id);
            const modrt_entry_info* lib = host.find_entry(id);
            if (lib == nullptr)
                fail("imports", "imports: '" + alias + "' refers to '" + id + "', which is not in the registry");
            EntryInfo lib_info(lib);
            if (lib_info.kind() != "library.lua")
                fail("imports", "imports: '" + alias + "' refers to '" + id + "', which is a " +
                                    std::string(lib_info.kind()) + " entry, not a library.lua");
            for (const auto& seen : rs.chain)
                if (seen == id) fail("imports", "imports: '" + alias + "' makes a cycle through '" + id + "'");
            try {
                spec->imports.emplace_back(alias, read_library(host, lib_info, id, rs));
            } catch (const Failure& f) {
                Error inner(f.release());
                fail("imports", "imports: library '" + id + "' is broken: " + std::string(inner.message()));
            }
        }
        rs.chain.pop_back();
    }
    for (const auto& [alias, lib] : spec->imports) {
        spec->reach.push_back(lib->id);
        spec->reach.insert(spec->reach.end(), lib->reach.begin(), lib->reach.end());
    }
    std::sort(spec->reach.begin(), spec->reach.end());
    spec->reach.erase(std::unique(spec->reach.begin(), spec->reach.end()), spec->reach.end());
    return spec;
}

}  // namespace

std::shared_ptr<const ModuleSpec> read_module_spec(const Host& host, const EntryInfo& info, bool needs_method) {
    ReadState rs;
    return read_spec(host, info, needs_method, rs);
}

bool ModuleSpec::reaches(std::string_view other) const noexcept {
    return other == id || std::binary_search(reach.begin(), reach.end(), other);
}

}  // namespace modrt::lua
