// The `queue.driver.memory` entry kind: an in-process driver. Each entry owns the queues
// opened on it by name and offers modrt/queue.h's driver interface to the queue plugin.
#pragma once

#include "memory_queue.hpp"

#include <modrt/queue.h>
#include <modrt/sdk.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace modrt::queue_memory {

class MemoryDriver final : public DataEntry {
public:
    const void* entry_interface(std::string_view name, void** self) override;

    /// The queue named `name`, made on first use with `max_length` (later opens share it).
    std::shared_ptr<MemoryQueue> queue(const std::string& name, size_t max_length);

private:
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<MemoryQueue>> queues_;
};

class MemoryDriverKind final : public DataKind {
public:
    explicit MemoryDriverKind(const Host&) {}
    std::unique_ptr<DataEntry> create_entry(const EntryInfo& info) override;
};

}  // namespace modrt::queue_memory
