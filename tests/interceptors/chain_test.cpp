// The chain: order, short-circuit, runtime.interceptors defaults, and option
// precedence (per call > entry > defaults).
#include "icpt_test_util.hpp"

#include <atomic>
#include <thread>
#include <vector>

using namespace it;

namespace {

// [name, inner] nesting of interceptor.tag results, outermost first, e.g. "a,b:value".
std::string tags_of(const Value& v) {
    std::string out;
    const Value* at = &v;
    while (at->type == MODRT_ARRAY && at->items.size() == 2 && at->items[0].type == MODRT_STRING) {
        out += (out.empty() ? "" : ",") + at->items[0].str;
        at = &at->items[1];
    }
    return out + ":" +
           (at->type == MODRT_STRING ? at->str
            : at->type == MODRT_INT  ? std::to_string(at->scalar.i)
                                     : "?");
}

const char* kEntries = R"(
  - {name: echo, kind: function.native, source: file://@LIB@, method: echo}
  - {name: with_options, kind: function.native, source: file://@LIB@, method: with_options,
     meta: {options: {tag: false, retry: false}}}
  - {name: calls, kind: function.native, source: file://@LIB@, method: calls, meta: {options: {tag: false}}}
)";

std::string registry(const std::string& extra) {
    return "version: \"1.0\"\nnamespace: t\nentries:" + std::string(kEntries) + extra;
}

CallResult call_with(Runtime& rt, const std::string& id, Value args, Value options) {
    return rt.call("t:with_options", array_of({str(id), std::move(args), std::move(options)}));
}

Value map_of(std::string_view key, Value v) {
    Value m = Value::map();
    m.insert(key) = std::move(v);
    return m;
}

}  // namespace

TEST(Chain, UnlistedInterceptorsRunInTheOrderTheyAppear) {
    auto rt = load(registry(R"(
  - {name: two, kind: function.native, source: file://@LIB@, method: echo,
     meta: {options: {tag2: {name: b}, tag: {name: a}}}}
  - {name: trail, kind: function.native, source: file://@LIB@, method: ctx,
     meta: {options: {tag2: {name: b}, tag: {name: a}}}}
)"));
    CallResult r = rt->call("t:two", array_of({str("v")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(tags_of(r.value), "b,a:v");  // tag2 outermost: it wraps last
    // Each interceptor added to the context seen beneath it: the function sees the outer one first.
    CallResult t = rt->call("t:trail", array_of({str("trail")}));
    ASSERT_TRUE(t.ok()) << t.error->message;
    const Value& trail = t.value.items[1].items[1];
    ASSERT_EQ(trail.items.size(), 2u);
    EXPECT_EQ(trail.items[0].str, "b");
    EXPECT_EQ(trail.items[1].str, "a");
}

TEST(Chain, TheDefaultsEntryOrdersTheChain) {
    auto rt = load(registry(R"(
  - {name: interceptors, kind: runtime.interceptors, order: [tag, tag2]}
  - {name: two, kind: function.native, source: file://@LIB@, method: echo,
     meta: {options: {tag2: {name: b}, tag: {name: a}}}}
)"));
    CallResult r = rt->call("t:two", array_of({str("v")}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(tags_of(r.value), "a,b:v");
}

TEST(Chain, UnlistedInterceptorsRunInsideTheBuiltIns) {
    // tag is not in the built-in order, so it runs innermost: inside retry, once per attempt.
    auto rt = load(registry(R"(
  - {name: flaky, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {tag: {name: t}, retry: {max_attempts: 3, initial_delay: 1ms}, timeout: {timeout: 10s}}}}
)"));
    CallResult r = rt->call("t:flaky", array_of({str("order"), Value::integer(2)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(tags_of(r.value), "t:3");  // tag (unlisted) is innermost: it wrapped only the good attempt
}

TEST(Chain, AnInterceptorCanShortCircuit) {
    auto rt = load(registry(R"(
  - {name: answered, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {tag: {name: outer}, answer: {value: 42}}}}
)"));
    CallResult r = rt->call("t:answered", array_of({str("short"), Value::integer(0)}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(tags_of(r.value), "outer:42");
    EXPECT_EQ(rt->call("t:calls", array_of({str("short")})).value.scalar.i, 0);  // the function never ran
}

TEST(Chain, DefaultsApplyToEveryEntryAndMergeUnderTheEntrysOptions) {
    auto rt = load(registry(R"(
  - name: interceptors
    kind: runtime.interceptors
    defaults:
      tag: {name: default}
      retry: {max_attempts: 4, initial_delay: 1ms}
  - {name: plain, kind: function.native, source: file://@LIB@, method: flaky}
  - {name: own, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {tag: {name: own}, retry: {max_attempts: 2}}}}
  - {name: opted_out, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {tag: false, retry: false}}}
)"));
    CallResult plain = rt->call("t:plain", array_of({str("plain"), Value::integer(3)}));
    ASSERT_TRUE(plain.ok()) << plain.error->message;
    EXPECT_EQ(tags_of(plain.value), "default:4");  // 4 attempts from the defaults

    CallResult own = rt->call("t:own", array_of({str("own"), Value::integer(3)}));
    ASSERT_FALSE(own.ok());
    IT_EXPECT_CONTAINS(own.error->message, "gave up after 2 attempts");  // the entry's max_attempts wins

    CallResult out = rt->call("t:opted_out", array_of({str("out"), Value::integer(0)}));
    ASSERT_TRUE(out.ok()) << out.error->message;
    EXPECT_EQ(out.value.scalar.i, 1);  // no tag
}

TEST(Chain, PerCallOptionsOverrideTheEntrysWhichOverrideTheDefaults) {
    auto rt = load(registry(R"(
  - name: interceptors
    kind: runtime.interceptors
    defaults:
      retry: {max_attempts: 5, initial_delay: 1ms}
  - {name: flaky, kind: function.native, source: file://@LIB@, method: flaky,
     meta: {options: {retry: {max_attempts: 2}, tag: {name: entry}}}}
)"));
    Value opts = map_of("retry", map_of("max_attempts", Value::integer(4)));
    opts.insert("tag") = map_of("name", str("call"));
    CallResult r = call_with(*rt, "t:flaky", array_of({str("precedence"), Value::integer(3)}), opts);
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(tags_of(r.value), "call:4");  // per call: 4 attempts and the call's tag name

    CallResult entry = call_with(*rt, "t:flaky", array_of({str("entry_only"), Value::integer(3)}), Value::map());
    ASSERT_FALSE(entry.ok());
    IT_EXPECT_CONTAINS(entry.error->message, "gave up after 2 attempts");

    CallResult bad = call_with(*rt, "t:flaky", array_of({str("bad"), Value::integer(0)}),
                               map_of("retry", map_of("max_attempts", str("many"))));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error->kind, MODRT_ERR_INVALID);
    IT_EXPECT_CONTAINS(bad.error->message, "per-call options of interceptor.retry: max_attempts");
}

TEST(Chain, PerCallOptionsDoNotReachNestedCalls) {
    auto rt = load(registry(R"(
  - {name: inner, kind: function.native, source: file://@LIB@, method: echo, meta: {options: {tag: {name: inner}}}}
)"));
    // with_options -> t:with_options -> t:inner: the options were for the middle call only.
    Value inner_args = array_of({str("t:inner"), array_of({str("v")})});  // no options for t:inner
    CallResult r = call_with(*rt, "t:with_options", inner_args, map_of("tag", map_of("name", str("call"))));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(tags_of(r.value), "inner:v");
}

TEST(Chain, PerCallOptionsAddInterceptorsTheEntryLacks) {
    auto rt = load(registry(R"(
  - {name: bare, kind: function.native, source: file://@LIB@, method: flaky}
  - {name: tagged, kind: function.native, source: file://@LIB@, method: flaky, meta: {options: {tag: {name: entry}}}}
  - {name: refusing, kind: function.native, source: file://@LIB@, method: flaky, meta: {options: {retry: false}}}
)"));
    Value retry = map_of("retry", map_of("initial_delay", str("1ms")));  // the plugin's default: 3 attempts
    CallResult r = call_with(*rt, "t:bare", array_of({str("added"), Value::integer(2)}), retry);
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value.scalar.i, 3);
    // The same call without options, or with options naming no interceptor, makes one attempt.
    Value scalars = map_of("priority", Value::integer(1));
    CallResult once = call_with(*rt, "t:bare", array_of({str("once"), Value::integer(2)}), scalars);
    ASSERT_FALSE(once.ok());
    EXPECT_EQ(calls(*rt, "once"), 1);
    // Added links take the runtime's order around the entry's own: retry (listed) outside tag (not).
    Value both = map_of("retry", map_of("initial_delay", str("1ms")));
    both.insert("tag2") = map_of("name", str("call"));
    CallResult nested = call_with(*rt, "t:tagged", array_of({str("order"), Value::integer(1)}), both);
    ASSERT_TRUE(nested.ok()) << nested.error->message;
    EXPECT_EQ(tags_of(nested.value), "entry,call:2");  // tag before tag2: the entry's link comes first
    EXPECT_EQ(calls(*rt, "order"), 2);
    // Kept per set of names and options: the same options again reuse the chain; other options
    // build another, made with them (tag cannot be made without its name).
    CallResult again = call_with(*rt, "t:bare", array_of({str("again"), Value::integer(1)}), retry);
    ASSERT_TRUE(again.ok()) << again.error->message;
    EXPECT_EQ(again.value.scalar.i, 2);
    for (int i = 0; i < 40; ++i) {  // past the entry's kept chains, each call builds its own
        std::string name = "n" + std::to_string(i);
        CallResult named = call_with(*rt, "t:bare", array_of({str(name), Value::integer(0)}),
                                     map_of("tag2", map_of("name", str(name))));
        ASSERT_TRUE(named.ok()) << named.error->message;
        EXPECT_EQ(tags_of(named.value), name + ":1");
    }
    CallResult unnamed = call_with(*rt, "t:bare", array_of({str("unnamed"), Value::integer(0)}),
                                   map_of("tag2", Value::map()));
    ASSERT_FALSE(unnamed.ok());
    EXPECT_EQ(unnamed.error->kind, MODRT_ERR_INVALID);
    IT_EXPECT_CONTAINS(unnamed.error->message, "per-call option 'tag2' calling 't:bare': tag needs a name");
    // `retry: false` on the entry refuses it per call too.
    CallResult refused = call_with(*rt, "t:refusing", array_of({str("refused"), Value::integer(2)}), retry);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(calls(*rt, "refused"), 1);
    // A map-valued option naming no interceptor fails the call before it runs.
    CallResult typo = call_with(*rt, "t:bare", array_of({str("typo"), Value::integer(0)}),
                                map_of("retyr", Value::map()));
    ASSERT_FALSE(typo.ok());
    EXPECT_EQ(typo.error->kind, MODRT_ERR_INVALID);
    EXPECT_FALSE(typo.error->retryable);
    IT_EXPECT_CONTAINS(typo.error->message,
                       "per-call option 'retyr' calling 't:bare': no plugin on the plugin path provides "
                       "'interceptor.retyr'");
    EXPECT_EQ(calls(*rt, "typo"), 0);
}

TEST(Chain, PerCallChainsAreSafeToBuildFromManyThreads) {
    auto rt = load(registry(R"(
  - {name: bare, kind: function.native, source: file://@LIB@, method: flaky}
)"));
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            Value retry = map_of("retry", map_of("initial_delay", str("1ms")));
            std::string key = "thread" + std::to_string(t);
            if (call_with(*rt, "t:bare", array_of({str(key), Value::integer(1)}), retry).ok()) ++ok;
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(ok.load(), 4);
}

TEST(Chain, DefaultsEntryProblems) {
    std::string errors = load_errors(registry(R"(
  - {name: one, kind: runtime.interceptors, defaults: {nope: {}}, order: tag}
  - {name: two, kind: runtime.interceptors}
  - {name: bad_option, kind: function.native, source: file://@LIB@, method: echo, meta: {options: {retry: 3}}}
)"));
    IT_EXPECT_CONTAINS(errors, "entry 't:one': order: expected a list of interceptor names");
    IT_EXPECT_CONTAINS(errors, "entry 't:two': only one runtime.interceptors entry is allowed; the first is 't:one'");
    IT_EXPECT_CONTAINS(errors, "entry 't:bad_option': 'meta.options.retry' must be a map of options");
    std::string unknown = load_errors(registry(R"(
  - {name: d, kind: runtime.interceptors, defaults: {nope: {}}}
)"));
    IT_EXPECT_CONTAINS(unknown, "entry 't:echo': no plugin on the plugin path provides 'interceptor.nope'");
}

TEST(Chain, MetricsWrapsCallsAndRefusesOptions) {
    auto rt = load(registry(R"(
  - {name: measured, kind: function.native, source: file://@LIB@, method: flaky, meta: {options: {metrics: {}}}}
)"));
    EXPECT_TRUE(rt->call("t:measured", array_of({str("metrics"), Value::integer(0)})).ok());
    EXPECT_FALSE(rt->call("t:measured", array_of({str("metrics_fail"), Value::integer(1)})).ok());
    auto stats = rt->interceptor_stats();
    ASSERT_EQ(stats.size(), 1u);
    EXPECT_EQ(stats[0].id, "t:measured");
    EXPECT_EQ(stats[0].interceptor, "interceptor.metrics");
    const Value& s = stats[0].stats;
    ASSERT_EQ(s.type, MODRT_MAP);
    EXPECT_EQ(*s.find("calls"), Value::integer(2));
    EXPECT_EQ(*s.find("errors"), Value::integer(1));
    ASSERT_NE(s.find("p50_us"), nullptr);
    EXPECT_GT(s.find("p99_us")->scalar.n, 0.0);
    EXPECT_GE(s.find("p99_us")->scalar.n, s.find("p50_us")->scalar.n);
    std::string errors = load_errors(registry(R"(
  - {name: bad, kind: function.native, source: file://@LIB@, method: echo, meta: {options: {metrics: {p: 1}}}}
)"));
    IT_EXPECT_CONTAINS(errors, "entry 't:bad': p: interceptor.metrics has no option 'p'");
}
