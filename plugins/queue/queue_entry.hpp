// A queue.queue entry at run time: it opens its queue on its driver (on first use, through
// modrt/queue.h's driver interface), encodes and publishes messages with the caller's
// permissions checked, and offers MODRT_QUEUE_INTERFACE to publishers in other plugins
// (Lua's queue module, `modrt serve --publish`).
#pragma once

#include "queue_spec.hpp"

#include <modrt/queue.h>
#include <modrt/sdk.hpp>

#include <atomic>
#include <mutex>
#include <utility>

namespace modrt::queue {

class QueueEntry final : public DataEntry {
public:
    QueueEntry(const Host& host, QueueSpec spec) : host_(host), spec_(std::move(spec)) {}
    ~QueueEntry() override;

    const void* entry_interface(std::string_view name, void** self) override;

    /// The queue entry `id` when it is one of this plugin's (the table it offers is ours); else null.
    static QueueEntry* find(const Host& host, std::string_view id);

    /// The driver's table and this queue on it, opened on first use. Throws Failure when the
    /// driver is missing or refuses (bad driver_options).
    struct DriverQueue {
        const modrt_queue_driver_api* api;
        modrt_driver_queue* queue;
    };
    DriverQueue driver();

    /// Publish as the caller of `frame`: needs queue.publish, then queue.publish.queue on the id.
    Error publish(const modrt_frame* frame, ValueView body, ValueView headers);
    /// Publish bytes already encoded with this queue's codec, with no permission check (dead-lettering).
    Error publish_encoded(std::string_view bytes, ValueView headers);
    /// The driver's counters plus {dead_lettered, dropped}.
    void info(ValueSlot out);

    void count_dead_lettered() noexcept { dead_lettered_.fetch_add(1, std::memory_order_relaxed); }
    void count_dropped() noexcept { dropped_.fetch_add(1, std::memory_order_relaxed); }

    const QueueSpec& spec() const noexcept { return spec_; }

    /// The driver's table and handle when `driver_id` offers MODRT_QUEUE_DRIVER_INTERFACE (at least
    /// its first version), else {nullptr, nullptr}.
    static std::pair<const modrt_queue_driver_api*, void*> driver_api(const Host& host, std::string_view driver_id);
    /// The driver's sub-map of `options` (a queue's or a consumer's driver_options): keyed by the
    /// driver's kind without "queue.driver." (memory, nats); nil when absent.
    static ValueView options_for(const Host& host, std::string_view driver_id, ValueView options);

private:
    const Host& host_;
    const QueueSpec spec_;
    std::mutex open_mutex_;
    DriverQueue driver_{nullptr, nullptr};
    std::atomic<uint64_t> dead_lettered_{0}, dropped_{0};
};

}  // namespace modrt::queue
