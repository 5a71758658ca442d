// Reading registry YAML files into entries, with every problem reported by file and line.
#pragma once

#include <modrt/kernel/runtime.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace modrt::kernel {

/// One entry as declared, before any plugin has seen it.
struct RawEntry {
    std::string id;  // namespace:name
    std::string kind;
    std::string file;
    int64_t line = 0;
    Value fields;                                        // the whole entry as a map
    std::map<std::string, int64_t, std::less<>> lines;   // top-level field -> line
    std::map<std::string, int64_t, std::less<>> nested;  // "pool.workers", "policy.conditions.0.operator" -> line
    std::string source_path;                             // `source: file://...` resolved; "" when absent
    std::string method;

    /// Line of `field` ("pool", "pool.workers", "policy.conditions.0"; list items by 0-based
    /// index), falling back to its closest recorded parent, then to the entry's line.
    int64_t line_of(std::string_view field) const;
};

/// One problem with a field of an entry the kernel reads itself: the field
/// ("defaults.retry", "" for the entry) and what is wrong.
struct FieldProblem {
    std::string field;
    std::string message;
};

/// Call f(key, value) for each field of a kernel-read entry (runtime.*, plugin.config)
/// except those every entry has (name, kind, meta).
template <class F>
void for_each_own_field(const RawEntry& entry, F&& f) {
    const Value& fields = entry.fields;
    for (size_t i = 0; i < fields.keys.size(); ++i) {
        const std::string& key = fields.keys[i];
        if (key != "name" && key != "kind" && key != "meta") f(key, fields.items[i]);
    }
}

/// Read every *.yaml / *.yml under `root` (or `root` itself when a file), sorted by path.
/// Appends each problem to `errors` and returns the entries that passed the kernel's checks.
/// `options.overrides` replace fields of the entries they name before anything reads them;
/// `matched[i]` is set when overrides[i] named an entry of this load. Each document is held to
/// `options.registry_limits`; `source: file://` must resolve (symlinks too) inside the registry's
/// directory (`root`, or its directory when a file) or one of `options.source_roots`.
std::vector<RawEntry> read_registry(const std::filesystem::path& root, std::vector<RegistryError>& errors,
                                    const RuntimeOptions& options, std::vector<bool>* matched = nullptr);

/// Read one registry document from memory, as if it were `file` (for fuzzing and tests;
/// duplicate ids across documents are not checked; sources are confined to `file`'s directory).
std::vector<RawEntry> read_registry_text(const std::string& text, const std::string& file,
                                         std::vector<RegistryError>& errors, const RuntimeOptions& options = {});

}  // namespace modrt::kernel
