// Reading a queue.consumer entry (consumer_spec.hpp).
#include "consumer_spec.hpp"

#include "queue_spec.hpp"

namespace modrt::queue {

ConsumerSpec ConsumerSpec::from_entry(const EntryInfo& info) {
    ConsumerSpec s;
    s.id = std::string(info.id());
    refuse_unknown_fields(info.fields(), {"name", "kind", "meta", "queue", "func", "concurrency", "prefetch",
                                          "auto_ack", "timeout", "driver_options", "lifecycle"});
    ValueView q = info.field("queue");
    if (!q.is_string() || !valid_entry_id(q.as_string()))
        refuse("queue", "expected the id of a queue.queue entry, such as app.queue:tasks");
    s.queue = std::string(q.as_string());
    ValueView f = info.field("func");
    if (!f.is_string() || !valid_entry_id(f.as_string()))
        refuse("func", "expected the id of the function that handles each message, such as app.queue:handle");
    s.func = std::string(f.as_string());
    if (ValueView v = info.field("concurrency"); !v.is_nil()) s.concurrency = read_count(v, "concurrency", 1);
    if (s.concurrency > 1024) refuse("concurrency", "at most 1024 (each is a thread)");
    if (ValueView v = info.field("prefetch"); !v.is_nil()) s.prefetch = read_count(v, "prefetch", 1);
    if (ValueView v = info.field("auto_ack"); !v.is_nil()) {
        if (v.type() != MODRT_BOOL) refuse("auto_ack", "expected true or false");
        s.auto_ack = v.as_bool();
    }
    if (ValueView v = info.field("timeout"); !v.is_nil()) {
        s.timeout = read_duration(v, "timeout");
        if (s.timeout.count() == 0) refuse("timeout", "expected a duration above zero (each message's deadline)");
    }
    if (ValueView v = info.field("driver_options"); !v.is_nil() && !v.is_map())
        refuse("driver_options", "expected a map of driver name to its options");
    s.driver_options = Value(info.field("driver_options"));
    return s;
}

}  // namespace modrt::queue
