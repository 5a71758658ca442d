// The id -> entry lookup on the call path: open addressing over a power-of-two
// table, so a lookup is one hash, a mask and (almost always) one compare; no
// modulo by a prime as in std::unordered_map.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace modrt::kernel {

struct Entry;

class EntryIndex {
public:
    /// Add `key` (which must outlive the index, e.g. the entry's own id) -> `entry`.
    void insert(std::string_view key, const Entry* entry) {
        if ((count_ + 1) * 2 > slots_.size()) grow();
        place(Slot{hash(key), key, entry});
        ++count_;
    }

    const Entry* find(std::string_view key) const noexcept {
        if (slots_.empty()) return nullptr;
        uint64_t h = hash(key);
        for (size_t i = h & mask_;; i = (i + 1) & mask_) {
            const Slot& s = slots_[i];
            if (s.entry == nullptr) return nullptr;
            if (s.hash == h && equal(s.key, key)) return s.entry;
        }
    }

    /// 64-bit hash built on a folded 64x64->128 multiply. An id of up to 16 bytes (most
    /// are) costs two loads and two dependent multiplies, half the chain of the
    /// multiply-xorshift rounds plus avalanche used before.
    static uint64_t hash(std::string_view key) noexcept {
        constexpr uint64_t kA = 0x9E3779B97F4A7C15ull, kB = 0xD6E8FEB86659FD93ull, kC = 0xA0761D6478BD642Full;
        const char* p = key.data();
        size_t n = key.size();
        const char* end = p + n;
        uint64_t seed = kC, a, b;
        if (n >= 8) {
            for (; n > 16; p += 16, n -= 16) seed = fold(load8(p) ^ kA, load8(p + 8) ^ seed);
            // The last 16 bytes (or all 8..15) as two words, overlapping what came before.
            a = key.size() >= 16 ? load8(end - 16) : load8(key.data());
            b = load8(end - 8);
        } else if (n >= 4) {
            a = (uint64_t{load4(p)} << 32) | load4(p + n - 4);
            b = 0;
        } else {
            a = n == 0 ? 0 : (uint64_t{uint8_t(p[0])} << 16) | (uint64_t{uint8_t(p[n / 2])} << 8) | uint8_t(p[n - 1]);
            b = 0;
        }
        // Both words, then the length, go through a full-width multiply each.
        return fold(kB ^ key.size(), fold(a ^ kA, b ^ seed));
    }

private:
    /// The high and low halves of a * b, xored: a cheap, well-mixing 64-bit step.
    static uint64_t fold(uint64_t a, uint64_t b) noexcept {
        __extension__ using Wide = unsigned __int128;  // GCC and Clang; __extension__ keeps -Wpedantic quiet
        Wide r = static_cast<Wide>(a) * b;
        return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
    }
    static uint64_t load8(const char* p) noexcept {
        uint64_t w;
        std::memcpy(&w, p, 8);
        return w;
    }
    static uint32_t load4(const char* p) noexcept {
        uint32_t w;
        std::memcpy(&w, p, 4);
        return w;
    }

    /// Ids are short: compare 8 bytes at a time inline (the last word overlapping) rather than calling memcmp.
    static bool equal(std::string_view a, std::string_view b) noexcept {
        size_t n = a.size();
        if (n != b.size()) return false;
        const char* p = a.data();
        const char* q = b.data();
        if (n >= 8) {
            for (size_t i = 0; i + 8 < n; i += 8)
                if (load8(p + i) != load8(q + i)) return false;
            return load8(p + n - 8) == load8(q + n - 8);
        }
        if (n >= 4) return load4(p) == load4(q) && load4(p + n - 4) == load4(q + n - 4);
        for (size_t i = 0; i < n; ++i)
            if (p[i] != q[i]) return false;
        return true;
    }

    struct Slot {
        uint64_t hash = 0;
        std::string_view key;
        const Entry* entry = nullptr;
    };

    void place(const Slot& slot) {
        size_t i = slot.hash & mask_;
        while (slots_[i].entry != nullptr) i = (i + 1) & mask_;
        slots_[i] = slot;
    }

    void grow() {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
        mask_ = slots_.size() - 1;
        for (const Slot& s : old)
            if (s.entry != nullptr) place(s);
    }

    std::vector<Slot> slots_;
    size_t mask_ = 0;
    size_t count_ = 0;
};

}  // namespace modrt::kernel
