#include "loading/registry_reader.hpp"

#include "loading/yaml_value.hpp"
#include "runtime/logging.hpp"

#include <yaml-cpp/yaml.h>

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace modrt::kernel {

namespace fs = std::filesystem;

namespace {

int64_t line_of(const YAML::Node& n) { return yaml_line(n); }

bool valid_name(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

// Deep enough for `methods.0.input_schemas.0.definition` and
// `policy.conditions.0.operator`; deeper fields report their closest recorded parent.
constexpr int kMaxLineDepth = 5;

// Record the line of every map key and list item below `node` as "path.key" / "path.N".
void record_lines(RawEntry& e, const std::string& path, const YAML::Node& node, int depth) {
    if (depth > kMaxLineDepth) return;
    if (node.IsMap()) {
        for (const auto& kv : node) {
            std::string sub = path + "." + kv.first.Scalar();
            e.nested[sub] = line_of(kv.first);
            record_lines(e, sub, kv.second, depth + 1);
        }
    } else if (node.IsSequence()) {
        for (size_t i = 0; i < node.size(); ++i) {
            std::string sub = path + "." + std::to_string(i);
            e.nested[sub] = line_of(node[i]);
            record_lines(e, sub, node[i], depth + 1);
        }
    }
}

bool is_within(const fs::path& path, const fs::path& root) {
    return std::mismatch(root.begin(), root.end(), path.begin(), path.end()).first == root.end();
}

// An absolute path with every symlink of its existing part resolved.
fs::path resolved(const fs::path& p) {
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec);
    if (ec) return p.lexically_normal();
    fs::path out = fs::weakly_canonical(abs, ec);
    return ec ? abs.lexically_normal() : out;
}

// What every file of one load shares: its options and where its sources may live.
struct LoadContext {
    LoadContext(const RuntimeOptions& o, const fs::path& registry_dir, std::vector<bool>* m)
        : options(o), directory(resolved(registry_dir)), matched(m) {
        roots.push_back(directory);
        for (const auto& r : o.source_roots) roots.push_back(resolved(r));
    }

    /// True when `path` (resolved) lies in the registry's directory or a --source-root.
    bool allows(const fs::path& path) const {
        return std::any_of(roots.begin(), roots.end(), [&](const fs::path& r) { return is_within(path, r); });
    }

    /// Why `shown` (resolving to a path outside every root) is refused.
    std::string outside(const std::string& what, const std::string& shown) const {
        return what + " '" + shown + "' is outside the registry directory " + directory.string() +
               " (add --source-root to allow it)";
    }

    const RuntimeOptions& options;
    fs::path directory;           // resolved
    std::vector<fs::path> roots;  // resolved: the directory, then each source root
    std::vector<bool>* matched;   // null: not tracked
};

class FileReader {
public:
    FileReader(std::string file, std::vector<RegistryError>& errors, const LoadContext& load)
        : file_(std::move(file)), errors_(errors), load_(load), budget_(load.options.registry_limits) {}

    void error(int64_t line, std::string entry, std::string message) {
        errors_.push_back(RegistryError{file_, line, std::move(entry), std::move(message)});
    }

    void read(std::vector<RawEntry>& out) {
        std::ifstream in(file_, std::ios::binary);
        if (!in) {
            error(0, "", "cannot read the file");
            return;
        }
        // Read at most one byte past the limit, never the whole of a file that may not end.
        const uint64_t limit = load_.options.registry_limits.max_bytes;
        std::string text;
        char chunk[64 * 1024];
        while (text.size() <= limit && in.read(chunk, sizeof chunk).gcount() > 0)
            text.append(chunk, static_cast<size_t>(in.gcount()));
        read_text(text, out);
    }

    void read_text(const std::string& text, std::vector<RawEntry>& out) {
        const RegistryLimits& limits = load_.options.registry_limits;
        if (text.size() > limits.max_bytes) {
            error(0, "",
                  "the file is larger than " + std::to_string(limits.max_bytes) +
                      " bytes; the limit is --registry-max-bytes (RuntimeOptions::registry_limits.max_bytes)");
            return;
        }
        YAML::Node root;
        try {
            root = YAML::Load(text);
            check_yaml_document(root, limits);
        } catch (const YAML::DeepRecursion& e) {  // yaml-cpp's own message for it is "bad file"
            error(e.mark.line + 1, "", "invalid YAML: nested deeper than " + std::to_string(e.depth()) + " levels");
            return;
        } catch (const YAML::ParserException& e) {
            error(e.mark.line + 1, "", "invalid YAML: " + e.msg);
            return;
        } catch (const YamlProblem& e) {
            error(e.line(), "", e.what());
            return;
        } catch (const std::exception& e) {
            error(0, "", std::string("cannot read: ") + e.what());
            return;
        }
        if (!root.IsMap()) {
            error(line_of(root), "", "a registry file must be a map with 'namespace' and 'entries'");
            return;
        }
        std::string ns;
        if (auto n = root["namespace"]; !n) {
            error(line_of(root), "", "missing 'namespace'");
        } else if (!n.IsScalar() || !valid_name(n.Scalar())) {
            error(line_of(n), "", "'namespace' must be a name of letters, digits, '_', '-' and '.'");
        } else {
            ns = n.Scalar();
        }
        if (auto v = root["version"]; v && !v.IsScalar()) error(line_of(v), "", "'version' must be a string");
        for (const auto& kv : root) {
            std::string key = kv.first.as<std::string>("");
            if (key != "namespace" && key != "version" && key != "entries" && key != "meta")
                logger()->warn("{}:{}: unknown top-level field '{}' ignored", file_, line_of(kv.first), key);
        }
        YAML::Node entries = root["entries"];
        if (!entries) {
            error(line_of(root), "", "missing 'entries' (a list of entries)");
            return;
        }
        if (!entries.IsSequence()) {
            error(line_of(entries), "", "'entries' must be a list");
            return;
        }
        for (const auto& node : entries) {
            read_entry(node, ns, out);
            if (over_budget_) return;  // every later entry would say the same
        }
    }

private:
    // Replace the fields `-o id:field=value` names; false (after reporting) when a path is bad.
    bool apply_overrides(YAML::Node entry, const std::string& id) {
        bool ok = true;
        const std::vector<EntryOverride>& overrides = load_.options.overrides;
        for (size_t i = 0; i < overrides.size(); ++i) {
            const EntryOverride& o = overrides[i];
            if (o.id != id) continue;
            if (load_.matched != nullptr) (*load_.matched)[i] = true;
            std::string problem = set_path(entry, o.field, o.value);
            if (!problem.empty()) {
                error(line_of(entry), id, "override " + o.id + ":" + o.field + ": " + problem);
                ok = false;
            }
        }
        return ok;
    }

    // Walk `path` (dot-separated; list items by index) creating missing map keys; "" when set.
    std::string set_path(YAML::Node node, const std::string& path, const std::string& value) const {
        const RegistryLimits& limits = load_.options.registry_limits;
        if (value.size() > limits.max_bytes)
            return "the value is larger than " + std::to_string(limits.max_bytes) + " bytes (--registry-max-bytes)";
        YAML::Node parsed;
        try {
            parsed = YAML::Load(value);
        } catch (const std::exception&) {
            parsed = YAML::Node(value);  // not YAML: the text itself
        }
        if (parsed.IsNull() && !value.empty() && value != "null" && value != "~") parsed = YAML::Node(value);
        try {
            check_yaml_document(parsed, limits);  // one -o value is a document of its own
        } catch (const YamlProblem& e) {
            return std::string("the value: ") + e.what() +
                   (e.line() > 1 ? " (line " + std::to_string(e.line()) + " of the value)" : "");
        }
        std::vector<std::string> keys;
        std::stringstream ss(path);
        for (std::string k; std::getline(ss, k, '.');) keys.push_back(k);
        if (keys.empty() || std::any_of(keys.begin(), keys.end(), [](const std::string& k) { return k.empty(); }))
            return "the field path must be names joined by '.'";
        if (keys.front() == "name") return "the name cannot be overridden";
        YAML::Node at = node;
        for (size_t i = 0; i < keys.size(); ++i) {
            const std::string& k = keys[i];
            bool last = i + 1 == keys.size();
            if (at.IsSequence()) {
                size_t index = 0;
                auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), index);
                if (ec != std::errc() || end != k.data() + k.size() || index >= at.size())
                    return "'" + k + "' is not an item of the list (it has " + std::to_string(at.size()) + ")";
                if (last) at[index] = parsed;
                else at.reset(at[index]);
            } else if (at.IsMap() || at.IsNull()) {
                if (last) at[k] = parsed;
                else {
                    if (!at[k]) at[k] = YAML::Node(YAML::NodeType::Map);
                    at.reset(at[k]);
                }
            } else {
                return "'" + k + "' is inside a value that is neither a map nor a list";
            }
        }
        return "";
    }

    void read_entry(const YAML::Node& node, const std::string& ns, std::vector<RawEntry>& out) {
        int64_t line = line_of(node);
        if (!node.IsMap()) {
            error(line, "", "an entry must be a map with 'name' and 'kind'");
            return;
        }
        RawEntry e;
        e.file = file_;
        e.line = line;
        YAML::Node name = node["name"];
        std::string label;
        if (!name) {
            error(line, "", "entry has no 'name'");
        } else if (!name.IsScalar() || !valid_name(name.Scalar())) {
            error(line_of(name), "", "'name' must be a name of letters, digits, '_', '-' and '.'");
        } else {
            label = ns.empty() ? name.Scalar() : ns + ":" + name.Scalar();
            if (!ns.empty()) e.id = label;
        }
        bool ok = !e.id.empty();
        YAML::Node entry = node;  // shares the document: overrides write into it
        if (ok && !load_.options.overrides.empty()) ok = apply_overrides(entry, e.id);
        YAML::Node kind = entry["kind"];
        if (!kind) {
            error(line, label, "entry has no 'kind'");
            ok = false;
        } else if (!kind.IsScalar() || kind.Scalar().empty()) {
            error(line_of(kind), label, "'kind' must be a non-empty string");
            ok = false;
        } else {
            e.kind = kind.Scalar();
        }
        try {
            e.fields = yaml_to_value(entry, budget_);
        } catch (const YamlProblem& ex) {
            error(ex.line() > 0 ? ex.line() : line, label, ex.what());
            over_budget_ = ex.over_limit();
            return;
        }
        for (const auto& kv : entry) {
            std::string key = kv.first.Scalar();
            e.lines[key] = line_of(kv.first);
            record_lines(e, key, kv.second, 1);
        }
        ok = check_types(e, label) && ok;
        if (ok) out.push_back(std::move(e));
    }

    bool expect(const RawEntry& e, const std::string& label, std::string_view field, modrt_value_type type) {
        const Value* v = e.fields.find(field);
        if (v == nullptr || v->type == type) return true;
        error(e.line_of(field), label,
              "'" + std::string(field) + "' must be " +
                  (type == MODRT_ARRAY ? "a list"
                   : type == MODRT_MAP ? "a map"
                                       : "a string") +
                  ", not " + std::string(type_name(v->type)));
        return false;
    }

    bool check_types(RawEntry& e, const std::string& label) {
        static constexpr std::pair<std::string_view, modrt_value_type> kTyped[] = {
            {"source", MODRT_STRING}, {"method", MODRT_STRING}, {"modules", MODRT_ARRAY},
            {"imports", MODRT_MAP},   {"pool", MODRT_MAP},      {"meta", MODRT_MAP}};
        bool ok = true;
        for (const auto& [field, type] : kTyped) ok = expect(e, label, field, type) && ok;  // report every one
        if (const Value* modules = e.fields.find("modules"); ok && modules)
            for (const auto& m : modules->items)
                if (m.type != MODRT_STRING) {
                    error(e.line_of("modules"), label, "'modules' must list strings");
                    ok = false;
                    break;
                }
        if (const Value* imports = e.fields.find("imports"); ok && imports)
            for (size_t i = 0; i < imports->keys.size(); ++i)
                if (imports->items[i].type != MODRT_STRING) {
                    error(e.line_of("imports." + imports->keys[i]), label,
                          "import '" + imports->keys[i] + "' must name an entry id (ns:name)");
                    ok = false;
                }
        if (const Value* meta = e.fields.find("meta"); ok && meta)
            if (const Value* options = meta->find("options"); options && options->type != MODRT_MAP) {
                error(e.line_of("meta.options"), label, "'meta.options' must be a map");
                ok = false;
            }
        if (const Value* method = e.fields.find("method"); ok && method) e.method = method->str;
        if (const Value* source = e.fields.find("source"); ok && source) ok = resolve_source(e, label, source->str);
        return ok;
    }

    bool resolve_source(RawEntry& e, const std::string& label, const std::string& source) {
        constexpr std::string_view kFile = "file://";
        if (source.rfind(kFile, 0) != 0) {
            error(e.line_of("source"), label, "'source' must be a file:// reference, got '" + source + "'");
            return false;
        }
        const std::string written = source.substr(kFile.size());
        fs::path p = written;
        if (p.is_relative()) p = fs::path(file_).parent_path() / p;
        // Confined before anything else is said about it: whether a file outside exists is not ours to tell.
        fs::path real = resolved(p);
        if (!load_.allows(real)) {
            error(e.line_of("source"), label, load_.outside("source", written));
            return false;
        }
        std::error_code ec;
        if (!fs::is_regular_file(real, ec)) {
            error(e.line_of("source"), label, "source file not found: " + p.lexically_normal().string());
            return false;
        }
        e.source_path = real.string();
        return true;
    }

    std::string file_;
    std::vector<RegistryError>& errors_;
    const LoadContext& load_;
    YamlBudget budget_;         // what this document's entries have converted so far
    bool over_budget_ = false;  // the budget ran out: the rest of the document is not read
};

}  // namespace

