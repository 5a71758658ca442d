// The http kinds (http_kind.hpp).
#include "http_kind.hpp"

#include "http_service.hpp"

namespace modrt::http {

std::unique_ptr<Trigger> HttpKind::create_trigger(const EntryInfo& info) {
    ServiceSpec spec = ServiceSpec::from_entry(info);
    TriggerIdentity identity = TriggerIdentity::from_entry(info);
    {
        std::lock_guard lock(mutex_);
        services_.insert(spec.id);
    }
    return std::make_unique<HttpService>(host_, *this, std::move(spec), std::move(identity));
}

std::unique_ptr<DataEntry> HttpKind::create_entry(const EntryInfo& info) {
    std::string_view kind = info.kind();
    if (kind == "http.router") {
        RouterSpec r = RouterSpec::from_entry(info);
        std::lock_guard lock(mutex_);
        routers_.push_back(std::move(r));
    } else if (kind == "http.endpoint") {
        EndpointSpec e = EndpointSpec::from_entry(info);
        std::lock_guard lock(mutex_);
        endpoints_.push_back(std::move(e));
    } else {
        TokenStoreSpec s = TokenStoreSpec::from_entry(info);
        std::lock_guard lock(mutex_);
        stores_.insert_or_assign(s.id, std::move(s));
    }
    return nullptr;
}

bool HttpKind::failed_entry(const std::string& id, std::string_view kind) const {
    const modrt_entry_info* e = host_.find_entry(id);
    return e != nullptr && to_view(e->kind) == kind;
}

void HttpKind::check_router(RouterSpec& r, ValueSlot problems) {
    if (!services_.contains(r.server)) {
        r.broken = true;
        if (!failed_entry(r.server, "http.service"))
            add_load_problem(problems, r.id, "meta.server", "meta.server: no http.service '" + r.server + "'");
        return;
    }
    if (r.middleware.token_auth && !stores_.contains(r.middleware.token_auth->store)) {
        const std::string& store = r.middleware.token_auth->store;
        r.broken = true;
        if (!failed_entry(store, "security.token_store"))
            add_load_problem(problems, r.id, "options.token_auth.store",
                             "options.token_auth.store: no security.token_store '" + store + "'");
    }
}

void HttpKind::check_endpoint(EndpointSpec& e, ValueSlot problems) {
    const RouterSpec* router = nullptr;
    for (const auto& r : routers_)
        if (r.id == e.router) router = &r;
    if (router == nullptr || router->broken) {
        e.broken = true;
        if (router == nullptr && !failed_entry(e.router, "http.router"))
            add_load_problem(problems, e.id, "meta.router", "meta.router: no http.router '" + e.router + "'");
        return;
    }
    if (host_.find_entry(e.func) == nullptr) {
        e.broken = true;
        add_load_problem(problems, e.id, "func", "func: no entry '" + e.func + "' in the registry");
        return;
    }
    std::string error;
    if (!parse_pattern(router->prefix + e.path, e.full, error)) {
        e.broken = true;
        add_load_problem(problems, e.id, "path", "path: " + error);
        return;
    }
    e.server = router->server;
    for (const auto& other : endpoints_) {
        if (&other == &e) break;
        if (other.broken || other.server != e.server || other.method != e.method || other.full.key != e.full.key)
            continue;
        e.broken = true;
        add_load_problem(problems, e.id, "path",
                         "path: " + e.method + " " + e.full.text + " is served by endpoint '" + other.id +
                             "' already (server " + e.server + ")");
        return;
    }
}

void HttpKind::load_finished(ValueSlot problems) {
    std::lock_guard lock(mutex_);
    for (; routers_checked_ < routers_.size(); ++routers_checked_) check_router(routers_[routers_checked_], problems);
    for (; endpoints_checked_ < endpoints_.size(); ++endpoints_checked_)
        check_endpoint(endpoints_[endpoints_checked_], problems);
}

Site HttpKind::site_for(const std::string& id, Identity identity) const {
    std::lock_guard lock(mutex_);
    Site site;
    site.service_id = id;
    site.default_identity = std::move(identity);
    std::map<std::string, std::shared_ptr<const TokenStore>, std::less<>> stores;
    for (const auto& r : routers_) {
        if (r.broken || r.server != id) continue;
        RouterSite rs{r.id, r.prefix, {}, r.middleware};
        if (rs.middleware.token_auth) {
            const std::string& sid = rs.middleware.token_auth->store;
            auto it = stores.find(sid);
            if (it == stores.end()) {
                auto built = std::make_shared<TokenStore>();
                for (const TokenSpec& t : stores_.at(sid).tokens) {
                    Identity who;
                    try {
                        who = make_identity(host_, t.actor_id, t.actor_meta.get(), t.policies, t.groups);
                    } catch (const Failure& f) {
                        Error err(f.release());
                        throw Failure(Error(err.kind(), "security.token_store " + sid + ": token of " + t.actor_id +
                                                            ": " + std::string(err.message())));
                    }
                    built->add(t.digest, std::move(who));
                }
                it = stores.emplace(sid, std::move(built)).first;
            }
            rs.middleware.token_auth->tokens = it->second;
        }
        site.routers.push_back(std::move(rs));
    }
    for (const auto& e : endpoints_) {
        if (e.broken || e.server != id) continue;
        size_t router = 0;
        while (router < site.routers.size() && site.routers[router].id != e.router) ++router;
        if (router == site.routers.size()) continue;
        site.endpoints.push_back(EndpointSite{e.id, e.func, e.method, e.full, router});
    }
    site.build();
    return site;
}

}  // namespace modrt::http
