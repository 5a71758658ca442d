// The `queue.consumer` trigger kind: one ConsumerTrigger per entry; once loaded, every
// consumer's queue must be a queue.queue entry and its func an entry of the registry.
#pragma once

#include <modrt/sdk.hpp>

#include <mutex>
#include <string>
#include <vector>

namespace modrt::queue {

class ConsumerKind final : public TriggerKind {
public:
    explicit ConsumerKind(const Host& host) : host_(host) {}
    std::unique_ptr<Trigger> create_trigger(const EntryInfo& info) override;
    void load_finished(ValueSlot problems) override;

private:
    struct Unchecked {
        std::string id, queue, func;
    };
    const Host& host_;
    std::mutex mutex_;
    std::vector<Unchecked> unchecked_;  // since the last load
};

}  // namespace modrt::queue
