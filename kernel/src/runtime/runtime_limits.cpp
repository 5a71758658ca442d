// The runtime.limits entry and the value size measure (runtime_limits.hpp).
#include "runtime/runtime_limits.hpp"

#include <modrt/byte_size.hpp>

#include <limits>

namespace modrt::kernel {

namespace {

// What one value occupies in memory besides its bytes, so that max_value_size bounds the
// memory a value really takes (a value shared many times in Lua becomes that many copies).
constexpr uint64_t kPerValue = 96;
static_assert(sizeof(Value) <= kPerValue, "kPerValue (and function.lua's copy) must cover a Value");
// Past this depth of nesting a value is rejected whatever its bytes: walking it would
// recurse too deep (the JSON reader and Lua converter stop well before).
constexpr int kMaxNesting = 1000;

// Adds v's size to `total`; false once it passes `limit`.
bool add_size(const Value& v, uint64_t limit, uint64_t& total, int nesting) noexcept {
    total += kPerValue + v.str.size();
    if (total > limit || nesting > kMaxNesting) return false;
    for (const auto& key : v.keys) {
        total += key.size();
        if (total > limit) return false;
    }
    for (const auto& item : v.items)
        if (!add_size(item, limit, total, nesting + 1)) return false;
    return true;
}

}  // namespace

std::vector<FieldProblem> read_limits(const RawEntry& entry, Limits& limits) {
    std::vector<FieldProblem> problems;
    for_each_own_field(entry, [&](const std::string& key, const Value& v) {
        if (key == "max_depth") {
            if (v.type != MODRT_INT || v.scalar.i < 1 || v.scalar.i > 100000)
                problems.push_back({key, "max_depth: expected a whole number from 1 to 100000"});
            else limits.max_depth = static_cast<uint32_t>(v.scalar.i);
        } else if (key == "max_value_size") {
            std::optional<uint64_t> bytes;
            if (v.type == MODRT_INT && v.scalar.i > 0) bytes = static_cast<uint64_t>(v.scalar.i);
            else if (v.type == MODRT_STRING) bytes = parse_byte_size(v.str);
            if (!bytes || *bytes < 1024)
                problems.push_back({key, "max_value_size: expected a size of at least 1KiB, e.g. 16MiB or 1048576"});
            else limits.max_value_size = *bytes;
        } else {
            problems.push_back({key, "unknown field '" + key + "' (runtime.limits takes max_depth, max_value_size)"});
        }
    });
    return problems;
}

bool value_walk_larger_than(const Value& v, uint64_t limit) noexcept {
    uint64_t total = 0;
    return !add_size(v, limit, total, 0);
}

}  // namespace modrt::kernel
