// What a queue.queue entry says (Wippy's fields, plus modrt's `redelivery`):
//
//   - name: tasks
//     kind: queue.queue
//     driver: app.queue:memory          # a queue.driver.* entry
//     queue_name: app_tasks             # the driver's name for it (default: the entry's name)
//     codec: json/plain                 # the only codec for now (the default)
//     driver_options: {memory: {max_length: 500}}   # each driver reads its own sub-map
//     dead_letter: {queue: app.queue:tasks_dlq, max_attempts: 5}
//     redelivery: {initial_delay: 100ms, backoff_factor: 2, max_delay: 30s}
#pragma once

#include <modrt/sdk.hpp>

#include <chrono>
#include <string>

namespace modrt::queue {

/// When a failed message is delivered again: initial_delay × backoff_factor^(attempt-1), at most max_delay.
struct Redelivery {
    std::chrono::nanoseconds initial_delay = std::chrono::milliseconds(100);
    double backoff_factor = 2.0;
    std::chrono::nanoseconds max_delay = std::chrono::seconds(30);

    std::chrono::nanoseconds delay_after(int64_t attempt) const;
};

struct QueueSpec {
    std::string id;
    std::string driver;      // the driver entry's id
    std::string queue_name;  // the driver's name for the queue
    std::string codec = "json/plain";
    std::string dead_letter;   // a queue.queue id; "" for none
    int64_t max_attempts = 0;  // deliveries before dead-lettering; 0: no limit
    Redelivery redelivery;
    Value driver_options;  // the entry's map, each driver's sub-map under its name; nil when absent

    /// Throws Failure (with set_field) for a field that is wrong on its own.
    static QueueSpec from_entry(const EntryInfo& info);
};

/// True for "ns:name".
bool valid_entry_id(std::string_view id);
/// A duration field: "100ms", "2s", or milliseconds as a number; throws Failure naming `field`.
std::chrono::nanoseconds read_duration(ValueView v, std::string_view field);
/// Throws Failure naming `field` unless it is an integer of at least `min`.
int64_t read_count(ValueView v, std::string_view field, int64_t min);
/// Throws Failure (Invalid) "<field>: <message>" naming `field`.
[[noreturn]] void refuse(std::string_view field, const std::string& message);
/// Throws Failure for a field of `fields` not in `known` (a comma-separated list for the message).
void refuse_unknown_fields(ValueView fields, std::initializer_list<std::string_view> known);

}  // namespace modrt::queue
