// The call path's id -> entry table: every id is found, misses stay misses,
// and ids that differ only in their last characters do not pile up.
#include "loading/entry_index.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <set>
#include <string>

namespace modrt::kernel {
namespace {

// Entries are only compared by address here.
const Entry* fake_entry(size_t i) { return reinterpret_cast<const Entry*>(uintptr_t{16} * (i + 1)); }

TEST(EntryIndex, FindsEveryIdOfEveryLengthAndMissesTheRest) {
    std::deque<std::string> ids;  // the index borrows its keys
    for (size_t len = 1; len <= 40; ++len)
        for (char c : {'a', 'b', 'z'}) ids.push_back(std::string(len - 1, 'x') + c);
    EntryIndex index;
    for (size_t i = 0; i < ids.size(); ++i) index.insert(ids[i], fake_entry(i));
    for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(index.find(ids[i]), fake_entry(i)) << ids[i];
    EXPECT_EQ(index.find(""), nullptr);
    EXPECT_EQ(index.find("xxxc"), nullptr);
    EXPECT_EQ(index.find(std::string(41, 'x')), nullptr);
    EXPECT_EQ(EntryIndex{}.find("app:x"), nullptr);
}

TEST(EntryIndex, ReadsNothingPastTheEndOfAnId) {
    // The same ids inside two buffers with different bytes after them: every length hashes alike.
    std::string a(64, 'A'), b(64, 'B');
    for (size_t len = 0; len <= 40; ++len) {
        for (size_t k = 0; k < len; ++k) a[k] = b[k] = static_cast<char>('a' + (k * 7) % 26);
        EXPECT_EQ(EntryIndex::hash(std::string_view(a.data(), len)), EntryIndex::hash(std::string_view(b.data(), len)))
            << "length " << len;
        a.assign(64, 'A');
        b.assign(64, 'B');
    }
}

TEST(EntryIndex, IdsDifferingOnlyAtTheEndSpreadOverTheTable) {
    // The low bits pick the slot: 1,000 ids like "app.api:handler_17" must not share them.
    std::set<uint64_t> low_bits;
    for (int i = 0; i < 1000; ++i) low_bits.insert(EntryIndex::hash("app.api:handler_" + std::to_string(i)) & 4095);
    EXPECT_GT(low_bits.size(), 850u);  // ~885 expected for 1,000 random draws from 4,096
    std::set<uint64_t> short_ids;
    for (int i = 0; i < 1000; ++i) short_ids.insert(EntryIndex::hash("a:" + std::to_string(i)) & 4095);
    EXPECT_GT(short_ids.size(), 850u);
}

}  // namespace
}  // namespace modrt::kernel
