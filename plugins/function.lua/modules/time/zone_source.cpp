// Zone files (zone_source.hpp).
#include "modules/time/zone_source.hpp"

#include "modules/time/tzif.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

namespace modrt::lua::gotime {
namespace {

// Zone files are a few KiB; anything far larger is not one.
constexpr std::uintmax_t kMaxZoneFile = 1 << 20;

constexpr const char* kSystemDirs[] = {"/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/",
                                       "/etc/zoneinfo/"};

std::optional<std::string> read_small_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
    auto size = std::filesystem::file_size(path, ec);
    if (ec || size > kMaxZoneFile) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return data;
}

// The zone in file `path`, named `name`; null when unreadable or malformed.
std::shared_ptr<const Zone> zone_from_file(const std::filesystem::path& path, std::string name) {
    auto data = read_small_file(path);
    if (!data) return nullptr;
    std::string why;
    return parse_tzif(std::move(name), *data, &why);
}

std::shared_ptr<const Zone> zone_from_dirs(std::string_view name, std::string zone_name) {
    if (const char* dir = std::getenv("ZONEINFO"); dir != nullptr && *dir != '\0') {
        if (auto z = zone_from_file(std::filesystem::path(dir) / name, zone_name)) return z;
    }
    for (const char* dir : kSystemDirs) {
        if (auto z = zone_from_file(std::filesystem::path(dir) / name, zone_name)) return z;
    }
    return nullptr;
}

}  // namespace

ZoneLoad load_zone(std::string_view name) {
    if (name.empty()) return {ZoneLoad::Status::invalid_name, nullptr, "time: empty location name"};
    if (name == "UTC") return {};
    if (name == "Local") return {ZoneLoad::Status::ok, load_local_zone(), {}};
    if (name.find("..") != std::string_view::npos || name[0] == '/' || name[0] == '\\' ||
        name.find('\0') != std::string_view::npos)
        return {ZoneLoad::Status::invalid_name, nullptr, "time: invalid location name"};
    if (auto z = zone_from_dirs(name, std::string(name))) return {ZoneLoad::Status::ok, std::move(z), {}};
    return {ZoneLoad::Status::not_found, nullptr, "unknown time zone " + std::string(name)};
}

std::shared_ptr<const Zone> load_local_zone() {
    const char* tz = std::getenv("TZ");
    if (tz == nullptr) return zone_from_file("/etc/localtime", "Local");
    std::string_view name(tz);
    if (!name.empty() && name[0] == ':') name.remove_prefix(1);
    if (name.empty() || name == "UTC") return nullptr;
    if (name[0] == '/') return zone_from_file(std::filesystem::path(name), "Local");
    if (name.find("..") != std::string_view::npos) return nullptr;
    return zone_from_dirs(name, "Local");
}

}  // namespace modrt::lua::gotime
