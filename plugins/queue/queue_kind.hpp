// The `queue.queue` entry kind (queue_entry.hpp), and the checks between entries once a
// registry is loaded: a queue's driver is a queue driver, its dead-letter queue a queue.
#pragma once

#include <modrt/sdk.hpp>

#include <mutex>
#include <string>
#include <vector>

namespace modrt::queue {

class QueueKind final : public DataKind {
public:
    explicit QueueKind(const Host& host) : host_(host) {}
    std::unique_ptr<DataEntry> create_entry(const EntryInfo& info) override;
    void load_finished(ValueSlot problems) override;

private:
    struct Unchecked {
        std::string id, driver, dead_letter, queue_name;
        Value driver_options;
    };
    const Host& host_;
    std::mutex mutex_;
    std::vector<Unchecked> unchecked_;  // since the last load
};

}  // namespace modrt::queue
