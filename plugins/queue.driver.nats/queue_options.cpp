// Reading the NATS driver's entry and a queue's driver_options.nats (queue_options.hpp).
#include "queue_options.hpp"

#include <modrt/byte_size.hpp>
#include <modrt/duration.hpp>

#include <limits>

namespace modrt::queue_nats {

namespace {

[[noreturn]] void bad(const std::string& field, const std::string& why, std::string_view registry_field) {
    throw Failure(Error(MODRT_ERR_INVALID, field + ": " + why).set_field(registry_field));
}

/// A stream or durable name as NATS takes it: no '.', '*', '>', '/', '\' or whitespace.
bool valid_name(std::string_view s) {
    if (s.empty() || s.size() > 255) return false;
    for (char c : s)
        if (c == '.' || c == '*' || c == '>' || c == '/' || c == '\\' || static_cast<unsigned char>(c) <= ' ') return false;
    return true;
}

/// A literal subject: dot-separated non-empty tokens, no wildcards or whitespace.
bool valid_subject(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos) return false;
    for (char c : s)
        if (c == '*' || c == '>' || static_cast<unsigned char>(c) <= ' ') return false;
    return true;
}

std::string default_stream(std::string_view queue) {
    std::string out(queue);
    for (char& c : out)
        if (c == '.' || c == '*' || c == '>' || c == '/' || c == '\\' || static_cast<unsigned char>(c) <= ' ') c = '_';
    return out;
}

std::chrono::nanoseconds duration(ValueView v, const std::string& field, std::string_view registry_field) {
    std::optional<std::chrono::nanoseconds> d;
    if (v.is_string()) d = parse_duration(v.as_string());
    else if (v.type() == MODRT_INT || v.type() == MODRT_NUMBER) d = duration_from_ms(v.as_number());
    if (!d) bad(field, "expected a duration (\"500ms\", \"30s\", \"24h\")", registry_field);
    return *d;
}

int64_t count(ValueView v, const std::string& field, int64_t min, std::string_view registry_field) {
    if (v.type() != MODRT_INT || v.as_int() < min)
        bad(field, "expected a whole number of at least " + std::to_string(min), registry_field);
    return v.as_int();
}

std::string text(ValueView v, const std::string& field, std::string_view registry_field) {
    if (!v.is_string() || v.as_string().empty()) bad(field, "expected a non-empty string", registry_field);
    return std::string(v.as_string());
}

}  // namespace

DriverSettings DriverSettings::from_entry(const EntryInfo& info) {
    DriverSettings s;
    ValueView fields = info.fields();
    for (size_t i = 0; i < fields.size(); ++i) {
        std::string_view key = fields.key(i);
        std::string k(key);
        ValueView v = fields[i];
        if (key == "name" || key == "kind" || key == "meta" || key == "lifecycle") continue;
        if (key == "connection") {
            s.connection = nats::parse_connection(v);  // its errors name connection.<field>
        } else if (key == "subject_prefix") {
            s.subject_prefix = text(v, k, k);
            if (!valid_subject(s.subject_prefix + "x")) bad(k, "expected subject tokens such as \"modrt.queue.\"", k);
        } else if (key == "publish_timeout") {
            auto d = duration(v, k, k);
            if (d.count() <= 0) bad(k, "expected a duration above zero", k);
            s.publish_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(d);
        } else {
            bad(k, "unknown field (known: connection, subject_prefix, publish_timeout, lifecycle)", k);
        }
    }
    return s;
}

QueueOptions QueueOptions::read(ValueView options, std::string_view name, const DriverSettings& driver) {
    constexpr std::string_view kField = "driver_options";  // where the registry error points
    QueueOptions o;
    o.stream = default_stream(name);
    o.subject = driver.subject_prefix + std::string(name);
    if (!options.is_nil() && !options.is_map()) bad("driver_options.nats", "expected a map", kField);
    for (size_t i = 0; i < options.size(); ++i) {
        std::string_view key = options.key(i);
        const std::string f = "driver_options.nats." + std::string(key);
        ValueView v = options[i];
        if (key == "stream") {
            o.stream = text(v, f, kField);
            if (!valid_name(o.stream)) bad(f, "'" + o.stream + "' is no stream name (no '.', '*', '>', '/' or spaces)", kField);
        } else if (key == "subject") {
            o.subject = text(v, f, kField);
        } else if (key == "storage") {
            std::string s = text(v, f, kField);
            if (s != "file" && s != "memory") bad(f, "expected file or memory", kField);
            o.memory_storage = s == "memory";
        } else if (key == "replicas") {
            o.replicas = count(v, f, 1, kField);
            if (o.replicas > 5) bad(f, "at most 5 (NATS' limit)", kField);
        } else if (key == "max_msgs") {
            o.max_msgs = count(v, f, -1, kField);
        } else if (key == "max_bytes") {
            if (v.is_string()) {
                auto b = parse_byte_size(v.as_string());
                if (!b || *b > uint64_t(std::numeric_limits<int64_t>::max())) bad(f, "expected a size (\"64MB\") or bytes", kField);
                o.max_bytes = static_cast<int64_t>(*b);
            } else {
                o.max_bytes = count(v, f, -1, kField);
            }
        } else if (key == "max_age") {
            o.max_age = duration(v, f, kField);
        } else if (key == "durable") {
            o.durable = text(v, f, kField);
            if (!valid_name(o.durable)) bad(f, "'" + o.durable + "' is no consumer name (no '.', '*', '>', '/' or spaces)", kField);
        } else if (key == "ack_wait") {
            o.ack_wait = duration(v, f, kField);
            if (o.ack_wait < std::chrono::milliseconds(100)) bad(f, "at least 100ms", kField);
        } else if (key == "max_deliver") {
            o.max_deliver = count(v, f, -1, kField);
            if (o.max_deliver == 0) bad(f, "expected -1 (unlimited) or a count of at least 1", kField);
        } else if (key == "max_ack_pending") {
            o.max_ack_pending = count(v, f, -1, kField);
            if (o.max_ack_pending == 0) bad(f, "expected -1 (the server's default) or a count of at least 1", kField);
        } else {
            bad(f, "unknown option (known: stream, subject, storage, replicas, max_msgs, max_bytes, max_age, durable, "
                   "ack_wait, max_deliver, max_ack_pending)", kField);
        }
    }
    if (!valid_name(o.stream)) bad("driver_options.nats.stream", "'" + o.stream + "' is no stream name; set one", kField);
    if (!valid_subject(o.subject))
        bad("driver_options.nats.subject", "'" + o.subject + "' is no literal subject (dot-separated tokens, no wildcards)", kField);
    return o;
}

}  // namespace modrt::queue_nats
