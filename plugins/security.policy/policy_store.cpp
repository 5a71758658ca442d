// Policies by id and group (policy_store.hpp).
#include "policy_store.hpp"

#include <algorithm>

namespace modrt::security {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

}  // namespace

void PolicyStore::add(const Policy* p) {
    by_id_[p->id] = p;
    for (const auto& g : p->groups) groups_[g].push_back(p);
}

void PolicyStore::remove(const Policy* p) {
    by_id_.erase(p->id);
    for (const auto& g : p->groups) {
        auto it = groups_.find(g);
        if (it == groups_.end()) continue;
        std::erase(it->second, p);
        if (it->second.empty()) groups_.erase(it);
    }
}

std::vector<const Policy*> PolicyStore::resolve(std::string_view scope, std::string* missing) const {
    std::vector<const Policy*> out;
    auto note_missing = [&](std::string what) {
        if (missing != nullptr && missing->empty()) *missing = std::move(what);
    };
    if (scope.size() >= 2 && scope.front() == '[' && scope.back() == ']') {
        std::string_view list = scope.substr(1, scope.size() - 2);
        while (!trim(list).empty()) {
            size_t comma = list.find(',');
            std::string_view id = trim(list.substr(0, comma));
            if (auto it = by_id_.find(std::string(id)); it != by_id_.end()) {
                if (std::find(out.begin(), out.end(), it->second) == out.end()) out.push_back(it->second);
            } else {
                note_missing("policy '" + std::string(id) + "'");
            }
            if (comma == std::string_view::npos) break;
            list.remove_prefix(comma + 1);
        }
        return out;
    }
    if (auto it = groups_.find(std::string(scope)); it != groups_.end()) out = it->second;
    else note_missing("policy group '" + std::string(scope) + "'");
    return out;
}

}  // namespace modrt::security
