// Sizes written in a registry: a number of bytes, or a number with a unit
// ("512KiB", "64MiB", "1GiB", "16MB"). Shared by the kernel and plugins so
// every limit reads the same way (header-only, C++ only).
#ifndef MODRT_BYTE_SIZE_HPP
#define MODRT_BYTE_SIZE_HPP

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace modrt {

/// Bytes in `text` ("1048576", "1MiB", "1 MB"); nullopt when it is not a size or overflows.
inline std::optional<uint64_t> parse_byte_size(std::string_view text) {
    uint64_t amount = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), amount);
    if (ec != std::errc() || end == text.data()) return std::nullopt;
    std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    struct Unit {
        std::string_view name;
        uint64_t scale;
    };
    constexpr Unit kUnits[] = {
        {"", 1},      {"B", 1},        {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30},
        {"KB", 1000}, {"MB", 1000000}, {"GB", 1000000000}};
    for (const Unit& u : kUnits) {
        if (unit != u.name) continue;
        if (amount > std::numeric_limits<uint64_t>::max() / u.scale) return std::nullopt;
        return amount * u.scale;
    }
    return std::nullopt;
}

}  // namespace modrt

#endif
