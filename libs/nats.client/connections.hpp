// NATS connections made from a ConnectionSpec and shared by every entry of one plugin that
// names the same servers and login: one TCP connection per (plugin, settings), as cnats
// intends (a connection is thread-safe and multiplexes subscriptions and requests).
#pragma once

#include "connection_spec.hpp"

#include <nats/nats.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace modrt::nats {

/// A connection; the last owner closes it and waits for cnats' closed callback, so that no
/// callback into the plugin runs after the plugin may be unloaded. Destroy every
/// subscription made on it first.
using ConnectionPtr = std::shared_ptr<natsConnection>;

/// Connect as `spec` says; `owner` (an entry id) names the connection in logs. With
/// retry_on_failed_connect (the default) an unreachable server is not an error: the
/// connection comes up when the server does. Throws Failure (status_error) otherwise.
ConnectionPtr connect(const ConnectionSpec& spec, std::string_view owner);

/// The connections of one plugin, shared by spec; own one in the plugin's kind object.
class Connections {
public:
    /// The live connection for `spec`, or a new one (connect). Thread-safe.
    ConnectionPtr get(const ConnectionSpec& spec, std::string_view owner);

private:
    std::mutex mutex_;
    std::map<std::string, std::weak_ptr<natsConnection>> live_;
};

/// cnats handles as unique_ptrs.
struct MsgDeleter {
    void operator()(natsMsg* m) const noexcept { natsMsg_Destroy(m); }
};
using MsgPtr = std::unique_ptr<natsMsg, MsgDeleter>;
struct SubscriptionDeleter {
    void operator()(natsSubscription* s) const noexcept { natsSubscription_Destroy(s); }
};
using SubscriptionPtr = std::unique_ptr<natsSubscription, SubscriptionDeleter>;
struct JsDeleter {
    void operator()(jsCtx* js) const noexcept { jsCtx_Destroy(js); }
};
using JsPtr = std::unique_ptr<jsCtx, JsDeleter>;

}  // namespace modrt::nats
