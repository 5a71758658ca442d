// The loaded policies by id and by group, and what a scope string names.
// Not synchronised: PolicyEngine guards it.
#pragma once

#include "policy.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace modrt::security {

class PolicyStore {
public:
    void add(const Policy* p);
    void remove(const Policy* p);

    /// The policies `scope` names (abi.h "Scopes": "ns:group" or "[ns:p1,ns:p2]"), in
    /// declaration order. Unknown groups and policies are skipped; the first one's
    /// description ("policy group 'x'") goes to *missing when it is given.
    std::vector<const Policy*> resolve(std::string_view scope, std::string* missing = nullptr) const;

private:
    std::unordered_map<std::string, const Policy*> by_id_;
    std::unordered_map<std::string, std::vector<const Policy*>> groups_;
};

}  // namespace modrt::security
