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

    /// 64-bit hash reading 8 bytes at a time (multiply-xorshift mixing).
    static uint64_t hash(std::string_view key) noexcept {
        constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;
        uint64_t h = key.size() * kMul;
        size_t i = 0;
        for (; i + 8 <= key.size(); i += 8) {
            uint64_t w;
            std::memcpy(&w, key.data() + i, 8);
            h = (h ^ w) * kMul;
            h ^= h >> 29;
        }
        if (i < key.size()) {
            // The tail: the last 8 bytes (overlapping) when the key has them, so the copy
            // has a constant size and compiles to one load instead of a memcpy call.
            uint64_t w = 0;
            if (key.size() >= 8) std::memcpy(&w, key.data() + key.size() - 8, 8);
            else
                for (size_t j = i; j < key.size(); ++j) w = (w << 8) | static_cast<unsigned char>(key[j]);
            h = (h ^ w) * kMul;
            h ^= h >> 29;
        }
        // A full avalanche (murmur3's fmix64): the mixing above carries a word's high bytes
        // (the last characters of "app:policy12") only upwards, so without it ids that
        // differ at the end shared their low bits and piled up in one run of slots.
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDull;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53ull;
        return h ^ (h >> 33);
    }

private:
    /// Ids are short: compare 8 bytes at a time inline rather than calling memcmp.
    static bool equal(std::string_view a, std::string_view b) noexcept {
        if (a.size() != b.size()) return false;
        size_t i = 0;
        for (; i + 8 <= a.size(); i += 8) {
            uint64_t x, y;
            std::memcpy(&x, a.data() + i, 8);
            std::memcpy(&y, b.data() + i, 8);
            if (x != y) return false;
        }
        for (; i < a.size(); ++i)
            if (a[i] != b[i]) return false;
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
