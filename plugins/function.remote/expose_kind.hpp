// The `function.expose` trigger kind: entries that serve functions of this node to others over NATS.
#pragma once

#include "connections.hpp"

#include <modrt/sdk.hpp>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace modrt::remote {

class ExposeKind final : public TriggerKind {
public:
    explicit ExposeKind(const Host& host) : host_(host) {}
    std::unique_ptr<Trigger> create_trigger(const EntryInfo& info) override;
    /// Every listed function is an entry of this runtime.
    void load_finished(ValueSlot problems) override;

private:
    const Host& host_;
    nats::Connections connections_;  // before the triggers go, as they are made after it
    std::mutex mutex_;
    std::vector<std::pair<std::string, std::string>> unchecked_;  // (entry id, function) since the last load
};

}  // namespace modrt::remote
