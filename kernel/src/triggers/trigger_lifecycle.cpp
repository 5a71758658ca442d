// Reading a trigger entry's `lifecycle` block (trigger_lifecycle.hpp).
#include "triggers/trigger_lifecycle.hpp"

#include <modrt/duration.hpp>

#include <algorithm>
#include <array>
#include <string_view>

namespace modrt::kernel {

namespace {

constexpr std::array<std::string_view, 5> kIgnored = {"start_timeout", "stable_threshold", "requires", "depends_on",
                                                      "restart"};

}  // namespace

std::vector<FieldProblem> read_trigger_lifecycle(const RawEntry& entry, TriggerLifecycle& out) {
    std::vector<FieldProblem> problems;
    const Value* block = entry.fields.find("lifecycle");
    if (block == nullptr || block->type == MODRT_NIL) return problems;
    if (block->type != MODRT_MAP) {
        problems.push_back({"lifecycle", "lifecycle: expected a map (auto_start, stop_timeout, security)"});
        return problems;
    }
    for (size_t i = 0; i < block->keys.size(); ++i) {
        const std::string& key = block->keys[i];
        const Value& v = block->items[i];
        const std::string field = "lifecycle." + key;
        if (key == "auto_start") {
            if (v.type != MODRT_BOOL) problems.push_back({field, field + ": expected true or false"});
            else out.auto_start = v.scalar.b;
        } else if (key == "stop_timeout") {
            std::optional<std::chrono::nanoseconds> d;
            if (v.type == MODRT_STRING) d = parse_duration(v.str);
            else if (v.type == MODRT_INT) d = duration_from_ms(static_cast<double>(v.scalar.i));
            else if (v.type == MODRT_NUMBER) d = duration_from_ms(v.scalar.n);
            if (!d) problems.push_back({field, field + ": expected a duration such as 10s or 500ms (at most a year)"});
            else out.stop_timeout = *d;
        } else if (key == "security") {
            // the trigger plugin reads it (it builds the actor of its calls)
        } else if (std::find(kIgnored.begin(), kIgnored.end(), key) != kIgnored.end()) {
            out.ignored.push_back(field);
        } else {
            problems.push_back({field, field + ": unknown field (known: auto_start, stop_timeout, security)"});
        }
    }
    return problems;
}

}  // namespace modrt::kernel
