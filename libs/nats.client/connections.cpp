// Making and sharing NATS connections (connections.hpp).
#include "connections.hpp"

#include "nats_status.hpp"

#include <atomic>
#include <chrono>
#include <future>

namespace modrt::nats {

namespace {

/// What cnats' callbacks need; lives until the closed callback has run.
struct Events {
    std::string owner;
    std::string servers;
    std::promise<void> closed;
    // Set by the deleter before it closes: cnats reports its own close as a disconnect too,
    // and "reconnecting" then would be a false alarm at every shutdown.
    std::atomic<bool> closing{false};
};

void on_disconnected(natsConnection* nc, void* closure) {
    // cnats also calls this when the last owner closes the connection: nothing reconnects then,
    // and a warning on every clean exit would teach operators to ignore it.
    if (natsConnection_IsClosed(nc)) return;
    auto* e = static_cast<Events*>(closure);
    if (e->closing) return;
    log(MODRT_LOG_WARN, "nats", e->owner + ": disconnected from " + e->servers + "; reconnecting");
}
void on_reconnected(natsConnection* nc, void* closure) {
    auto* e = static_cast<Events*>(closure);
    char url[256] = "";
    natsConnection_GetConnectedUrl(nc, url, sizeof url);
    log(MODRT_LOG_INFO, "nats", e->owner + ": reconnected to " + url);
}
void on_connected(natsConnection* nc, void* closure) {
    auto* e = static_cast<Events*>(closure);
    char url[256] = "";
    natsConnection_GetConnectedUrl(nc, url, sizeof url);
    log(MODRT_LOG_INFO, "nats", e->owner + ": connected to " + url);
}
void on_closed(natsConnection*, void* closure) { static_cast<Events*>(closure)->closed.set_value(); }
void on_error(natsConnection*, natsSubscription*, natsStatus err, void* closure) {
    auto* e = static_cast<Events*>(closure);
    log(MODRT_LOG_WARN, "nats", e->owner + ": " + natsStatus_GetText(err));
}

struct OptionsDeleter {
    void operator()(natsOptions* o) const noexcept { natsOptions_Destroy(o); }
};

std::unique_ptr<natsOptions, OptionsDeleter> options(const ConnectionSpec& spec, Events* events) {
    natsOptions* raw = nullptr;
    check(natsOptions_Create(&raw), "nats options");
    std::unique_ptr<natsOptions, OptionsDeleter> o(raw);
    std::vector<const char*> servers;
    for (const auto& s : spec.servers) servers.push_back(s.c_str());
    check(natsOptions_SetServers(o.get(), servers.data(), static_cast<int>(servers.size())), "connection.url");
    check(natsOptions_SetName(o.get(), spec.name.empty() ? "modrt" : spec.name.c_str()), "connection.name");
    if (!spec.user.empty()) check(natsOptions_SetUserInfo(o.get(), spec.user.c_str(), spec.password.c_str()), "connection.user");
    if (!spec.token.empty()) check(natsOptions_SetToken(o.get(), spec.token.c_str()), "connection.token");
    if (!spec.creds_file.empty())
        check(natsOptions_SetUserCredentialsFromFiles(o.get(), spec.creds_file.c_str(), nullptr), "connection.creds");
    if (!spec.nkey_seed_file.empty()) {
        // cnats signs with the seed file; the public key it derives goes with the CONNECT.
        check(natsOptions_SetNKeyFromSeed(o.get(), nullptr, spec.nkey_seed_file.c_str()), "connection.nkey_seed");
    }
    if (spec.tls.enabled) {
        check(natsOptions_SetSecure(o.get(), true), "connection.tls");
        if (!spec.tls.ca_file.empty())
            check(natsOptions_LoadCATrustedCertificates(o.get(), spec.tls.ca_file.c_str()), "connection.tls.ca");
        if (!spec.tls.cert_file.empty())
            check(natsOptions_LoadCertificatesChain(o.get(), spec.tls.cert_file.c_str(), spec.tls.key_file.c_str()),
                  "connection.tls.cert");
        if (!spec.tls.hostname.empty())
            check(natsOptions_SetExpectedHostname(o.get(), spec.tls.hostname.c_str()), "connection.tls.hostname");
    }
    check(natsOptions_SetMaxReconnect(o.get(), spec.max_reconnect), "connection.reconnect.max");
    check(natsOptions_SetReconnectWait(o.get(), spec.reconnect_wait.count()), "connection.reconnect.wait");
    check(natsOptions_SetTimeout(o.get(), spec.connect_timeout.count()), "connection.connect_timeout");
    // Calls are request/reply round trips: flush each message now instead of batching
    // (about 1 ms to 0.2 ms per round trip on loopback).
    check(natsOptions_SetSendAsap(o.get(), true), "nats options");
    check(natsOptions_SetDisconnectedCB(o.get(), on_disconnected, events), "nats options");
    check(natsOptions_SetReconnectedCB(o.get(), on_reconnected, events), "nats options");
    check(natsOptions_SetClosedCB(o.get(), on_closed, events), "nats options");
    check(natsOptions_SetErrorHandler(o.get(), on_error, events), "nats options");
    if (spec.retry_on_failed_connect)
        check(natsOptions_SetRetryOnFailedConnect(o.get(), true, on_connected, events), "nats options");
    return o;
}

}  // namespace

ConnectionPtr connect(const ConnectionSpec& spec, std::string_view owner) {
    auto events = std::make_unique<Events>();
    events->owner = std::string(owner);
    events->servers = spec.describe();
    std::future<void> closed = events->closed.get_future();
    auto opts = options(spec, events.get());
    natsConnection* nc = nullptr;
    natsStatus s = natsConnection_Connect(&nc, opts.get());
    if (s == NATS_NOT_YET_CONNECTED) {
        log(MODRT_LOG_WARN, "nats", events->owner + ": " + events->servers + " is not reachable yet; retrying in the background");
    } else if (s != NATS_OK) {
        throw Failure(status_error(s, "connect to " + events->servers).wrap(events->owner));
    }
    // Closing waits for the closed callback: cnats runs callbacks on its own thread, and one
    // arriving after the plugin is unloaded would run unmapped code.
    auto shared_closed = std::make_shared<std::future<void>>(std::move(closed));
    Events* raw_events = events.release();  // freed by the deleter once cnats is done with it
    return ConnectionPtr(nc, [raw_events, shared_closed](natsConnection* c) {
        std::unique_ptr<Events> owned(raw_events);
        owned->closing = true;
        natsConnection_Close(c);
        if (shared_closed->wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
            log(MODRT_LOG_ERROR, "nats", owned->owner + ": connection did not close in 10 s; leaking its state");
            (void)owned.release();
            return;
        }
        natsConnection_Destroy(c);
    });
}

ConnectionPtr Connections::get(const ConnectionSpec& spec, std::string_view owner) {
    std::lock_guard lock(mutex_);
    auto& slot = live_[spec.key()];
    if (auto live = slot.lock()) return live;
    auto made = connect(spec, owner);
    slot = made;
    return made;
}

}  // namespace modrt::nats
