// The kernel's `plugin.config` entry kind: the config map a plugin receives
// when it is initialised (the `config` argument of its init).
//
//   - name: lua_settings
//     kind: plugin.config
//     plugin: function.lua    # the plugin's name (modrt plugins lists them)
//     config: {memory_limit: 32MiB}
//
// Plugins initialise when the first entry needing them binds, so configs are
// read before any other entry of the same load; a plugin already initialised
// by an earlier load cannot be configured any more.
#pragma once

#include "loading/registry_reader.hpp"

#include <modrt/kernel/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace modrt::kernel {

inline constexpr std::string_view kPluginConfigKind = "plugin.config";

/// A plugin.config entry's content, or its problems (field, message).
struct PluginConfigEntry {
    std::string plugin;
    Value config = Value::map();
    std::vector<std::pair<std::string, std::string>> problems;
};

/// Read and check the fields of a plugin.config entry.
PluginConfigEntry read_plugin_config(const RawEntry& entry);

}  // namespace modrt::kernel
