// Reading a queue.queue entry (queue_spec.hpp).
#include "queue_spec.hpp"

#include "codec.hpp"

#include <modrt/duration.hpp>

#include <cmath>

namespace modrt::queue {

[[noreturn]] void refuse(std::string_view field, const std::string& message) {
    throw Failure(Error(MODRT_ERR_INVALID, std::string(field) + ": " + message).set_field(field));
}

std::chrono::nanoseconds Redelivery::delay_after(int64_t attempt) const {
    double d = static_cast<double>(initial_delay.count()) * std::pow(backoff_factor, static_cast<double>(attempt - 1));
    if (!(d < static_cast<double>(max_delay.count()))) return max_delay;
    return std::chrono::nanoseconds(static_cast<int64_t>(d));
}

bool valid_entry_id(std::string_view id) {
    size_t colon = id.find(':');
    return colon != std::string_view::npos && colon > 0 && colon + 1 < id.size() &&
           id.find(':', colon + 1) == std::string_view::npos;
}

std::chrono::nanoseconds read_duration(ValueView v, std::string_view field) {
    std::optional<std::chrono::nanoseconds> d;
    if (v.is_string()) d = parse_duration(v.as_string());
    else if (v.type() == MODRT_INT) d = duration_from_ms(static_cast<double>(v.as_int()));
    else if (v.type() == MODRT_NUMBER) d = duration_from_ms(v.as_number());
    if (!d || d->count() < 0) refuse(field, "expected a duration such as 100ms, 2s or 1m");
    return *d;
}

int64_t read_count(ValueView v, std::string_view field, int64_t min) {
    if (v.type() != MODRT_INT || v.as_int() < min)
        refuse(field, "expected a whole number of at least " + std::to_string(min));
    return v.as_int();
}

void refuse_unknown_fields(ValueView fields, std::initializer_list<std::string_view> known) {
    for (size_t i = 0; i < fields.size(); ++i) {
        std::string_view key = fields.key(i);
        bool ok = false;
        std::string list;
        for (auto k : known) {
            ok |= k == key;
            if (k != "name" && k != "kind" && k != "meta") list += (list.empty() ? "" : ", ") + std::string(k);
        }
        if (!ok) refuse(key, "unknown field (known: " + list + ")");
    }
}

QueueSpec QueueSpec::from_entry(const EntryInfo& info) {
    QueueSpec s;
    s.id = std::string(info.id());
    refuse_unknown_fields(info.fields(), {"name", "kind", "meta", "driver", "queue_name", "codec", "driver_options",
                                          "dead_letter", "redelivery"});
    ValueView driver = info.field("driver");
    if (!driver.is_string() || !valid_entry_id(driver.as_string()))
        refuse("driver", "expected the id of a queue driver entry, such as app.queue:memory");
    s.driver = std::string(driver.as_string());

    s.queue_name = std::string(info.field("name").as_string());
    if (ValueView n = info.field("queue_name"); !n.is_nil()) {
        if (!n.is_string() || n.as_string().empty()) refuse("queue_name", "expected a non-empty string");
        s.queue_name = std::string(n.as_string());
    }
    if (ValueView c = info.field("codec"); !c.is_nil()) {
        if (!c.is_string() || !known_codec(c.as_string()))
            refuse("codec", "unknown codec '" + std::string(c.as_string()) + "' (known: json/plain)");
        s.codec = std::string(c.as_string());
    }
    if (ValueView o = info.field("driver_options"); !o.is_nil()) {
        if (!o.is_map())
            refuse("driver_options",
                   "expected a map of driver name to its options, such as {memory: {max_length: 500}}");
        host_api().value_copy(s.driver_options.raw(), o.raw());
    }

    if (ValueView dl = info.field("dead_letter"); !dl.is_nil()) {
        if (!dl.is_map()) refuse("dead_letter", "expected {queue: ns:name, max_attempts: n}");
        refuse_unknown_fields(dl, {"queue", "max_attempts"});
        ValueView q = dl.find("queue");
        if (!q.is_string() || !valid_entry_id(q.as_string()))
            refuse("dead_letter.queue", "expected the id of a queue.queue entry");
        s.dead_letter = std::string(q.as_string());
        if (s.dead_letter == s.id) refuse("dead_letter.queue", "a queue cannot be its own dead-letter queue");
        s.max_attempts = 5;
        if (ValueView m = dl.find("max_attempts"); !m.is_nil())
            s.max_attempts = read_count(m, "dead_letter.max_attempts", 1);
    }
    if (ValueView r = info.field("redelivery"); !r.is_nil()) {
        if (!r.is_map()) refuse("redelivery", "expected {initial_delay, backoff_factor, max_delay}");
        refuse_unknown_fields(r, {"initial_delay", "backoff_factor", "max_delay"});
        if (ValueView v = r.find("initial_delay"); !v.is_nil())
            s.redelivery.initial_delay = read_duration(v, "redelivery.initial_delay");
        if (ValueView v = r.find("max_delay"); !v.is_nil())
            s.redelivery.max_delay = read_duration(v, "redelivery.max_delay");
        if (ValueView v = r.find("backoff_factor"); !v.is_nil()) {
            double f = v.type() == MODRT_INT ? static_cast<double>(v.as_int()) : v.as_number();
            if ((v.type() != MODRT_INT && v.type() != MODRT_NUMBER) || !(f >= 1.0))
                refuse("redelivery.backoff_factor", "expected a number of at least 1");
            s.redelivery.backoff_factor = f;
        }
    }
    return s;
}

}  // namespace modrt::queue
