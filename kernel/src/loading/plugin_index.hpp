// A plugin directory's index: `plugins.modrt-index`, one file that says what every plugin in
// the directory provides, written at build and install time by `modrt-plugin-manifest --index`.
// With it a scan learns the whole directory from one read, without opening each plugin file
// (its ELF header) or reading each manifest. An entry is used only while its plugin file has
// the size and modification time the index recorded; any other file is described as before.
#pragma once

#include "loading/plugin_manifest.hpp"

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace modrt::kernel {

/// What a file was when the index was written; a plugin whose stat differs is described anew.
struct PluginFileStamp {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    friend bool operator==(const PluginFileStamp&, const PluginFileStamp&) = default;
};

PluginFileStamp stamp_of(const struct stat& st);

/// One directory's index: plugin file name -> its stamp and description.
class PluginIndex {
public:
    struct Item {
        PluginFileStamp stamp;
        PluginManifest manifest;
    };

    /// `dir/plugins.modrt-index`.
    static std::filesystem::path file_in(const std::filesystem::path& dir);

    /// The index text for these items (file name -> item).
    static std::string to_json(const std::map<std::string, Item>& items);
    /// Parse index text; nullopt and `why_not` when it is not a usable index.
    static std::optional<PluginIndex> parse(const std::string& text, std::string& why_not);
    /// Read `file`; nullopt and `why_not` when absent ("no index ...") or unusable.
    static std::optional<PluginIndex> read(const std::filesystem::path& file, std::string& why_not);

    /// The description of `file_name` if the index has it with this very stamp; otherwise
    /// nullopt, and `why_not` says whether it is unlisted or stale.
    std::optional<PluginManifest> describe(const std::string& file_name, const PluginFileStamp& stamp,
                                           std::string& why_not) const;

    size_t size() const { return items_.size(); }

private:
    std::map<std::string, Item, std::less<>> items_;
};

}  // namespace modrt::kernel
