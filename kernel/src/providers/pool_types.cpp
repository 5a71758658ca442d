// Pool-type inference from an entry's `pool:` field (pool_types.hpp).
#include "providers/pool_types.hpp"

#include <array>
#include <string_view>
#include <utility>

namespace modrt::kernel {

namespace {

// An option that only one built-in pool type takes, and that type (checked in this order).
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kTypeByOption{{
    {"workers", "static"},
    {"size", "static"},
    {"max_size", "lazy"},
}};

}  // namespace

PoolChoice choose_pool(const Value* pool) {
    PoolChoice choice;
    choice.type = kDefaultPoolType;
    if (pool == nullptr) return choice;
    for (size_t i = 0; i < pool->keys.size(); ++i)
        if (pool->keys[i] != "type") choice.options.insert(pool->keys[i]) = pool->items[i];
    if (const Value* t = pool->find("type")) {
        if (t->type != MODRT_STRING || t->str.empty())
            choice.problem = "'pool.type' must be a pool type name such as inline, static, lazy";
        else choice.type = t->str;
        return choice;
    }
    for (const auto& [option, type] : kTypeByOption)
        if (pool->find(option) != nullptr) {
            choice.type = type;
            break;
        }
    return choice;
}

}  // namespace modrt::kernel
