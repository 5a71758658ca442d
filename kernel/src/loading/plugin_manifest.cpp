#include "loading/plugin_manifest.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace modrt::kernel {

namespace fs = std::filesystem;

namespace {

constexpr int kManifestFormat = 1;
constexpr const char* kManifestFormatKey = "modrt_plugin_manifest";
// A manifest is a few hundred bytes; anything much bigger is not one of ours.
constexpr std::uintmax_t kMaxManifestBytes = 256 * 1024;

std::string list_text(const std::vector<std::string>& names) {
    std::string out = "[";
    for (const auto& n : names) out += (out.size() > 1 ? ", " : "") + n;
    return out + "]";
}

PluginManifest parse(const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text);  // throws on malformed JSON
    if (!j.is_object()) throw std::runtime_error("not a JSON object");
    if (!j.contains(kManifestFormatKey) || j[kManifestFormatKey] != kManifestFormat)
        throw std::runtime_error(std::string("no \"") + kManifestFormatKey + "\": " + std::to_string(kManifestFormat) + " key");
    return manifest_fields(j);
}

}  // namespace

PluginManifest manifest_fields(const nlohmann::json& j) {
    PluginManifest m;
    m.name = j.at("name").get<std::string>();
    m.version = j.at("version").get<std::string>();
    m.abi_major = j.at("abi_major").get<uint32_t>();
    m.abi_minor = j.at("abi_minor").get<uint32_t>();
    m.provides = j.at("provides").get<std::vector<std::string>>();
    if (j.contains("build_id")) m.build_id = j["build_id"].get<std::string>();
    if (m.name.empty()) throw std::runtime_error("empty plugin name");
    for (const auto& p : m.provides)
        if (p.empty()) throw std::runtime_error("an empty name in provides");
    return m;
}

void put_manifest_fields(nlohmann::ordered_json& j, const PluginManifest& m) {
    if (!m.build_id.empty()) j["build_id"] = m.build_id;
    j["name"] = m.name;
    j["version"] = m.version;
    j["abi_major"] = m.abi_major;
    j["abi_minor"] = m.abi_minor;
    j["provides"] = m.provides;
}

fs::path manifest_path(const fs::path& plugin) {
    fs::path out = plugin;
    return out.replace_extension(".modrt-manifest");
}

PluginManifest manifest_of(const modrt_plugin_descriptor& d, std::string build_id) {
    PluginManifest m;
    m.name = d.name;
    m.version = d.version ? d.version : "";
    m.abi_major = d.abi_major;
    m.abi_minor = d.abi_minor;
    for (size_t i = 0; i < d.provides_count; ++i) m.provides.emplace_back(d.provides[i].name);
    m.build_id = std::move(build_id);
    return m;
}

std::string manifest_json(const PluginManifest& m, const std::string& plugin_file_name) {
    nlohmann::ordered_json j;
    j[kManifestFormatKey] = kManifestFormat;
    j["plugin"] = plugin_file_name;
    put_manifest_fields(j, m);
    // Replace invalid UTF-8 rather than throw: the kernel compares names byte for byte
    // against the descriptor, so such a plugin is simply opened and checked when used.
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::optional<PluginManifest> read_manifest(const fs::path& plugin, const std::string& plugin_build_id,
                                            std::string& why_not) {
    const fs::path file = manifest_path(plugin);
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        why_not = "no manifest " + file.filename().string();
        return std::nullopt;
    }
    auto size = fs::file_size(file, ec);
    if (ec || size > kMaxManifestBytes) {
        why_not = "manifest " + file.string() + " is unreadable: " +
                  (ec ? ec.message() : "larger than " + std::to_string(kMaxManifestBytes) + " bytes");
        return std::nullopt;
    }
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    PluginManifest m;
    try {
        m = parse(text.str());
    } catch (const std::exception& e) {
        why_not = "manifest " + file.string() + " is unreadable: " + e.what();
        return std::nullopt;
    }
    if (!m.build_id.empty() || !plugin_build_id.empty()) {
        if (m.build_id != plugin_build_id) {
            why_not = "manifest " + file.string() + " is stale: it describes build " +
                      (m.build_id.empty() ? "(none)" : m.build_id) + ", the plugin is build " +
                      (plugin_build_id.empty() ? "(none)" : plugin_build_id);
            return std::nullopt;
        }
    } else {
        auto manifest_time = fs::last_write_time(file, ec);
        auto plugin_time = ec ? manifest_time : fs::last_write_time(plugin, ec);
        if (ec || manifest_time < plugin_time) {
            why_not = "manifest " + file.string() + " is stale: older than the plugin";
            return std::nullopt;
        }
    }
    return m;
}

std::string manifest_mismatch(const PluginManifest& m, const modrt_plugin_descriptor& d) {
    PluginManifest actual = manifest_of(d, m.build_id);
    if (actual.name != m.name) return "its manifest names plugin '" + m.name + "', the plugin is '" + actual.name + "'";
    if (actual.version != m.version)
        return "its manifest says version " + m.version + ", the plugin is version " + actual.version;
    if (actual.abi_major != m.abi_major || actual.abi_minor != m.abi_minor)
        return "its manifest says ABI " + std::to_string(m.abi_major) + "." + std::to_string(m.abi_minor) +
               ", the plugin was built for " + std::to_string(actual.abi_major) + "." +
               std::to_string(actual.abi_minor);
    if (actual.provides != m.provides)
        return "its manifest says it provides " + list_text(m.provides) + ", the plugin provides " +
               list_text(actual.provides);
    return "";
}

}  // namespace modrt::kernel
