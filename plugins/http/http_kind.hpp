// The http plugin's one kind object: the http.service trigger kind and the data kinds its
// services read (http.router, http.endpoint, security.token_store). It keeps what every
// entry says, checks references between them once a load is done (load_finished), and
// hands a starting service its Site: the routers and endpoints that name it.
#pragma once

#include "core/site.hpp"
#include "specs.hpp"

#include <modrt/sdk.hpp>

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace modrt::http {

class HttpKind final : public TriggerKind, public DataKind {
public:
    explicit HttpKind(const Host& host) : host_(host) {}

    /// An http.service entry.
    std::unique_ptr<Trigger> create_trigger(const EntryInfo& info) override;
    /// An http.router, http.endpoint or security.token_store entry (no state of its own: kept here).
    std::unique_ptr<DataEntry> create_entry(const EntryInfo& info) override;
    /// Routers name services, endpoints routers and functions, token_auth a token store; no two
    /// endpoints of a service share a method and path. Runs for both bases; checks each entry once.
    void load_finished(ValueSlot problems) override;

    /// What service `id` serves now, with `identity` as its requests' default.
    Site site_for(const std::string& id, Identity identity) const;

private:
    void check_router(RouterSpec& r, ValueSlot problems);
    void check_endpoint(EndpointSpec& e, ValueSlot problems);
    /// Whether `id` is an entry of `kind` that failed to load (its own error says why).
    bool failed_entry(const std::string& id, std::string_view kind) const;

    const Host& host_;
    mutable std::mutex mutex_;
    std::set<std::string, std::less<>> services_;
    std::vector<RouterSpec> routers_;  // declaration order
    std::vector<EndpointSpec> endpoints_;
    std::map<std::string, TokenStoreSpec, std::less<>> stores_;
    size_t routers_checked_ = 0, endpoints_checked_ = 0;
};

}  // namespace modrt::http
