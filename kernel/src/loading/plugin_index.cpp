#include "loading/plugin_index.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace modrt::kernel {

namespace fs = std::filesystem;

namespace {

constexpr int kIndexFormat = 1;
constexpr const char* kIndexFormatKey = "modrt_plugin_index";
constexpr const char* kFileName = "plugins.modrt-index";
// An entry is a few hundred bytes; a directory of thousands of plugins still fits.
constexpr std::uintmax_t kMaxIndexBytes = 4 * 1024 * 1024;

}  // namespace

PluginFileStamp stamp_of(const struct stat& st) {
    return {static_cast<std::uintmax_t>(st.st_size),
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

fs::path PluginIndex::file_in(const fs::path& dir) { return dir / kFileName; }

std::string PluginIndex::to_json(const std::map<std::string, Item>& items) {
    nlohmann::ordered_json j;
    j[kIndexFormatKey] = kIndexFormat;
    nlohmann::ordered_json& plugins = j["plugins"];
    plugins = nlohmann::ordered_json::array();
    for (const auto& [file, item] : items) {
        nlohmann::ordered_json e;
        e["file"] = file;
        e["size"] = item.stamp.size;
        e["mtime_ns"] = item.stamp.mtime_ns;
        put_manifest_fields(e, item.manifest);
        plugins.push_back(std::move(e));
    }
    // As in manifests: a name that is not UTF-8 is replaced, and the open plugin's check catches it.
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::optional<PluginIndex> PluginIndex::parse(const std::string& text, std::string& why_not) {
    try {
        nlohmann::json j = nlohmann::json::parse(text);
        if (!j.is_object() || !j.contains(kIndexFormatKey) || j[kIndexFormatKey] != kIndexFormat)
            throw std::runtime_error(std::string("no \"") + kIndexFormatKey + "\": " + std::to_string(kIndexFormat) + " key");
        PluginIndex index;
        for (const auto& e : j.at("plugins")) {
            Item item;
            item.stamp.size = e.at("size").get<std::uintmax_t>();
            item.stamp.mtime_ns = e.at("mtime_ns").get<std::int64_t>();
            item.manifest = manifest_fields(e);
            std::string file = e.at("file").get<std::string>();
            if (file.empty() || file.find('/') != std::string::npos)
                throw std::runtime_error("'" + file + "' is not a file name");
            if (!index.items_.emplace(std::move(file), std::move(item)).second)
                throw std::runtime_error("a plugin file is listed twice");
        }
        return index;
    } catch (const std::exception& e) {
        why_not = e.what();
        return std::nullopt;
    }
}

std::optional<PluginIndex> PluginIndex::read(const fs::path& file, std::string& why_not) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        why_not = "no index " + file.string();
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().size() > kMaxIndexBytes) {
        why_not = "index " + file.string() + " is larger than " + std::to_string(kMaxIndexBytes) + " bytes";
        return std::nullopt;
    }
    auto index = parse(text.str(), why_not);
    if (!index) why_not = "index " + file.string() + " is unreadable: " + why_not;
    return index;
}

std::optional<PluginManifest> PluginIndex::describe(const std::string& file_name, const PluginFileStamp& stamp,
                                                    std::string& why_not) const {
    auto it = items_.find(file_name);
    if (it == items_.end()) {
        why_not = "not in the directory's plugin index";
        return std::nullopt;
    }
    if (it->second.stamp != stamp) {
        why_not = "the directory's plugin index is stale for it (size or modification time changed)";
        return std::nullopt;
    }
    return it->second.manifest;
}

}  // namespace modrt::kernel
