// The memory driver entry and its C table (memory_driver.hpp, modrt/queue.h).
#include "memory_driver.hpp"

namespace modrt::queue_memory {

namespace {

constexpr int64_t kDefaultMaxLength = 1000;  // Wippy's default for driver_options.memory.max_length

/// What open hands out: one reference to a queue, released by close.
struct OpenQueue {
    std::shared_ptr<MemoryQueue> queue;
};

MemoryQueue& q(modrt_driver_queue* handle) { return *static_cast<OpenQueue*>(handle)->queue; }

/// driver_options.memory: {max_length}; throws Failure naming the field.
int64_t read_max_length(const modrt_value* options) {
    int64_t max_length = kDefaultMaxLength;
    ValueView opts(options);
    for (size_t i = 0; i < opts.size(); ++i) {
        if (!opts.is_map() || opts.key(i) != "max_length")
            throw Failure(Error(MODRT_ERR_INVALID, "driver_options.memory: unknown option '" +
                                                       std::string(opts.key(i)) + "' (known: max_length)")
                              .set_field("driver_options"));
        if (opts[i].type() != MODRT_INT || opts[i].as_int() < 0)
            throw Failure(Error(MODRT_ERR_INVALID, "driver_options.memory.max_length: expected a count (0: 1000)")
                              .set_field("driver_options"));
        if (opts[i].as_int() > 0) max_length = opts[i].as_int();
    }
    return max_length;
}

modrt_error* d_check(modrt_queue_driver*, modrt_str, const modrt_value* options) noexcept {
    return detail::guard("queue.driver.memory check", [&]() -> modrt_error* {
        (void)read_max_length(options);
        return nullptr;
    });
}

modrt_error* d_open(modrt_queue_driver* driver, modrt_str name, const modrt_value* options,
                    modrt_driver_queue** out) noexcept {
    return detail::guard("queue.driver.memory open", [&]() -> modrt_error* {
        const int64_t max_length = read_max_length(options);
        auto open = std::make_unique<OpenQueue>();
        open->queue = static_cast<MemoryDriver*>(driver)->queue(std::string(to_view(name)),
                                                                static_cast<size_t>(max_length));
        *out = open.release();  // owned by the caller until close
        return nullptr;
    });
}
void d_close(modrt_driver_queue* handle) noexcept { std::unique_ptr<OpenQueue> owned(static_cast<OpenQueue*>(handle)); }
modrt_error* d_publish(modrt_driver_queue* handle, modrt_str body, const modrt_value* headers) noexcept {
    return detail::guard("queue.driver.memory publish",
                         [&] { return q(handle).publish(to_view(body), ValueView(headers)).release(); });
}
modrt_error* d_fetch(modrt_driver_queue* handle, int64_t deadline_ns, modrt_value* out) noexcept {
    return detail::guard("queue.driver.memory fetch", [&]() -> modrt_error* {
        q(handle).fetch(deadline_ns, ValueSlot(out));
        return nullptr;
    });
}
modrt_error* d_ack(modrt_driver_queue* handle, int64_t delivery) noexcept {
    return detail::guard("queue.driver.memory ack", [&] { return q(handle).ack(delivery).release(); });
}
modrt_error* d_nack(modrt_driver_queue* handle, int64_t delivery, int64_t delay_ns) noexcept {
    return detail::guard("queue.driver.memory nack", [&] { return q(handle).nack(delivery, delay_ns).release(); });
}
modrt_error* d_release(modrt_driver_queue* handle, int64_t delivery) noexcept {
    return detail::guard("queue.driver.memory release", [&] { return q(handle).release(delivery).release(); });
}
void d_wake(modrt_driver_queue* handle) noexcept { q(handle).wake(); }
modrt_error* d_info(modrt_driver_queue* handle, modrt_value* out) noexcept {
    return detail::guard("queue.driver.memory info", [&]() -> modrt_error* {
        q(handle).info(ValueSlot(out));
        return nullptr;
    });
}

constexpr modrt_queue_driver_api kDriverApi{
    sizeof(modrt_queue_driver_api), d_open, d_close, d_publish, d_fetch, d_ack, d_nack, d_release, d_wake, d_info,
    d_check,
    nullptr,   // subscribe: fetch hands each message straight to a free worker, nothing to size
    nullptr};  // unsubscribe: nothing buffered

}  // namespace

const void* MemoryDriver::entry_interface(std::string_view name, void** self) {
    if (name != MODRT_QUEUE_DRIVER_INTERFACE) return nullptr;
    *self = this;
    return &kDriverApi;
}

std::shared_ptr<MemoryQueue> MemoryDriver::queue(const std::string& name, size_t max_length) {
    std::lock_guard lock(mutex_);
    auto& slot = queues_[name];
    if (!slot) slot = std::make_shared<MemoryQueue>(name, max_length);
    return slot;
}

std::unique_ptr<DataEntry> MemoryDriverKind::create_entry(const EntryInfo& info) {
    ValueView fields = info.fields();
    for (size_t i = 0; i < fields.size(); ++i) {
        std::string_view key = fields.key(i);
        // lifecycle: Wippy's drivers have one; an in-process driver has nothing to start.
        if (key != "name" && key != "kind" && key != "meta" && key != "lifecycle")
            throw Failure(Error(MODRT_ERR_INVALID, std::string(key) + ": unknown field (a memory driver has none)")
                              .set_field(key));
    }
    return std::make_unique<MemoryDriver>();
}

}  // namespace modrt::queue_memory
