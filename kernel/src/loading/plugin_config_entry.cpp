// Reading plugin.config entries (plugin_config_entry.hpp).
#include "loading/plugin_config_entry.hpp"

namespace modrt::kernel {

PluginConfigEntry read_plugin_config(const RawEntry& entry) {
    PluginConfigEntry out;
    for_each_own_field(entry, [&](const std::string& key, const Value& v) {
        if (key == "plugin") {
            if (v.type != MODRT_STRING || v.str.empty())
                out.problems.emplace_back(key, "plugin: expected a plugin name, e.g. function.lua");
            else out.plugin = v.str;
        } else if (key == "config") {
            if (v.type != MODRT_MAP) out.problems.emplace_back(key, "config: expected a map of settings");
            else out.config = v;
        } else {
            out.problems.emplace_back(key, "unknown field '" + key + "' (plugin.config takes plugin, config)");
        }
    });
    if (out.plugin.empty() && entry.fields.find("plugin") == nullptr)
        out.problems.emplace_back("", "plugin is required: the name of the plugin to configure");
    return out;
}

}  // namespace modrt::kernel
