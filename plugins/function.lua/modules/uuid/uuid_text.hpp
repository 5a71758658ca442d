// UUID text and fields (RFC 9562, formerly RFC 4122): parsing the forms Wippy's
// module accepts, formatting, version, variant and the v1/v7 timestamps.
// Pure functions on 16 bytes; no Lua.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace modrt::lua {

/// A UUID's 16 bytes, in network order.
using UuidBytes = std::array<uint8_t, 16>;

/// Parse "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", the same in braces, with a
/// "urn:uuid:" prefix (any case), or 32 hex digits; hex in any case.
std::optional<UuidBytes> parse_uuid(std::string_view text) noexcept;

/// The 36-character lower-case hyphenated form into `out` (no NUL).
void format_uuid(const UuidBytes& id, char out[36]) noexcept;
/// The 32 lower-case hex digits into `out` (no NUL).
void format_uuid_simple(const UuidBytes& id, char out[32]) noexcept;

/// The version field (the high nibble of byte 6).
inline int uuid_version(const UuidBytes& id) noexcept { return id[6] >> 4; }

/// The variant's name: "NCS" (0xxx), "RFC4122" (10xx), "Microsoft" (110x), "Future" (111x).
const char* uuid_variant(const UuidBytes& id) noexcept;

/// Seconds since the Unix epoch (floor) of a v1 UUID's 60-bit timestamp.
int64_t uuid_v1_unix_seconds(const UuidBytes& id) noexcept;
/// Seconds since the Unix epoch (floor) of a v7 UUID's 48-bit millisecond timestamp.
int64_t uuid_v7_unix_seconds(const UuidBytes& id) noexcept;

/// 100-ns intervals between the Gregorian reform (1582-10-15, v1's epoch) and the Unix epoch.
inline constexpr uint64_t kGregorianToUnix100ns = 0x01B21DD213814000ull;

}  // namespace modrt::lua
