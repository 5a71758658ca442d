// A plugin's manifest: `<stem>.modrt-manifest` beside `<stem>.so`, written at build time by
// modrt-plugin-manifest from the plugin's own descriptor. It tells the kernel what a plugin
// provides without opening it (so no plugin code runs unless a registry needs it); the
// kernel checks the descriptor against it when it does open the plugin.
#pragma once

#include <modrt/abi.h>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace modrt::kernel {

struct PluginManifest {
    std::string name;
    std::string version;
    uint32_t abi_major = 0;
    uint32_t abi_minor = 0;
    std::vector<std::string> provides;
    std::string build_id;  // the plugin's GNU build-id in hex when it has one
};

/// The description fields of a manifest-shaped JSON object (as in a manifest or an index
/// entry); throws on a missing or mistyped field, an empty name.
PluginManifest manifest_fields(const nlohmann::json& j);
/// Write `m`'s description fields into `j` (build_id only when there is one).
void put_manifest_fields(nlohmann::ordered_json& j, const PluginManifest& m);

/// `dir/x.so` -> `dir/x.modrt-manifest`.
std::filesystem::path manifest_path(const std::filesystem::path& plugin);

/// What a (checked) descriptor says, as a manifest.
PluginManifest manifest_of(const modrt_plugin_descriptor& d, std::string build_id);

/// The manifest as JSON text (for the plugin file named `plugin_file_name`).
std::string manifest_json(const PluginManifest& m, const std::string& plugin_file_name);

/// The manifest beside `plugin` if there is one and it describes this very file (same build
/// id, or when either lacks one, not older than the plugin); otherwise nullopt and
/// `why_not` says why ("no manifest", "stale: ...", "unreadable: ...").
std::optional<PluginManifest> read_manifest(const std::filesystem::path& plugin, const std::string& plugin_build_id,
                                            std::string& why_not);

/// How the opened plugin's descriptor disagrees with its manifest, or "".
std::string manifest_mismatch(const PluginManifest& m, const modrt_plugin_descriptor& d);

}  // namespace modrt::kernel
