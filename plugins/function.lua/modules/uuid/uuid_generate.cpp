// Making UUIDs (uuid_generate.hpp).
#include "modules/uuid/uuid_generate.hpp"

#include "modules/crypto/libcrypto.hpp"

#include "modules/hash/digests.hpp"


#include <chrono>
#include <cstring>

namespace modrt::lua {
namespace {

void set_version_and_variant(UuidBytes& id, int version) noexcept {
    id[6] = static_cast<uint8_t>((id[6] & 0x0F) | (version << 4));
    id[8] = static_cast<uint8_t>((id[8] & 0x3F) | 0x80);  // RFC 4122 / 9562 variant: 10xx
}

bool random_bytes(uint8_t* out, int n) noexcept { return crypto().RAND_bytes(out, n) == 1; }

// Nanoseconds since the Unix epoch on the wall clock (v1 and v7 carry wall time).
uint64_t unix_ns() noexcept {
    auto since = std::chrono::system_clock::now().time_since_epoch();
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(since).count();
    return ns > 0 ? static_cast<uint64_t>(ns) : 0;
}

bool seed(UuidClock& clock) noexcept {
    if (clock.seeded) return true;
    uint8_t r[8];
    if (!random_bytes(r, sizeof r)) return false;
    clock.clock_seq = static_cast<uint16_t>((r[0] << 8 | r[1]) & 0x3FFF);
    std::memcpy(clock.node, r + 2, sizeof clock.node);
    clock.node[0] |= 0x01;  // multicast bit: a random node id, never a MAC address
    clock.seeded = true;
    return true;
}

}  // namespace

bool make_uuid_v4(UuidBytes& out) noexcept {
    if (!random_bytes(out.data(), static_cast<int>(out.size()))) return false;
    set_version_and_variant(out, 4);
    return true;
}

bool make_uuid_v1(UuidClock& clock, UuidBytes& out) noexcept {
    if (!seed(clock)) return false;
    uint64_t t = unix_ns() / 100 + kGregorianToUnix100ns;
    if (t <= clock.last_v1) t = clock.last_v1 + 1;
    clock.last_v1 = t;
    out[0] = static_cast<uint8_t>(t >> 24);
    out[1] = static_cast<uint8_t>(t >> 16);
    out[2] = static_cast<uint8_t>(t >> 8);
    out[3] = static_cast<uint8_t>(t);
    out[4] = static_cast<uint8_t>(t >> 40);
    out[5] = static_cast<uint8_t>(t >> 32);
    out[6] = static_cast<uint8_t>(t >> 56);
    out[7] = static_cast<uint8_t>(t >> 48);
    out[8] = static_cast<uint8_t>(clock.clock_seq >> 8);
    out[9] = static_cast<uint8_t>(clock.clock_seq);
    std::memcpy(out.data() + 10, clock.node, sizeof clock.node);
    set_version_and_variant(out, 1);
    return true;
}

bool make_uuid_v7(UuidClock& clock, UuidBytes& out) noexcept {
    if (!random_bytes(out.data() + 8, 8)) return false;
    uint64_t ns = unix_ns();
    uint64_t ms = ns / 1'000'000;
    auto seq = static_cast<uint16_t>((ns % 1'000'000) * 4096 / 1'000'000);  // the fraction, in 1/4096 ms
    if (ms < clock.last_v7_ms || (ms == clock.last_v7_ms && seq <= clock.last_v7_seq)) {
        ms = clock.last_v7_ms;
        seq = static_cast<uint16_t>(clock.last_v7_seq + 1);
        if (seq > 0x0FFF) {  // 4096 in one millisecond: borrow the next one
            ++ms;
            seq = 0;
        }
    }
    clock.last_v7_ms = ms;
    clock.last_v7_seq = seq;
    for (int i = 0; i < 6; ++i) out[static_cast<size_t>(i)] = static_cast<uint8_t>(ms >> (40 - 8 * i));
    out[6] = static_cast<uint8_t>(seq >> 8);
    out[7] = static_cast<uint8_t>(seq);
    set_version_and_variant(out, 7);
    return true;
}

bool make_uuid_named(int version, const UuidBytes& name_space, std::string_view name, UuidBytes& out) noexcept {
    std::string_view ns(reinterpret_cast<const char*>(name_space.data()), name_space.size());
    Digest d;
    if (!compute_digest(version == 3 ? DigestId::md5 : DigestId::sha1, ns, name, d) || d.len < out.size()) return false;
    std::memcpy(out.data(), d.bytes, out.size());
    set_version_and_variant(out, version);
    return true;
}

}  // namespace modrt::lua
