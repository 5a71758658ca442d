// acme.allowlist: a security provider that replaces security.policy with a plain
// allow-list. Each `kind: acme.allow` entry lets one actor call some functions:
//
//   - name: ada
//     kind: acme.allow
//     actor: "user:ada"
//     functions: ["acme.app:*"]      # a trailing '*' matches any suffix
//
// Everything else is UNDEFINED, which a strict runtime (the default) denies.
// Scopes are ignored: this provider decides on the actor alone.
#include <modrt/sdk.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace {

using modrt::Error;
using modrt::Failure;
using modrt::ValueView;

bool matches(std::string_view pattern, std::string_view id) {
    if (pattern.ends_with('*')) return id.starts_with(pattern.substr(0, pattern.size() - 1));
    return pattern == id;
}

// acme.allow entries are data (provide_data_kind): the kernel refuses calls to them.
class Allowlist final : public modrt::DataKind, public modrt::SecurityProvider {
public:
    explicit Allowlist(const modrt::Host&) {}

    std::unique_ptr<modrt::DataEntry> create_entry(const modrt::EntryInfo& info) override {
        ValueView actor = info.field("actor"), functions = info.field("functions");
        if (!actor.is_string() || actor.as_string().empty())
            throw Failure(Error(MODRT_ERR_INVALID, "actor: expected an actor id").set_field("actor"));
        if (!functions.is_array())
            throw Failure(
                Error(MODRT_ERR_INVALID, "functions: expected a list of function ids").set_field("functions"));
        std::vector<std::string> patterns;
        for (size_t i = 0; i < functions.size(); ++i) {
            if (!functions[i].is_string())
                throw Failure(Error(MODRT_ERR_INVALID, "functions: expected strings").set_field("functions"));
            patterns.emplace_back(functions[i].as_string());
        }
        std::unique_lock lock(mutex_);
        auto& mine = allowed_[std::string(actor.as_string())];
        mine.insert(mine.end(), patterns.begin(), patterns.end());
        return nullptr;  // the patterns live in the provider; the entry needs no state
    }

    modrt_decision evaluate(const modrt_actor* actor, std::string_view, std::string_view action,
                            std::string_view resource, ValueView) override {
        if (actor == nullptr || action != "funcs.call") return MODRT_DECISION_UNDEFINED;
        std::string_view id = modrt::to_view(modrt::host_api().actor_id(actor));
        std::shared_lock lock(mutex_);
        auto it = allowed_.find(std::string(id));
        if (it == allowed_.end()) return MODRT_DECISION_UNDEFINED;
        for (const auto& pattern : it->second)
            if (matches(pattern, resource)) return MODRT_DECISION_ALLOW;
        return MODRT_DECISION_UNDEFINED;
    }

private:
    std::shared_mutex mutex_;
    std::map<std::string, std::vector<std::string>, std::less<>> allowed_;  // actor id -> patterns
};

}  // namespace

MODRT_PLUGIN("acme.allowlist", "1.0.0", modrt::provide_data_kind<Allowlist>("acme.allow"),
             modrt::provide_security<Allowlist>("acme.allowlist"))
