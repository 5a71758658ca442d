// The NATS driver entry and its C table (nats_driver.hpp, modrt/queue.h).
#include "nats_driver.hpp"

#include "nats_queue.hpp"

namespace modrt::queue_nats {

namespace {

NatsQueue& q(modrt_driver_queue* handle) { return *static_cast<NatsQueue*>(handle); }

modrt_error* d_check(modrt_queue_driver* driver, modrt_str name, const modrt_value* options) noexcept {
    return detail::guard("queue.driver.nats check", [&]() -> modrt_error* {
        (void)QueueOptions::read(ValueView(options), to_view(name), static_cast<NatsDriver*>(driver)->settings());
        return nullptr;
    });
}
modrt_error* d_open(modrt_queue_driver* driver, modrt_str name, const modrt_value* options,
                    modrt_driver_queue** out) noexcept {
    return detail::guard("queue.driver.nats open", [&]() -> modrt_error* {
        auto& d = *static_cast<NatsDriver*>(driver);
        QueueOptions o = QueueOptions::read(ValueView(options), to_view(name), d.settings());
        auto queue = std::make_unique<NatsQueue>(d.connection(), std::string(to_view(name)) + " on " + d.id(),
                                                 std::move(o), d.settings());
        *out = queue.release();  // owned by the caller until close
        return nullptr;
    });
}
void d_close(modrt_driver_queue* handle) noexcept { std::unique_ptr<NatsQueue> owned(static_cast<NatsQueue*>(handle)); }
modrt_error* d_publish(modrt_driver_queue* handle, modrt_str body, const modrt_value* headers) noexcept {
    return detail::guard("queue.driver.nats publish",
                         [&] { return q(handle).publish(to_view(body), ValueView(headers)).release(); });
}
modrt_error* d_fetch(modrt_driver_queue* handle, int64_t deadline_ns, modrt_value* out) noexcept {
    return detail::guard("queue.driver.nats fetch", [&]() -> modrt_error* {
        q(handle).fetch(deadline_ns, ValueSlot(out));
        return nullptr;
    });
}
modrt_error* d_ack(modrt_driver_queue* handle, int64_t delivery) noexcept {
    return detail::guard("queue.driver.nats ack", [&] { return q(handle).ack(delivery).release(); });
}
modrt_error* d_nack(modrt_driver_queue* handle, int64_t delivery, int64_t delay_ns) noexcept {
    return detail::guard("queue.driver.nats nack", [&] { return q(handle).nack(delivery, delay_ns).release(); });
}
modrt_error* d_release(modrt_driver_queue* handle, int64_t delivery) noexcept {
    return detail::guard("queue.driver.nats release", [&] { return q(handle).release(delivery).release(); });
}
void d_wake(modrt_driver_queue* handle) noexcept { q(handle).wake(); }
modrt_error* d_info(modrt_driver_queue* handle, modrt_value* out) noexcept {
    return detail::guard("queue.driver.nats info", [&]() -> modrt_error* {
        q(handle).info(ValueSlot(out));
        return nullptr;
    });
}
modrt_error* d_subscribe(modrt_driver_queue* handle, const modrt_value* options) noexcept {
    return detail::guard("queue.driver.nats subscribe", [&] { return q(handle).subscribe(ValueView(options)).release(); });
}
void d_unsubscribe(modrt_driver_queue* handle) noexcept { q(handle).unsubscribe(); }

constexpr modrt_queue_driver_api kDriverApi{sizeof(modrt_queue_driver_api),
                                            d_open,
                                            d_close,
                                            d_publish,
                                            d_fetch,
                                            d_ack,
                                            d_nack,
                                            d_release,
                                            d_wake,
                                            d_info,
                                            d_check,
                                            d_subscribe,
                                            d_unsubscribe};

}  // namespace

const void* NatsDriver::entry_interface(std::string_view name, void** self) {
    if (name != MODRT_QUEUE_DRIVER_INTERFACE) return nullptr;
    *self = this;
    return &kDriverApi;
}

nats::ConnectionPtr NatsDriver::connection() {
    std::lock_guard lock(mutex_);
    if (!connection_) connection_ = connections_->get(settings_.connection, id_);
    return connection_;
}

std::unique_ptr<DataEntry> NatsDriverKind::create_entry(const EntryInfo& info) {
    return std::make_unique<NatsDriver>(std::string(info.id()), DriverSettings::from_entry(info), connections_);
}

}  // namespace modrt::queue_nats
