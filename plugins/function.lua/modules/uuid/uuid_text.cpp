// UUID text and fields (uuid_text.hpp).
#include "modules/uuid/uuid_text.hpp"

#include "modules/hash/digests.hpp"

#include <cstddef>

namespace modrt::lua {
namespace {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// 32 hex digits, with hyphens where `hyphens` says (36 chars) or none (32).
std::optional<UuidBytes> parse_hex(std::string_view s, bool hyphens) noexcept {
    UuidBytes id{};
    size_t pos = 0;
    for (size_t i = 0; i < id.size(); ++i) {
        if (hyphens && (pos == 8 || pos == 13 || pos == 18 || pos == 23)) {
            if (s[pos] != '-') return std::nullopt;
            ++pos;
        }
        int hi = hex_value(s[pos]);
        int lo = hex_value(s[pos + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        id[i] = static_cast<uint8_t>(hi << 4 | lo);
        pos += 2;
    }
    return id;
}

bool starts_with_urn(std::string_view s) noexcept {
    constexpr std::string_view kUrn = "urn:uuid:";
    if (s.size() < kUrn.size()) return false;
    for (size_t i = 0; i < kUrn.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != kUrn[i]) return false;
    }
    return true;
}

}  // namespace

std::optional<UuidBytes> parse_uuid(std::string_view text) noexcept {
    switch (text.size()) {
        case 32: return parse_hex(text, false);
        case 36: return parse_hex(text, true);
        case 38:
            if (text.front() != '{' || text.back() != '}') return std::nullopt;
            return parse_hex(text.substr(1, 36), true);
        case 45:
            if (!starts_with_urn(text)) return std::nullopt;
            return parse_hex(text.substr(9), true);
        default: return std::nullopt;
    }
}

void format_uuid(const UuidBytes& id, char out[36]) noexcept {
    size_t pos = 0;
    for (size_t i = 0; i < id.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[pos++] = '-';
        to_hex(&id[i], 1, out + pos);
        pos += 2;
    }
}

void format_uuid_simple(const UuidBytes& id, char out[32]) noexcept { to_hex(id.data(), id.size(), out); }

const char* uuid_variant(const UuidBytes& id) noexcept {
    uint8_t b = id[8];
    if ((b & 0x80) == 0) return "NCS";
    if ((b & 0xC0) == 0x80) return "RFC4122";
    if ((b & 0xE0) == 0xC0) return "Microsoft";
    return "Future";
}

int64_t uuid_v1_unix_seconds(const UuidBytes& id) noexcept {
    uint64_t t = (uint64_t{id[6] & 0x0Fu} << 56) | (uint64_t{id[7]} << 48) | (uint64_t{id[4]} << 40) |
                 (uint64_t{id[5]} << 32) | (uint64_t{id[0]} << 24) | (uint64_t{id[1]} << 16) | (uint64_t{id[2]} << 8) |
                 uint64_t{id[3]};
    // Signed: a v1 timestamp may be before 1970. Floor division.
    int64_t since_unix = static_cast<int64_t>(t) - static_cast<int64_t>(kGregorianToUnix100ns);
    int64_t seconds = since_unix / 10'000'000;
    if (since_unix % 10'000'000 < 0) --seconds;
    return seconds;
}

int64_t uuid_v7_unix_seconds(const UuidBytes& id) noexcept {
    uint64_t ms = 0;
    for (size_t i = 0; i < 6; ++i) ms = ms << 8 | id[i];
    return static_cast<int64_t>(ms / 1000);
}

}  // namespace modrt::lua
