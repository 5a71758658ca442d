// YAML nodes as values, with YAML 1.2 core-schema scalars (quoted scalars stay strings).
#pragma once

#include <modrt/kernel/value.hpp>

#include <yaml-cpp/yaml.h>

namespace modrt::kernel {
/// Convert a node; throws std::runtime_error for aliases nested too deep or non-string map keys.
Value yaml_to_value(const YAML::Node& node);
}  // namespace modrt::kernel
