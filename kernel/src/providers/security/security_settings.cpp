// The runtime.security entry (security_settings.hpp).
#include "providers/security/security_settings.hpp"

namespace modrt::kernel {

std::vector<FieldProblem> read_security_settings(const RawEntry& entry, SecuritySettings& out) {
    std::vector<FieldProblem> problems;
    for_each_own_field(entry, [&](const std::string& key, const Value& v) {
        if (key == "strict") {
            if (v.type != MODRT_BOOL) problems.push_back({key, "strict: expected true or false"});
            else out.strict = v.scalar.b;
        } else if (key == "scope") {
            if (v.type != MODRT_STRING || v.str.empty())
                problems.push_back({key, "scope: expected a policy group id (ns:group) or a list [ns:p1,ns:p2]"});
            else out.scope = v.str;
        } else if (key == "actor") {
            const Value* id = v.type == MODRT_MAP ? v.find("id") : nullptr;
            const Value* meta = v.type == MODRT_MAP ? v.find("meta") : nullptr;
            if (id == nullptr || id->type != MODRT_STRING || id->str.empty()) {
                problems.push_back({"actor.id", "actor: expected {id: \"...\", meta: {...}} with a non-empty id"});
            } else if (meta != nullptr && meta->type != MODRT_MAP) {
                problems.push_back({"actor.meta", "actor.meta: expected a map"});
            } else {
                out.actor_id = id->str;
                if (meta != nullptr) out.actor_meta = *meta;
                for (const auto& k : v.keys)
                    if (k != "id" && k != "meta")
                        problems.push_back(
                            {"actor." + k, "unknown field 'actor." + k + "' (an actor has id and meta)"});
            }
        } else {
            problems.push_back({key, "unknown field '" + key + "' (runtime.security takes strict, actor, scope)"});
        }
    });
    return problems;
}

}  // namespace modrt::kernel
