// YAML nodes as values, with YAML 1.2 core-schema scalars (quoted scalars stay strings),
// and the checks that keep a hostile document from expanding without bound.
#pragma once

#include <modrt/kernel/runtime.hpp>
#include <modrt/kernel/value.hpp>

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace modrt::kernel {

/// A problem at one node of a document: its 1-based line (0 when unknown) and what is wrong.
class YamlProblem : public std::runtime_error {
public:
    YamlProblem(int64_t line, const std::string& message, bool over_limit = false)
        : std::runtime_error(message), line_(line), over_limit_(over_limit) {}
    int64_t line() const { return line_; }
    /// The document passed a size limit (nodes or bytes): the rest of it would say the same.
    bool over_limit() const { return over_limit_; }

private:
    int64_t line_;
    bool over_limit_;
};

/// Deepest nesting of maps and lists a registry value may have (aliases count as what they expand to).
inline constexpr int kMaxYamlDepth = 256;

/// 1-based line of a node; 0 when it has none.
int64_t yaml_line(const YAML::Node& node);

/// Check a whole parsed document before anything reads it, without expanding aliases:
/// its expanded size (every alias counted each time it is used) is within `limits`, it
/// nests no deeper than kMaxYamlDepth, no alias contains itself, every map key is a
/// string and no map repeats a key. Throws YamlProblem at the first problem.
void check_yaml_document(const YAML::Node& root, const RegistryLimits& limits);

/// Nodes and bytes converted so far from one document, shared by every conversion from it.
class YamlBudget {
public:
    explicit YamlBudget(const RegistryLimits& limits) : limits_(limits) {}
    /// Count one node holding `bytes` of text; throws YamlProblem at `line` past a limit.
    void charge(size_t bytes, int64_t line);

private:
    RegistryLimits limits_;
    uint64_t nodes_ = 0;
    uint64_t bytes_ = 0;
};

/// Convert a node, charging `budget` as it goes; throws YamlProblem for nesting deeper than
/// kMaxYamlDepth, non-string or repeated map keys, or a document past its limits.
Value yaml_to_value(const YAML::Node& node, YamlBudget& budget);

/// The message for a document past one of `limits` (shared with the file-size check).
std::string yaml_nodes_limit_message(const RegistryLimits& limits);
std::string yaml_bytes_limit_message(const RegistryLimits& limits);

}  // namespace modrt::kernel
