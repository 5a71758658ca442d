// One http.service entry: a trigger that, once started, listens on `addr` and serves the
// routers and endpoints that name it (server.hpp does the serving).
#pragma once

#include "specs.hpp"

#include <modrt/sdk.hpp>

#include <memory>

namespace modrt::http {

class HttpKind;
class Server;

class HttpService final : public Trigger {
public:
    HttpService(const Host& host, const HttpKind& kind, ServiceSpec spec, TriggerIdentity identity);
    ~HttpService() override;

    /// Resolve the identity's groups, build the routes from the registry as it is now, bind
    /// and start; writes {listen: ["127.0.0.1:PORT"]}.
    Error start(ValueSlot out) override;
    void stop(int64_t deadline_ns) override;

private:
    const Host& host_;
    const HttpKind& kind_;
    ServiceSpec spec_;
    TriggerIdentity identity_;
    std::shared_ptr<Server> server_;
};

}  // namespace modrt::http
