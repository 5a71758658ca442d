// An http.service trigger (http_service.hpp).
#include "http_service.hpp"

#include "http_kind.hpp"
#include "server.hpp"

namespace modrt::http {

HttpService::HttpService(const Host& host, const HttpKind& kind, ServiceSpec spec, TriggerIdentity identity)
    : host_(host), kind_(kind), spec_(std::move(spec)), identity_(std::move(identity)) {}

HttpService::~HttpService() { stop(host_api().now_ns()); }

Error HttpService::start(ValueSlot out) {
    identity_.resolve(host_);  // every entry is loaded now: groups can be listed
    Identity defaults;
    if (const modrt_actor* a = identity_.actor()) {
        host_api().actor_retain(a);
        defaults.actor = share_actor(a);
    }
    defaults.scope = identity_.scope();
    auto server = std::make_shared<Server>(host_, spec_, kind_.site_for(spec_.id, std::move(defaults)));
    std::string bound = server->start();
    server_ = std::move(server);
    out.set_map(1);
    ValueSlot listen = out.insert("listen");
    listen.set_array(1);
    listen.push().set_string(bound);
    return {};
}

void HttpService::stop(int64_t deadline_ns) {
    if (!server_) return;
    server_->stop(deadline_ns);
    server_.reset();
}

}  // namespace modrt::http
