// Reading a schedule.function entry (schedule_spec.hpp).
#include "schedule_spec.hpp"

#include <modrt/duration.hpp>

#include <array>
#include <string_view>

namespace modrt::schedule {

namespace {

[[noreturn]] void refuse(std::string_view field, const std::string& message) {
    throw Failure(Error(MODRT_ERR_INVALID, std::string(field) + ": " + message).set_field(field));
}

std::optional<std::chrono::nanoseconds> duration_of(ValueView v) {
    if (v.is_string()) return parse_duration(v.as_string());
    if (v.type() == MODRT_INT) return duration_from_ms(static_cast<double>(v.as_int()));
    if (v.type() == MODRT_NUMBER) return duration_from_ms(v.as_number());
    return std::nullopt;
}

bool valid_function_id(std::string_view id) {
    size_t colon = id.find(':');
    return colon != std::string_view::npos && colon > 0 && colon + 1 < id.size() &&
           id.find(':', colon + 1) == std::string_view::npos;
}

constexpr std::array<std::string_view, 11> kKnown = {"name", "kind",    "meta",    "func",      "interval", "cron",
                                                     "args", "timeout", "overlap", "immediate", "lifecycle"};

}  // namespace

ScheduleSpec ScheduleSpec::from_entry(const EntryInfo& info) {
    ScheduleSpec s;
    s.id = std::string(info.id());
    ValueView fields = info.fields();
    for (size_t i = 0; i < fields.size(); ++i) {
        std::string_view key = fields.key(i);
        bool known = false;
        for (auto k : kKnown) known |= k == key;
        if (!known)
            refuse(key, "unknown field (known: func, interval, cron, args, timeout, overlap, immediate, lifecycle)");
    }
    ValueView func = info.field("func");
    if (!func.is_string() || !valid_function_id(func.as_string()))
        refuse("func", "expected the id of the function each run calls, such as app.jobs:cleanup");
    s.func = std::string(func.as_string());

    ValueView interval = info.field("interval"), cron = info.field("cron");
    if (interval.is_nil() == cron.is_nil())
        refuse(interval.is_nil() ? "interval" : "cron",
               "give exactly one of interval (e.g. 30s) and cron (e.g. \"*/5 * * * *\")");
    if (!interval.is_nil()) {
        s.interval = duration_of(interval);
        if (!s.interval || *s.interval < std::chrono::milliseconds(1))
            refuse("interval", "expected a duration of at least 1ms, such as 500ms, 30s or 1h");
    } else {
        if (!cron.is_string()) refuse("cron", "expected a 5-field cron expression such as \"*/5 * * * *\"");
        try {
            s.cron = CronExpression::parse(cron.as_string());
        } catch (const CronError& e) {
            refuse("cron", e.what());
        }
    }

    ValueView args = info.field("args");
    if (!args.is_nil() && !args.is_array()) refuse("args", "expected a list of arguments");

    s.timeout = std::chrono::minutes(1);
    if (ValueView t = info.field("timeout"); !t.is_nil()) {
        auto d = duration_of(t);
        if (!d || d->count() == 0) refuse("timeout", "expected a duration such as 20s (each run's deadline)");
        s.timeout = *d;
    }
    auto flag = [&](std::string_view name, bool& out) {
        ValueView v = info.field(name);
        if (v.is_nil()) return;
        if (v.type() != MODRT_BOOL) refuse(name, "expected true or false");
        out = v.as_bool();
    };
    flag("overlap", s.overlap);
    flag("immediate", s.immediate);
    return s;
}

std::string ScheduleSpec::describe() const {
    if (interval) {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(*interval).count();
        return "every " + (ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms");
    }
    return "cron " + cron->text() + " (UTC)";
}

}  // namespace modrt::schedule