int64_t RawEntry::line_of(std::string_view field) const {
    if (auto it = nested.find(field); it != nested.end()) return it->second;
    if (auto it = lines.find(field); it != lines.end()) return it->second;
    if (auto dot = field.rfind('.'); dot != std::string_view::npos) return line_of(field.substr(0, dot));
    return line;
}

std::vector<RawEntry> read_registry_text(const std::string& text, const std::string& file,
                                         std::vector<RegistryError>& errors, const RuntimeOptions& options) {
    std::vector<RawEntry> entries;
    fs::path dir = fs::path(file).parent_path();
    LoadContext load(options, dir.empty() ? fs::path(".") : dir, nullptr);
    FileReader(file, errors, load).read_text(text, entries);
    return entries;
}

std::vector<RawEntry> read_registry(const fs::path& root, std::vector<RegistryError>& errors,
                                    const RuntimeOptions& options, std::vector<bool>* matched) {
    std::vector<RawEntry> entries;
    std::error_code ec;
    std::vector<fs::path> files;
    fs::path directory = root;
    if (fs::is_regular_file(root, ec)) {
        files.push_back(root);
        directory = root.parent_path().empty() ? fs::path(".") : root.parent_path();
    } else if (fs::is_directory(root, ec)) {
        for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec)) {
            auto ext = it->path().extension();
            if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(it->path());
        }
        std::sort(files.begin(), files.end());
        if (files.empty()) errors.push_back({root.string(), 0, "", "no registry files (*.yaml, *.yml) found"});
    } else {
        errors.push_back({root.string(), 0, "", "registry not found (expected a directory or a YAML file)"});
    }
    if (matched != nullptr) matched->assign(options.overrides.size(), false);
    LoadContext load(options, directory, matched);
    for (const auto& f : files) {
        std::string file = f.lexically_normal().string();
        // A registry file found in the directory is held to the same rule as a source: a
        // symlink to a file elsewhere is not read (its text would show in errors).
        if (fs::path real = resolved(f); f != root && !load.allows(real)) {
            errors.push_back({file, 0, "",
                              "registry file is a symlink to " + real.string() + ", outside the registry directory " +
                                  load.directory.string() + " (add --source-root to allow it)"});
            continue;
        }
        FileReader(file, errors, load).read(entries);
    }

    // Duplicate ids (within this load or against earlier ones) are found by Runtime::load.
    return entries;
}

std::optional<EntryOverride> EntryOverride::parse(std::string_view text) {
    // ns:entry:field=value: the id has one ':', the field follows the second.
    size_t first = text.find(':');
    size_t second = first == std::string_view::npos ? first : text.find(':', first + 1);
    size_t eq = second == std::string_view::npos ? second : text.find('=', second + 1);
    if (first == 0 || second == std::string_view::npos || second == first + 1 || eq == std::string_view::npos ||
        eq == second + 1)
        return std::nullopt;
    // The field is names joined by '.' (list items by index), and never the entry's name.
    std::string_view field = text.substr(second + 1, eq - second - 1);
    if (field.front() == '.' || field.back() == '.' || field.find("..") != std::string_view::npos || field == "name" ||
        field.starts_with("name."))
        return std::nullopt;
    return EntryOverride{std::string(text.substr(0, second)), std::string(text.substr(second + 1, eq - second - 1)),
                         std::string(text.substr(eq + 1))};
}

}  // namespace modrt::kernel
