// A queue at run time (queue_entry.hpp).
#include "queue_entry.hpp"

#include "codec.hpp"

namespace modrt::queue {

namespace {

modrt_error* q_publish(modrt_queue* queue, const modrt_frame* frame, const modrt_value* body,
                       const modrt_value* headers) noexcept {
    return detail::guard("queue publish", [&] {
        return static_cast<QueueEntry*>(queue)->publish(frame, ValueView(body), ValueView(headers)).release();
    });
}
modrt_error* q_info(modrt_queue* queue, modrt_value* out) noexcept {
    return detail::guard("queue info", [&]() -> modrt_error* {
        static_cast<QueueEntry*>(queue)->info(ValueSlot(out));
        return nullptr;
    });
}

constexpr modrt_queue_api kQueueApi{sizeof(modrt_queue_api), q_publish, q_info};

// Headers cross as a map of strings: numbers and booleans are written as text.
Value header_map(ValueView headers) {
    Value out;
    ValueSlot m = out.slot();
    m.set_map(headers.size());
    if (headers.is_nil()) return out;
    if (!headers.is_map()) throw Failure(MODRT_ERR_INVALID, "queue.publish: headers must be a table of strings");
    for (size_t i = 0; i < headers.size(); ++i) {
        ValueView v = headers[i];
        std::string text;
        switch (v.type()) {
            case MODRT_STRING: text = std::string(v.as_string()); break;
            case MODRT_INT: text = std::to_string(v.as_int()); break;
            case MODRT_BOOL: text = v.as_bool() ? "true" : "false"; break;
            case MODRT_NUMBER: text = std::to_string(v.as_number()); break;
            default:
                throw Failure(MODRT_ERR_INVALID, "queue.publish: header '" + std::string(headers.key(i)) +
                                                     "' must be a string, number or boolean");
        }
        m.insert(headers.key(i)).set_string(text);
    }
    return out;
}

}  // namespace

QueueEntry::~QueueEntry() {
    if (driver_.queue != nullptr) driver_.api->close(driver_.queue);
}

const void* QueueEntry::entry_interface(std::string_view name, void** self) {
    if (name != MODRT_QUEUE_INTERFACE) return nullptr;
    *self = this;
    return &kQueueApi;
}

QueueEntry* QueueEntry::find(const Host& host, std::string_view id) {
    void* self = nullptr;
    if (host.entry_interface(id, MODRT_QUEUE_INTERFACE, &self) != &kQueueApi) return nullptr;
    return static_cast<QueueEntry*>(self);
}

std::pair<const modrt_queue_driver_api*, void*> QueueEntry::driver_api(const Host& host, std::string_view driver_id) {
    void* self = nullptr;
    const auto* api = static_cast<const modrt_queue_driver_api*>(
        host.entry_interface(driver_id, MODRT_QUEUE_DRIVER_INTERFACE, &self));
    // A driver built before check/subscribe were appended is still a driver (queue.h's rule).
    if (api == nullptr || api->struct_size < MODRT_QUEUE_DRIVER_API_V1_SIZE) return {nullptr, nullptr};
    return {api, self};
}

ValueView QueueEntry::options_for(const Host& host, std::string_view driver_id, ValueView options) {
    const modrt_entry_info* info = host.find_entry(driver_id);
    std::string_view kind = info != nullptr ? to_view(info->kind) : "";
    if (kind.substr(0, 13) == "queue.driver.") kind.remove_prefix(13);
    return options.find(kind);
}

QueueEntry::DriverQueue QueueEntry::driver() {
    std::lock_guard lock(open_mutex_);
    if (driver_.queue != nullptr) return driver_;
    auto [api, self] = driver_api(host_, spec_.driver);
    if (api == nullptr)
        throw Failure(Error(MODRT_ERR_NOT_FOUND, spec_.id + ": driver '" + spec_.driver + "' is no queue driver")
                          .set_field("driver"));
    ValueView options = options_for(host_, spec_.driver, spec_.driver_options.view());
    modrt_driver_queue* q = nullptr;
    Error err(api->open(self, to_str(spec_.queue_name), options.is_nil() ? nullptr : options.raw(), &q));
    if (err.failed()) throw Failure(std::move(err.wrap(spec_.id)));
    driver_ = {api, q};
    return driver_;
}

Error QueueEntry::publish(const modrt_frame* frame, ValueView body, ValueView headers) {
    if (body.is_nil()) return Error(MODRT_ERR_INVALID, "queue.publish: the message body is empty (nil)");
    if (frame != nullptr) {
        if (!host_api().security_allowed(frame, to_str("queue.publish"), to_str(""), nullptr))
            return Error(MODRT_ERR_PERMISSION_DENIED, "queue.publish: not allowed to publish (queue.publish)");
        if (!host_api().security_allowed(frame, to_str("queue.publish.queue"), to_str(spec_.id), nullptr))
            return Error(MODRT_ERR_PERMISSION_DENIED,
                         "queue.publish: not allowed to publish to " + spec_.id + " (queue.publish.queue)");
    }
    return publish_encoded(encode_body(spec_.codec, body), header_map(headers).view());
}

Error QueueEntry::publish_encoded(std::string_view bytes, ValueView headers) {
    DriverQueue d = driver();
    return Error(d.api->publish(d.queue, to_str(bytes), headers.raw()));
}

void QueueEntry::info(ValueSlot out) {
    DriverQueue d = driver();
    Error err(d.api->info(d.queue, out.raw()));
    if (err.failed()) throw Failure(std::move(err));
    if (!out.view().is_map()) out.set_map();
    out.insert("dead_lettered").set_int(static_cast<int64_t>(dead_lettered_.load()));
    out.insert("dropped").set_int(static_cast<int64_t>(dropped_.load()));
}

}  // namespace modrt::queue
