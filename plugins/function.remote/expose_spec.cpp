// Reading a function.expose entry (expose_spec.hpp).
#include "expose_spec.hpp"

#include "entry_fields.hpp"
#include "subjects.hpp"

#include <algorithm>
#include <array>

namespace modrt::remote {

namespace {

constexpr std::array<std::string_view, 9> kKnown = {"name",   "kind",        "meta",        "connection", "functions",
                                                    "prefix", "concurrency", "max_timeout", "lifecycle"};

}  // namespace

ExposeSpec ExposeSpec::from_entry(const EntryInfo& info) {
    ExposeSpec s;
    s.id = std::string(info.id());
    ValueView fields = info.fields();
    for (size_t i = 0; i < fields.size(); ++i)
        if (std::find(kKnown.begin(), kKnown.end(), fields.key(i)) == kKnown.end())
            refuse(fields.key(i),
                   "unknown field (known: connection, functions, prefix, concurrency, max_timeout, lifecycle)");
    s.connection = nats::parse_connection(info.field("connection"));
    s.prefix = subject_prefix(info);
    s.queue = s.prefix;
    ValueView fns = info.field("functions");
    if (!fns.is_array() || fns.size() == 0) refuse("functions", "expected a list of function ids to serve");
    for (size_t i = 0; i < fns.size(); ++i) {
        if (!fns[i].is_string()) refuse("functions", "expected function ids such as app.api:get_user");
        std::string_view fn = fns[i].as_string();
        if (auto why = function_id_problem(fn)) refuse("functions", std::string(fn) + ": " + *why);
        if (std::find(s.functions.begin(), s.functions.end(), fn) != s.functions.end())
            refuse("functions", std::string(fn) + " is listed twice");
        s.functions.emplace_back(fn);
    }
    if (ValueView c = info.field("concurrency"); !c.is_nil()) {
        if (c.type() != MODRT_INT || c.as_int() < 1 || c.as_int() > 4096)
            refuse("concurrency", "expected the number of calls served at once, 1 to 4096");
        s.concurrency = static_cast<size_t>(c.as_int());
    }
    s.max_timeout = positive_duration(info, "max_timeout", std::chrono::nanoseconds(0));
    return s;
}

}  // namespace modrt::remote
