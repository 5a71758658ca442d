// Reading security.policy entries (policy.hpp).
#include "policy.hpp"

namespace modrt::security {
namespace {

[[noreturn]] void invalid(std::string_view field, const std::string& message) {
    throw Failure(Error(MODRT_ERR_INVALID, message).set_field(field));
}

// `actions` / `resources`: "*", one string, or a non-empty list of strings.
void read_patterns(ValueView v, std::string_view field, PatternSet& out) {
    auto bad = [&] {
        invalid("policy." + std::string(field),
                "policy." + std::string(field) + ": expected \"*\", a string, or a list of strings");
    };
    if (v.is_string() && !v.as_string().empty()) {
        out.add(v.as_string());
    } else if (v.is_array() && v.size() > 0) {
        for (size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_string() || v[i].as_string().empty()) bad();
            out.add(v[i].as_string());
        }
    } else {
        bad();
    }
}

// `expression`: parsed now, so a decision never meets a syntax error.
std::unique_ptr<const expr::Program> read_expression(ValueView v) {
    if (!v.is_string()) invalid("policy.expression", "policy.expression: expected a string (an expression)");
    std::string_view source = v.as_string();
    if (source.find_first_not_of(" \t\r\n") == std::string_view::npos)
        invalid("policy.expression", "policy.expression is empty");
    try {
        auto program = std::make_unique<const expr::Program>(source);
        if (program->always_true()) return nullptr;
        return program;
    } catch (const expr::SyntaxError& e) {
        invalid("policy.expression", "policy.expression: " + expr::position(source, e.pos) + ": " + e.message);
    }
}

}  // namespace

std::unique_ptr<Policy> parse_policy(const EntryInfo& info) {
    const bool is_expr = info.kind() == "security.policy.expr";
    const std::string_view kind = is_expr ? "security.policy.expr" : "security.policy";
    const std::string_view body = is_expr ? "expression" : "conditions";
    auto p = std::make_unique<Policy>();
    p->id = std::string(info.id());
    std::string_view ns = info.id().substr(0, info.id().find(':'));
    ValueView fields = info.fields();
    for (size_t i = 0; i < fields.size(); ++i) {
        std::string_view k = fields.key(i);
        if (k != "name" && k != "kind" && k != "meta" && k != "policy" && k != "groups")
            invalid(k, "unknown field '" + std::string(k) + "' (" + std::string(kind) + " takes policy and groups)");
    }
    ValueView policy = info.field("policy");
    if (!policy.is_map())
        invalid("policy", "policy: expected a map with actions, resources, effect and " + std::string(body));
    for (size_t i = 0; i < policy.size(); ++i) {
        std::string_view k = policy.key(i);
        if (k != "actions" && k != "resources" && k != "effect" && k != body)
            invalid("policy." + std::string(k), "unknown field 'policy." + std::string(k) +
                                                    "' (a policy has actions, resources, effect, " +
                                                    std::string(body) + ")");
    }
    if (!policy.has("actions")) invalid("policy", "policy.actions is missing (use \"*\" for every action)");
    if (!policy.has("resources")) invalid("policy", "policy.resources is missing (use \"*\" for every resource)");
    read_patterns(policy.find("actions"), "actions", p->actions);
    read_patterns(policy.find("resources"), "resources", p->resources);

    ValueView effect = policy.find("effect");
    if (!effect.is_string() || (effect.as_string() != "allow" && effect.as_string() != "deny"))
        invalid(policy.has("effect") ? "policy.effect" : "policy", "policy.effect: expected allow or deny");
    p->deny = effect.as_string() == "deny";

    if (is_expr) {
        if (!policy.has("expression")) invalid("policy", "policy.expression is missing");
        p->expression = read_expression(policy.find("expression"));
    } else if (ValueView conditions = policy.find("conditions"); !conditions.is_nil()) {
        if (!conditions.is_array()) invalid("policy.conditions", "policy.conditions: expected a list of conditions");
        for (size_t i = 0; i < conditions.size(); ++i) p->conditions.push_back(parse_condition(conditions[i], i));
    }

    if (ValueView groups = info.field("groups"); !groups.is_nil()) {
        if (!groups.is_array()) invalid("groups", "groups: expected a list of group names");
        for (size_t i = 0; i < groups.size(); ++i) {
            std::string_view g = groups[i].is_string() ? groups[i].as_string() : std::string_view();
            size_t colon = g.find(':');
            bool ok = !g.empty() &&
                      (colon == std::string_view::npos ||
                       (colon > 0 && colon + 1 < g.size() && g.find(':', colon + 1) == std::string_view::npos));
            if (!ok)
                invalid("groups." + std::to_string(i),
                        "groups: '" + std::string(g) + "' is not a group name or ns:group id");
            p->groups.push_back(colon == std::string_view::npos ? std::string(ns) + ":" + std::string(g)
                                                                : std::string(g));
        }
    }
    return p;
}

bool Policy::expression_holds(const Subject& s) const {
    expr::Env env;
    env.action = s.action;
    env.resource = s.resource;
    env.meta = s.meta;
    if (s.actor != nullptr) {
        const modrt_host_api& h = host_api();
        env.has_actor = true;
        env.actor_id = to_view(h.actor_id(s.actor));
        env.actor_meta = ValueView(h.actor_meta(s.actor));
    }
    std::optional<bool> holds = expression->evaluate(env);
    return holds ? *holds : deny;  // not a boolean: fail closed (README.md "Expression policies")
}

}  // namespace modrt::security
