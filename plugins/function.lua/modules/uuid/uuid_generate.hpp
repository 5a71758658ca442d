// Making UUIDs: v4 from OpenSSL's RAND_bytes, v3/v5 from MD5/SHA-1 of namespace
// and name (digests.hpp), v1 and v7 from the wall clock.
//
// v1 and v7 keep what they last made in a UuidClock, so that the UUIDs one
// clock makes are unique and increasing even within one clock tick or when
// the wall clock steps back: v1 counts its 60-bit timestamp on from the last
// one; v7 puts the sub-millisecond fraction in its 12-bit rand_a (RFC 9562
// 6.2, method 3) and counts it on. Each uuid module instance (one per state
// and requiring module) has its own clock with a random clock sequence and a
// random node id (multicast bit set, RFC 9562 6.10: no MAC address is read),
// so clocks of different states do not collide either.
#pragma once

#include "modules/uuid/uuid_text.hpp"

#include <cstdint>
#include <string_view>

namespace modrt::lua {

/// What v1 and v7 last made. Trivially destructible: it lives in a Lua userdata.
struct UuidClock {
    bool seeded = false;       ///< clock_seq and node are set
    uint16_t clock_seq = 0;    ///< v1's 14-bit clock sequence
    uint8_t node[6] = {};      ///< v1's node id
    uint64_t last_v1 = 0;      ///< v1's last 60-bit timestamp
    uint64_t last_v7_ms = 0;   ///< v7's last millisecond
    uint16_t last_v7_seq = 0;  ///< v7's last 12-bit rand_a
};

/// Each returns false when OpenSSL's random generator or digest fails.
bool make_uuid_v4(UuidBytes& out) noexcept;
/// v1: time-based.
bool make_uuid_v1(UuidClock& clock, UuidBytes& out) noexcept;
/// v7: Unix-millisecond time-ordered.
bool make_uuid_v7(UuidClock& clock, UuidBytes& out) noexcept;
/// v3 (MD5, `version` 3) or v5 (SHA-1, `version` 5) of namespace and name.
bool make_uuid_named(int version, const UuidBytes& name_space, std::string_view name, UuidBytes& out) noexcept;

}  // namespace modrt::lua
