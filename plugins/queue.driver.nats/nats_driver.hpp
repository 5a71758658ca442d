// The `queue.driver.nats` entry kind: queues on NATS JetStream. An entry reads its connection
// and defaults at load (no I/O), connects on first open (through the kind's shared
// connections), and offers modrt/queue.h's driver interface to the queue plugin.
#pragma once

#include "connections.hpp"
#include "queue_options.hpp"

#include <modrt/queue.h>
#include <modrt/sdk.hpp>

#include <memory>
#include <mutex>
#include <string>

namespace modrt::queue_nats {

class NatsDriver final : public DataEntry {
public:
    NatsDriver(std::string id, DriverSettings settings, std::shared_ptr<nats::Connections> connections)
        : id_(std::move(id)), settings_(std::move(settings)), connections_(std::move(connections)) {}

    const void* entry_interface(std::string_view name, void** self) override;

    const std::string& id() const noexcept { return id_; }
    const DriverSettings& settings() const noexcept { return settings_; }
    /// The entry's connection, made on first use (shared with the plugin's other entries of equal settings).
    nats::ConnectionPtr connection();

private:
    const std::string id_;
    const DriverSettings settings_;
    std::shared_ptr<nats::Connections> connections_;
    std::mutex mutex_;
    nats::ConnectionPtr connection_;
};

class NatsDriverKind final : public DataKind {
public:
    explicit NatsDriverKind(const Host&) {}
    std::unique_ptr<DataEntry> create_entry(const EntryInfo& info) override;

private:
    // Shared with the entries: a connection may outlive this kind object while an entry still holds it.
    std::shared_ptr<nats::Connections> connections_ = std::make_shared<nats::Connections>();
};

}  // namespace modrt::queue_nats
