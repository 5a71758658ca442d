// function.lua: the http module (Wippy's lua/http/http.md) through the real host API. Each
// test lends a fake exchange to a root frame, as an HTTP trigger does (modrt/http.h, host
// root_frame_new), calls a Lua function of fixtures/http under it and checks what the
// function read and what it wrote. Wippy's endpoint.md handlers run as written.
#include "lua_test_util.hpp"

#include <modrt/http.h>
#include <modrt/kernel/json.hpp>

#include <algorithm>
#include <atomic>
#include <memory>
#include <numeric>
#include <vector>

namespace {

using namespace lua_test;

using Pairs = std::vector<std::pair<std::string, std::string>>;

modrt_str to_mstr(std::string_view s) { return modrt_str{s.data(), s.size()}; }

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

/// An exchange as an HTTP trigger lends it: a request to read, and the response the
/// function writes, recorded. Errors follow http.h: INVALID once the head was sent or for
/// a forbidden status/header, CANCELED when the client is gone, INVALID past body_limit.
struct FakeExchange : modrt_http_exchange {
    explicit FakeExchange(const modrt_host_api& h);

    const modrt_host_api* host;  // the hooks below have only the exchange to reach it through
    std::string method = "GET";
    std::string path = "/";
    std::string query_string;
    std::string body;
    std::string remote_addr = "10.0.0.7:51234";
    std::string host_name = "example.com";
    std::string request_id = "req-1";
    std::string protocol = "HTTP/1.1";
    std::string route = "/";
    Pairs params;
    Pairs query;
    Pairs headers;  // names lower-case, as the trigger gives them

    int status = 200;
    Pairs response_headers;
    std::string written;
    bool head_sent = false;
    int flushes = 0;
    bool client_gone = false;
    bool touched = false;
    size_t body_limit = 1 << 20;

    /// The response header `name` (any case), or "" when unset.
    std::string response_header(std::string_view name) const {
        for (const auto& [n, v] : response_headers)
            if (same_name(n, name)) return v;
        return "";
    }
};

FakeExchange& fake(const modrt_http_exchange* ex) {
    return *static_cast<FakeExchange*>(const_cast<modrt_http_exchange*>(ex));
}

modrt_error* fail(const FakeExchange& f, modrt_error_kind kind, std::string_view message) {
    return f.host->error_new(kind, to_mstr(message));
}

Pairs& list_of(const modrt_http_exchange* ex, modrt_http_list list) {
    FakeExchange& f = fake(ex);
    return list == MODRT_HTTP_PARAMS ? f.params : list == MODRT_HTTP_QUERY ? f.query : f.headers;
}

modrt_str fx_field(const modrt_http_exchange* ex, modrt_http_field field) {
    const FakeExchange& f = fake(ex);
    switch (field) {
        case MODRT_HTTP_METHOD: return to_mstr(f.method);
        case MODRT_HTTP_PATH: return to_mstr(f.path);
        case MODRT_HTTP_QUERY_STRING: return to_mstr(f.query_string);
        case MODRT_HTTP_BODY: return to_mstr(f.body);
        case MODRT_HTTP_REMOTE_ADDR: return to_mstr(f.remote_addr);
        case MODRT_HTTP_HOST: return to_mstr(f.host_name);
        case MODRT_HTTP_REQUEST_ID: return to_mstr(f.request_id);
        case MODRT_HTTP_PROTOCOL: return to_mstr(f.protocol);
        case MODRT_HTTP_ROUTE: return to_mstr(f.route);
    }
    return modrt_str{"", 0};
}

size_t fx_count(const modrt_http_exchange* ex, modrt_http_list list) { return list_of(ex, list).size(); }

modrt_str fx_name_at(const modrt_http_exchange* ex, modrt_http_list list, size_t i) {
    return to_mstr(list_of(ex, list)[i].first);
}

modrt_str fx_value_at(const modrt_http_exchange* ex, modrt_http_list list, size_t i) {
    return to_mstr(list_of(ex, list)[i].second);
}

modrt_str fx_get(const modrt_http_exchange* ex, modrt_http_list list, modrt_str name) {
    std::string_view wanted(name.ptr, name.len);
    for (const auto& [n, v] : list_of(ex, list))
        if (list == MODRT_HTTP_HEADERS ? same_name(n, wanted) : n == wanted) return to_mstr(v);
    return modrt_str{nullptr, 0};
}

modrt_error* fx_set_status(modrt_http_exchange* ex, int status) {
    FakeExchange& f = fake(ex);
    if (f.head_sent) return fail(f, MODRT_ERR_INVALID, "set_status: the head was sent");
    if (status < 100 || status > 599) return fail(f, MODRT_ERR_INVALID, "set_status: not a status (100-599)");
    f.status = status;
    f.touched = true;
    return nullptr;
}

modrt_error* fx_set_header(modrt_http_exchange* ex, modrt_str name, modrt_str value) {
    FakeExchange& f = fake(ex);
    std::string_view n(name.ptr, name.len);
    std::string_view v(value.ptr, value.len);
    if (f.head_sent) return fail(f, MODRT_ERR_INVALID, "set_header: the head was sent");
    if (n.empty() || n.find_first_of(" \r\n:") != std::string_view::npos || v.find_first_of("\r\n") != v.npos)
        return fail(f, MODRT_ERR_INVALID, "set_header: forbidden header");
    f.touched = true;
    for (auto& [hn, hv] : f.response_headers)
        if (same_name(hn, n)) {
            hv = v;
            return nullptr;
        }
    f.response_headers.emplace_back(n, v);
    return nullptr;
}

modrt_error* fx_write(modrt_http_exchange* ex, modrt_str data) {
    FakeExchange& f = fake(ex);
    if (f.client_gone) return fail(f, MODRT_ERR_CANCELED, "write: the client is gone");
    if (f.written.size() + data.len > f.body_limit) return fail(f, MODRT_ERR_INVALID, "write: past the body limit");
    f.written.append(data.ptr, data.len);
    f.touched = true;
    return nullptr;
}

modrt_error* fx_flush(modrt_http_exchange* ex) {
    FakeExchange& f = fake(ex);
    if (f.client_gone) return fail(f, MODRT_ERR_CANCELED, "flush: the client is gone");
    f.head_sent = true;
    ++f.flushes;
    return nullptr;
}

int fx_responded(const modrt_http_exchange* ex) { return fake(ex).touched ? 1 : 0; }

const modrt_http_api kFakeApi = {sizeof(modrt_http_api), fx_field,      fx_count, fx_name_at, fx_value_at, fx_get,
                                 fx_set_status,          fx_set_header, fx_write, fx_flush,   fx_responded};

/// Serials never repeat within the test binary, as a trigger's (http.h) never repeat within it.
uint64_t next_fake_serial() {
    static std::atomic<uint64_t> last{0};
    return ++last;
}

FakeExchange::FakeExchange(const modrt_host_api& h)
    : modrt_http_exchange{sizeof(modrt_http_exchange), &kFakeApi, next_fake_serial()}, host(&h) {}

/// `v` with every map's keys sorted, so that values compare whatever order JSON members came in.
Value sorted(const Value& v) {
    if (v.type == MODRT_ARRAY) {
        Value out = Value::array();
        for (const auto& item : v.items) out.push() = sorted(item);
        return out;
    }
    if (v.type != MODRT_MAP) return v;
    std::vector<size_t> order(v.keys.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v.keys[a] < v.keys[b]; });
    Value out = Value::map();
    for (size_t i : order) out.insert(v.keys[i]) = sorted(v.items[i]);
    return out;
}

/// The JSON text `text` as a value with sorted maps (fails the test on bad JSON).
Value parsed(std::string_view text) {
    Value out;
    auto err = modrt::kernel::parse_json(text, out);
    EXPECT_EQ(err, nullptr) << "bad JSON: " << text;
    return sorted(out);
}

Value strings(std::initializer_list<const char*> items) {
    Value v = Value::array();
    for (const char* s : items) v.push() = str(s);
    return v;
}

/// One response step for test.http:respond: {method, args...}.
Value step(std::initializer_list<Value> items) { return args(items); }

/// Call `id` on `rt` as an HTTP trigger does: under a root frame lending `ex`.
CallResult serve_on(Runtime& rt, FakeExchange& ex, std::string_view id, const Value& a = Value::array()) {
    const modrt_host_api& h = rt.host_api();
    modrt_http_exchange* lent = &ex;
    modrt_frame* root = h.root_frame_new(rt.handle(), nullptr, to_mstr(MODRT_HTTP_EXCHANGE_KEY), lent);
    EXPECT_NE(root, nullptr);
    CallResult r;
    r.error.reset(h.call(rt.handle(), root, to_mstr(id), &a, nullptr, &r.value));
    h.root_frame_release(root);
    return r;
}

struct HttpFixture {
    static constexpr std::string_view dirs[] = {"http"};
};

class LuaHttp : public SharedRuntime<HttpFixture> {
protected:
    static const modrt_host_api& host() { return rt_->host_api(); }

    static std::unique_ptr<FakeExchange> exchange() { return std::make_unique<FakeExchange>(host()); }

    /// Call `id` as an HTTP trigger does: under a root frame lending `ex`.
    static CallResult serve(FakeExchange& ex, std::string_view id, const Value& a = Value::array()) {
        return serve_on(*rt_, ex, id, a);
    }

    /// An exchange for GET /users/42?q=hello&tag=lua&tag=go&empty= with a JSON body.
    static std::unique_ptr<FakeExchange> sample_request() {
        auto ex = exchange();
        ex->method = "POST";
        ex->path = "/users/42/files/a/b";
        ex->route = "/users/{id}/files/{rest...}";
        ex->query_string = "q=hello&tag=lua&tag=go&empty=";
        ex->params = {{"id", "42"}, {"rest", "a/b"}};
        ex->query = {{"q", "hello"}, {"tag", "lua"}, {"tag", "go"}, {"empty", ""}};
        ex->headers = {{"host", "example.com:8080"},
                       {"content-type", "application/json; charset=utf-8"},
                       {"content-length", "13"},
                       {"accept", "text/*;q=0.5, application/json, image/png;q=0"},
                       {"x-trace", "t1"},
                       {"x-trace", "t2"}};
        ex->body = R"({"name":"x"})"
                   "\n";
        return ex;
    }
};

// -- the request --

TEST_F(LuaHttp, RequestMethodsReadTheExchange) {
    auto ex = sample_request();
    auto r = serve(*ex, "test.http:read_request");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "method"), str("POST"));
    EXPECT_EQ(at(v, "path"), str("/users/42/files/a/b"));
    EXPECT_EQ(at(v, "param_id"), str("42"));
    EXPECT_EQ(at(v, "param_missing"), Value::boolean(true));
    EXPECT_EQ(json(sorted(at(v, "params"))), R"({"id":"42","rest":"a/b"})");
    EXPECT_EQ(at(v, "query_q"), str("hello"));
    EXPECT_EQ(at(v, "query_tag"), str("lua"));  // the first of a repeated name
    EXPECT_EQ(at(v, "query_empty"), str(""));
    EXPECT_EQ(at(v, "query_missing"), Value::boolean(true));
    // Wippy: "Multiple values for the same key are joined with commas."
    EXPECT_EQ(json(sorted(at(v, "query_params"))), R"({"empty":"","q":"hello","tag":"lua,go"})");
    EXPECT_EQ(at(v, "header_mixed_case"), str("application/json; charset=utf-8"));
    EXPECT_EQ(at(v, "header_trace"), str("t1"));
    EXPECT_EQ(at(v, "header_missing"), Value::boolean(true));
    const Value& headers = at(v, "headers");
    EXPECT_EQ(at(headers, "x-trace"), str("t1, t2"));
    EXPECT_EQ(at(headers, "host"), str("example.com:8080"));
    EXPECT_EQ(headers.size(), 5u);
    EXPECT_EQ(at(v, "headers_any_case"), str("t1, t2"));
    EXPECT_EQ(at(v, "headers_lower"), str("t1, t2"));
    EXPECT_EQ(at(v, "headers_absent"), Value::boolean(true));
    EXPECT_EQ(at(v, "body"), str("{\"name\":\"x\"}\n"));
    EXPECT_EQ(at(v, "has_body"), Value::boolean(true));
    EXPECT_EQ(at(v, "content_type"), str("application/json; charset=utf-8"));
    EXPECT_EQ(at(v, "content_length"), Value::integer(13));
    EXPECT_EQ(at(v, "host"), str("example.com:8080"));
    EXPECT_EQ(at(v, "remote_addr"), str("10.0.0.7:51234"));
    EXPECT_EQ(at(v, "accepts_json"), Value::boolean(true));
    EXPECT_EQ(at(v, "accepts_text_html"), Value::boolean(true));  // text/*;q=0.5
    EXPECT_EQ(at(v, "accepts_png"), Value::boolean(false));       // q=0: not acceptable
    EXPECT_EQ(at(v, "accepts_xml"), Value::boolean(false));
    EXPECT_EQ(at(v, "is_json"), Value::boolean(true));
    EXPECT_EQ(at(v, "is_json_upper"), Value::boolean(true));
    EXPECT_EQ(at(v, "is_text"), Value::boolean(false));
    EXPECT_FALSE(ex->touched) << "reading the request wrote nothing";
}

TEST_F(LuaHttp, AnEmptyRequestHasDefaults) {
    auto ex = exchange();  // no headers, no body, no parameters
    auto r = serve(*ex, "test.http:read_request");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& v = r.value;
    EXPECT_EQ(at(v, "has_body"), Value::boolean(false));
    EXPECT_EQ(at(v, "body"), str(""));
    EXPECT_EQ(at(v, "content_length"), Value::integer(0));
    EXPECT_EQ(v.find("content_type"), nullptr);             // nil
    EXPECT_EQ(at(v, "host"), str("example.com"));           // no Host header: the trigger's host
    EXPECT_EQ(at(v, "accepts_png"), Value::boolean(true));  // no Accept: anything goes
    EXPECT_EQ(at(v, "is_json"), Value::boolean(false));
    EXPECT_EQ(json(at(v, "params")), "{}");
    EXPECT_EQ(json(at(v, "query_params")), "{}");
}

TEST_F(LuaHttp, BodyJsonDecodesTheBody) {
    auto ex = exchange();
    ex->body = R"( {"name": "Ada", "tags": ["a", "b", null, "d"], "n": -1.5e2, "big": 12345678901,
                    "nested": {"ok": true, "no": false, "empty": {}, "list": []}, "nothing": null,
                    "esc": "\u00e9\ud83d\ude00\n\"\\\/\t"} )";
    auto r = serve(*ex, "test.http:body_json");
    ASSERT_TRUE(r.ok()) << r.error->message;
    const Value& data = at(r.value, "data");
    EXPECT_EQ(at(data, "name"), str("Ada"));
    const Value& tags = at(data, "tags");  // null is a hole: Lua gives the table {"a", "b", nil, "d"}
    EXPECT_EQ(at(data, "n"), Value::integer(-150));
    EXPECT_EQ(at(data, "big"), Value::integer(12345678901));
    EXPECT_EQ(json(sorted(at(data, "nested"))), R"({"empty":{},"list":{},"no":false,"ok":true})");
    EXPECT_EQ(data.find("nothing"), nullptr);
    EXPECT_EQ(at(data, "esc"), str("\xc3\xa9\xf0\x9f\x98\x80\n\"\\/\t"));
    ASSERT_EQ(tags.type, MODRT_MAP) << json(tags);  // 1, 2, 4: not a sequence once converted
    EXPECT_EQ(at(tags, "1"), str("a"));
    EXPECT_EQ(at(tags, "4"), str("d"));

    for (auto [text, expected] : {std::pair<const char*, Value>{"42", Value::integer(42)},
                                  {" \"s\" ", str("s")},
                                  {"[1,2,3]", args({Value::integer(1), Value::integer(2), Value::integer(3)})},
                                  {"true", Value::boolean(true)}}) {
        ex->body = text;
        auto s = serve(*ex, "test.http:body_json");
        ASSERT_TRUE(s.ok()) << s.error->message;
        EXPECT_EQ(at(s.value, "data"), expected) << text;
    }
    ex->body = "null";
    auto n = serve(*ex, "test.http:body_json");
    ASSERT_TRUE(n.ok()) << n.error->message;
    EXPECT_EQ(at(n.value, "is_nil"), Value::boolean(true));
}

TEST_F(LuaHttp, BodyJsonGivesAnErrorForBadJson) {
    auto ex = exchange();
    // "at byte <n>": the bytes nlohmann read, the offending one last; then nlohmann's own words
    // (a fragment here, so that a newer nlohmann's rewording fails only what it changed).
    struct BadJson {
        std::string body;
        int byte;
        std::string why;
    };
    const BadJson cases[] = {
        {R"({"a":})", 6, "syntax error while parsing value - unexpected '}'"},
        {"[1,]", 4, "syntax error while parsing value - unexpected ']'"},
        {"", 1, "unexpected end of input"},
        {R"({"a":1} x)", 9, "expected end of input"},
        {R"({"a" 1})", 6, "syntax error while parsing object separator"},
        {"{a:1}", 2, "syntax error while parsing object key"},
        {"\"tab\there\"", 5, "control character U+0009 (HT) must be escaped"},
        {R"("\x")", 3, "forbidden character after backslash"},
        {"01", 2, "expected end of input"},
        {"[\"open", 7, "missing closing quote"},
        {"tru", 4, "invalid literal; last read: 'tru'"},
        {R"("\ud800x")", 8, "surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF"},
        {"\"\xff\"", 2, "ill-formed UTF-8 byte"},
        {"[1,\n 2,\n x]", 10, "parse error at line 3, column 2"},
    };
    for (const auto& [body, byte, why] : cases) {
        ex->body = body;
        auto r = serve(*ex, "test.http:body_json");
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(at(r.value, "kind"), str("Invalid")) << body;
        const Value& message = at(r.value, "message");
        ASSERT_EQ(message.type, MODRT_STRING) << body;
        std::string head = "req:body_json: invalid JSON at byte " + std::to_string(byte) + ": ";
        EXPECT_EQ(message.str.substr(0, head.size()), head) << body;
        EXPECT_NE(message.str.find(why), std::string::npos) << message.str;
    }

    // Whole messages: nlohmann's without its "[json.exception...]" id, and the depth limit's.
    ex->body = "1e999";
    auto overflow = serve(*ex, "test.http:body_json");
    ASSERT_TRUE(overflow.ok()) << overflow.error->message;
    EXPECT_EQ(at(overflow.value, "message"),
              str("req:body_json: invalid JSON at byte 5: number overflow parsing '1e999'"));
    ex->body = R"({"a": [ {"s": "[{"}, )" + std::string(200, '[');  // brackets in a string do not count
    auto deep = serve(*ex, "test.http:body_json");
    ASSERT_TRUE(deep.ok()) << deep.error->message;
    EXPECT_EQ(at(deep.value, "message"), str("req:body_json: invalid JSON at byte 148: nested deeper than 128 levels"));

    // 128 levels are fine.
    ex->body = std::string(127, '[') + "[7]" + std::string(127, ']');
    auto limit = serve(*ex, "test.http:body_json");
    ASSERT_TRUE(limit.ok()) << limit.error->message;
    const Value* inner = &at(limit.value, "data");
    for (int level = 1; level < 128 && inner->type == MODRT_ARRAY && !inner->items.empty(); ++level)
        inner = &inner->items[0];
    EXPECT_EQ(*inner, args({Value::integer(7)}));

    // A long quote from the body is cut at a character boundary.
    std::string long_text;
    for (int i = 0; i < 300; ++i) long_text += "\xc3\xa9";  // é
    ex->body = "\"" + long_text + "\x01\"";
    auto clipped = serve(*ex, "test.http:body_json");
    ASSERT_TRUE(clipped.ok()) << clipped.error->message;
    const Value& clipped_message = at(clipped.value, "message");
    ASSERT_EQ(clipped_message.type, MODRT_STRING);
    EXPECT_LT(clipped_message.str.size(), 300u) << clipped_message.str;
    EXPECT_EQ(clipped_message.str.find("req:body_json: invalid JSON at byte 602: "), 0u) << clipped_message.str;
    EXPECT_TRUE(clipped_message.str.ends_with("\xc3\xa9...")) << clipped_message.str;
}

TEST_F(LuaHttp, MaxBodyBoundsTheBody) {
    auto ex = exchange();
    ex->body = R"({"a":1})";
    auto small = serve(*ex, "test.http:body_limit", args({Value::integer(3)}));
    ASSERT_TRUE(small.ok()) << small.error->message;
    EXPECT_EQ(small.value.find("body"), nullptr);
    EXPECT_EQ(at(small.value, "body_err"),
              str("Invalid: req:body: the request body (7 bytes) is larger than max_body (3 bytes)"));
    EXPECT_EQ(at(small.value, "json_err"),
              str("Invalid: req:body_json: the request body (7 bytes) is larger than max_body (3 bytes)"));
    EXPECT_EQ(at(small.value, "bad_options"),
              str("Invalid: http.request: options must be a table ({max_body = ..., timeout = ...})"));
    EXPECT_EQ(at(small.value, "bad_max"),
              str("Invalid: http.request: options.max_body must be a number of bytes (0 or more)"));
    EXPECT_EQ(at(small.value, "bad_timeout"),
              str("Invalid: http.request: options.timeout must be a number of milliseconds"));
    auto fits = serve(*ex, "test.http:body_limit", args({Value::integer(7)}));
    ASSERT_TRUE(fits.ok()) << fits.error->message;
    EXPECT_EQ(at(fits.value, "body"), str(R"({"a":1})"));
    EXPECT_EQ(at(fits.value, "body_err"), str("ok"));
    EXPECT_EQ(at(fits.value, "json_err"), str("ok"));
}

// -- the response --

TEST_F(LuaHttp, ResponseMethodsWriteTheExchange) {
    auto ex = exchange();
    Value steps = args({step({str("set_status"), Value::integer(201)}),
                        step({str("set_header"), str("X-Request-ID"), str("abc")}),
                        step({str("set_header"), str("X-Count"), Value::integer(3)}),
                        step({str("set_header"), str("x-request-id"), str("def")}),  // replaces, any case
                        step({str("set_content_type"), str("text/plain; charset=utf-8")}),
                        step({str("write"), str("hello ")}), step({str("write"), str("world")})});
    auto r = serve(*ex, "test.http:respond", args({steps}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"(["ok","ok","ok","ok","ok","ok","ok"])");
    EXPECT_EQ(ex->status, 201);
    EXPECT_EQ(ex->response_header("X-Request-ID"), "def");
    EXPECT_EQ(ex->response_header("X-Count"), "3");
    EXPECT_EQ(ex->response_header("Content-Type"), "text/plain; charset=utf-8");
    EXPECT_EQ(ex->response_headers.size(), 3u);
    EXPECT_EQ(ex->written, "hello world");
    EXPECT_EQ(ex->flushes, 0);
}

TEST_F(LuaHttp, WriteJsonWritesNestedTablesAndArrays) {
    auto ex = exchange();
    Value doc = map({{"data", args({map({{"id", Value::integer(1)}, {"name", str("Ada")}}),
                                    map({{"id", Value::integer(2)}, {"tags", strings({"x", "y"})}})})},
                     {"total", Value::integer(2)},
                     {"ratio", Value::number(0.25)},
                     {"ok", Value::boolean(true)},
                     {"meta", map({{"page", map({{"next", str("/p/2")}})}})}});
    auto r = serve(*ex, "test.http:respond", args({args({step({str("write_json"), doc})})}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"(["ok"])");
    EXPECT_EQ(json(parsed(ex->written)), json(sorted(doc))) << ex->written;
    // No Content-Type set: write_json names JSON.
    EXPECT_EQ(ex->response_header("Content-Type"), "application/json");

    // One set before stays.
    auto kept = exchange();
    auto k = serve(*kept, "test.http:respond",
                   args({args({step({str("set_content_type"), str("application/vnd.api+json")}),
                               step({str("write_json"), strings({"a"})})})}));
    ASSERT_TRUE(k.ok()) << k.error->message;
    EXPECT_EQ(kept->written, R"(["a"])");
    EXPECT_EQ(kept->response_header("Content-Type"), "application/vnd.api+json");
}

TEST_F(LuaHttp, WriteJsonFollowsWippysEncodingRules) {
    auto ex = exchange();
    auto r = serve(*ex, "test.http:json_cases");
    ASSERT_TRUE(r.ok()) << r.error->message;
    std::vector<std::string> outcomes;
    for (const auto& item : r.value.items) outcomes.push_back(item.str);
    std::vector<std::string> texts;
    for (size_t start = 0, nl; (nl = ex->written.find('\n', start)) != std::string::npos; start = nl + 1)
        texts.push_back(ex->written.substr(start, nl - start));
    ASSERT_EQ(outcomes.size(), 19u);
    ASSERT_EQ(texts.size(), outcomes.size()) << ex->written;

    const std::pair<std::string, std::string> written_as[] = {
        {"array ok", R"(["a","b"])"},
        {"string ok", R"("q\"\\\n\t\u0001/)"
                      "\xc3\xa9\""},
        {"integer ok", "42"},
        {"fraction ok", "0.1"},
        {"huge ok", "1e+300"},
        {"nan ok", "null"},
        {"infinity ok", "null"},
        {"bad_utf8 ok", R"("a\ufffdb")"},
        {"error_value ok", R"({"kind":"NotFound","message":"gone"})"},
        {"nil ok", "null"},
    };
    for (const auto& [outcome, text] : written_as) {
        auto at_case = std::find(outcomes.begin(), outcomes.end(), outcome);
        ASSERT_NE(at_case, outcomes.end()) << outcome;
        EXPECT_EQ(texts[at_case - outcomes.begin()], text) << outcome;
    }
    EXPECT_EQ(outcomes[0], "nested ok");
    auto view = std::find(outcomes.begin(), outcomes.end(), "library_view ok");
    ASSERT_NE(view, outcomes.end());
    EXPECT_EQ(json(parsed(texts[view - outcomes.begin()])), R"({"list":[1,2],"name":"cfg"})");
    EXPECT_EQ(json(parsed(texts[0])),
              R"({"big":9007199254740992,"empty":[],"half":1.5,"list":[1,2,{"a":true}],"name":"x","neg":-3})");

    const std::pair<std::string, std::string> refused[] = {
        {"sparse", "cannot encode a sparse array (its keys must be exactly 1..n)"},
        {"mixed", "cannot encode a table with both string and number keys"},
        {"fraction_key", "cannot encode a sparse array (its keys must be exactly 1..n)"},
        {"bool_key", "cannot encode a table key of type boolean (keys must be strings, or 1..n for an array)"},
        {"cycle", "cannot encode a table that contains itself"},
        {"function", "cannot encode a function"},
        {"deep", "cannot encode a value nested deeper than 128 levels"},
    };
    for (const auto& [name, why] : refused) {
        std::string outcome = name + " Internal: res:write_json: " + why;
        auto at_case = std::find(outcomes.begin(), outcomes.end(), outcome);
        ASSERT_NE(at_case, outcomes.end()) << outcome << "\ngot:\n" << json(r.value);
        EXPECT_EQ(texts[at_case - outcomes.begin()], "") << name << ": nothing written";
    }
}

TEST_F(LuaHttp, SetStatusAfterFlushIsAnError) {
    auto ex = exchange();
    Value steps = args({step({str("set_status"), Value::integer(202)}), step({str("write"), str("part 1;")}),
                        step({str("flush")}), step({str("set_status"), Value::integer(404)}),
                        step({str("set_header"), str("X-Late"), str("1")}),
                        step({str("set_content_type"), str("text/html")}), step({str("write"), str("part 2")}),
                        step({str("write_json"), strings({"late"})})});
    auto r = serve(*ex, "test.http:respond", args({steps}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"(["ok","ok","ok","Invalid: set_status: the head was sent",)"
                             R"("Invalid: set_header: the head was sent","Invalid: set_header: the head was sent",)"
                             R"("ok","ok"])");
    EXPECT_EQ(ex->status, 202);
    EXPECT_EQ(ex->flushes, 1);
    EXPECT_EQ(ex->written, R"(part 1;part 2["late"])");
    EXPECT_TRUE(ex->response_headers.empty()) << "write_json could not add Content-Type once the head was sent";
}

TEST_F(LuaHttp, ExchangeErrorsComeBackAsErrorValues) {
    auto ex = exchange();
    Value steps = args({step({str("set_status"), Value::integer(42)}), step({str("set_status"), Value::number(200.5)}),
                        step({str("set_header"), str("X-Bad"), str("a\r\nInjected: 1")}),
                        step({str("set_header"), str("Bad Name"), str("v")})});
    auto r = serve(*ex, "test.http:respond", args({steps}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(r.value), R"j(["Invalid: set_status: not a status (100-599)",)j"
                             R"j("Invalid: res:set_status: the status must be an integer (100-599)",)j"
                             R"("Invalid: set_header: forbidden header","Invalid: set_header: forbidden header"])");
    EXPECT_TRUE(ex->response_headers.empty());

    auto full = exchange();
    full->body_limit = 4;
    auto f = serve(*full, "test.http:respond",
                   args({args({step({str("write"), str("1234")}), step({str("write"), str("5")})})}));
    ASSERT_TRUE(f.ok()) << f.error->message;
    EXPECT_EQ(json(f.value), R"(["ok","Invalid: write: past the body limit"])");

    auto gone = exchange();
    gone->client_gone = true;
    auto g = serve(*gone, "test.http:respond",
                   args({args({step({str("write"), str("x")}), step({str("write_json"), strings({"x"})}),
                               step({str("flush")})})}));
    ASSERT_TRUE(g.ok()) << g.error->message;
    EXPECT_EQ(json(g.value), R"(["Canceled: write: the client is gone","Canceled: write: the client is gone",)"
                             R"("Canceled: flush: the client is gone"])");
}

TEST_F(LuaHttp, UnsupportedFeaturesSaySo) {
    auto ex = exchange();
    auto r = serve(*ex, "test.http:unsupported");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "stream"),
              str("Unavailable: req:stream: not supported by modrt yet (the body is read whole before the call: use "
                  "req:body())"));
    EXPECT_EQ(at(r.value, "multipart"),
              str("Unavailable: req:parse_multipart: not supported by modrt yet (parse req:body() yourself)"));
    EXPECT_EQ(at(r.value, "sse"),
              str("Unavailable: res:set_transfer: only \"chunked\" is supported by modrt yet (server-sent events "
                  "are not)"));
    EXPECT_EQ(at(r.value, "chunked"), str("ok"));
    EXPECT_EQ(at(r.value, "event"),
              str("Unavailable: res:write_event: server-sent events are not supported by modrt yet"));
}

// -- the module --

TEST_F(LuaHttp, ConstantsAreWippys) {
    Value names = strings({"OK",
                           "CREATED",
                           "ACCEPTED",
                           "NO_CONTENT",
                           "PARTIAL_CONTENT",
                           "MOVED_PERMANENTLY",
                           "FOUND",
                           "SEE_OTHER",
                           "NOT_MODIFIED",
                           "TEMPORARY_REDIRECT",
                           "PERMANENT_REDIRECT",
                           "BAD_REQUEST",
                           "UNAUTHORIZED",
                           "PAYMENT_REQUIRED",
                           "FORBIDDEN",
                           "NOT_FOUND",
                           "METHOD_NOT_ALLOWED",
                           "NOT_ACCEPTABLE",
                           "CONFLICT",
                           "GONE",
                           "UNPROCESSABLE",
                           "TOO_MANY_REQUESTS",
                           "INTERNAL_ERROR",
                           "INTERNAL_SERVER_ERROR",
                           "NOT_IMPLEMENTED",
                           "BAD_GATEWAY",
                           "SERVICE_UNAVAILABLE",
                           "GATEWAY_TIMEOUT",
                           "VERSION_NOT_SUPPORTED"});
    auto r = call("test.http:constants", args({names, strings({"JSON", "FORM", "MULTIPART", "TEXT", "STREAM"})}));
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(sorted(at(r.value, "status"))),
              R"({"ACCEPTED":202,"BAD_GATEWAY":502,"BAD_REQUEST":400,"CONFLICT":409,"CREATED":201,"FORBIDDEN":403,)"
              R"("FOUND":302,"GATEWAY_TIMEOUT":504,"GONE":410,"INTERNAL_ERROR":500,"INTERNAL_SERVER_ERROR":500,)"
              R"("METHOD_NOT_ALLOWED":405,"MOVED_PERMANENTLY":301,"NOT_ACCEPTABLE":406,"NOT_FOUND":404,)"
              R"("NOT_IMPLEMENTED":501,"NOT_MODIFIED":304,"NO_CONTENT":204,"OK":200,"PARTIAL_CONTENT":206,)"
              R"("PAYMENT_REQUIRED":402,"PERMANENT_REDIRECT":308,"SEE_OTHER":303,"SERVICE_UNAVAILABLE":503,)"
              R"("TEMPORARY_REDIRECT":307,"TOO_MANY_REQUESTS":429,"UNAUTHORIZED":401,"UNPROCESSABLE":422,)"
              R"("VERSION_NOT_SUPPORTED":505})");
    EXPECT_EQ(json(sorted(at(r.value, "content"))),
              R"({"FORM":"application/x-www-form-urlencoded","JSON":"application/json",)"
              R"("MULTIPART":"multipart/form-data","STREAM":"application/octet-stream","TEXT":"text/plain"})");
    EXPECT_EQ(json(at(r.value, "method")), R"(["GET","POST","PUT","DELETE","PATCH","HEAD","OPTIONS"])");
    EXPECT_EQ(json(at(r.value, "transfer")), R"(["chunked","sse"])");
    EXPECT_EQ(at(r.value, "status_write_refused"), Value::boolean(true));
    EXPECT_EQ(at(r.value, "module_write_refused"), Value::boolean(true));
    EXPECT_EQ(at(r.value, "ok_after"), Value::integer(200));
}

TEST_F(LuaHttp, OutsideAnHttpRequestBothGiveNilErr) {
    const std::string expected =
        "Internal: no HTTP request is being served by this call (only a function an HTTP endpoint calls, and the "
        "synchronous calls it makes, see one; funcs.async calls do not)";
    auto plain = call("test.http:no_exchange");
    ASSERT_TRUE(plain.ok()) << plain.error->message;
    EXPECT_EQ(at(plain.value, "req_is_nil"), Value::boolean(true));
    EXPECT_EQ(at(plain.value, "req_err"), str(expected));
    EXPECT_EQ(at(plain.value, "res_is_nil"), Value::boolean(true));
    EXPECT_EQ(at(plain.value, "res_err"), str(expected));

    // A root frame lending something else under another key is no HTTP request either.
    static const char kOther[] = "not an exchange";
    modrt_frame* root = host().root_frame_new(rt_->handle(), nullptr, to_mstr("other.key"), const_cast<char*>(kOther));
    ASSERT_NE(root, nullptr);
    CallResult other;
    Value none = Value::array();
    other.error.reset(host().call(rt_->handle(), root, to_mstr("test.http:no_exchange"), &none, nullptr, &other.value));
    host().root_frame_release(root);
    ASSERT_TRUE(other.ok()) << other.error->message;
    EXPECT_EQ(at(other.value, "req_err"), str(expected));

    // A Wippy handler passes the error on: the call fails with it.
    auto failed = call("test.http:docs_handler");
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error->kind, MODRT_ERR_INTERNAL);
    EXPECT_EQ("Internal: " + failed.error->message, expected);
}

TEST_F(LuaHttp, ObjectsKeptPastTheirRequestFail) {
    const std::string stale =
        "Internal: this object belongs to an HTTP request the running call is not serving (keep request and "
        "response objects only for the call that made them)";
    auto expect_stale = [&](const CallResult& r) {
        ASSERT_TRUE(r.ok()) << r.error->message;
        EXPECT_EQ(at(r.value, "path_is_nil"), Value::boolean(true));
        EXPECT_EQ(at(r.value, "path_err"), str(stale));
        EXPECT_EQ(at(r.value, "has_is_nil"), Value::boolean(true));
        EXPECT_EQ(at(r.value, "has_err"), str(stale));
        EXPECT_EQ(at(r.value, "write"), str(stale));
        EXPECT_EQ(at(r.value, "status"), str(stale));
    };
    auto first = exchange();
    first->path = "/first";
    auto kept = serve(*first, "test.http:kept", args({str("keep")}));
    ASSERT_TRUE(kept.ok()) << kept.error->message;
    EXPECT_EQ(kept.value, str("/first"));

    // A trigger may serve the next request with the same exchange object, and a client may send
    // the same X-Request-Id again: the serial, which changes with every request, tells them apart.
    first->serial = next_fake_serial();
    first->path = "/second";
    first->touched = false;
    expect_stale(serve(*first, "test.http:kept", args({str("use")})));
    EXPECT_FALSE(first->touched) << "the new request must not be written through the old objects";

    first.reset();  // the request ended: its exchange is gone
    auto other = exchange();
    other->request_id = "req-3";
    expect_stale(serve(*other, "test.http:kept", args({str("use")})));
    EXPECT_FALSE(other->touched);
    expect_stale(call("test.http:kept", args({str("use")})));  // no request at all
}

TEST_F(LuaHttp, NestedCallServesTheSameRequest) {
    auto ex = exchange();
    ex->path = "/nested";
    ex->query = {{"q", "deep"}};
    auto r = serve(*ex, "test.http:nested_outer");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(sorted(r.value)), R"({"inner":{"path":"/nested","q":"deep"},"outer_q":"deep"})");
    EXPECT_EQ(ex->written, "outer-before;inner;outer-after;");
}

TEST_F(LuaHttp, AsyncCallDoesNotSeeTheRequest) {
    auto ex = exchange();
    ex->query = {{"q", "x"}};
    auto r = serve(*ex, "test.http:async_outer");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "result_is_nil"), Value::boolean(true));
    EXPECT_EQ(at(r.value, "result_err"),
              str("Internal: no HTTP request is being served by this call (only a function an HTTP endpoint calls, "
                  "and the synchronous calls it makes, see one; funcs.async calls do not)"));
    EXPECT_EQ(at(r.value, "outer_sees"), Value::boolean(true));
    EXPECT_EQ(ex->written, "") << "the async callee wrote nothing";
}

TEST_F(LuaHttp, MethodsCheckTheirObject) {
    auto ex = exchange();
    auto r = serve(*ex, "test.http:bad_self");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "request_ok"), Value::boolean(false));
    EXPECT_NE(at(r.value, "request_msg").str.find("Request expected, got table"), std::string::npos)
        << at(r.value, "request_msg").str;
    EXPECT_EQ(at(r.value, "response_ok"), Value::boolean(false));
    EXPECT_NE(at(r.value, "response_msg").str.find("Response expected, got userdata"), std::string::npos)
        << at(r.value, "response_msg").str;
}

TEST_F(LuaHttp, ObjectsActOnlyWhereTheirModuleMay) {
    auto ex = exchange();
    ex->path = "/bound";
    auto r = serve(*ex, "test.http:binding_a");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "ok"), Value::boolean(false));
    EXPECT_EQ(at(r.value, "kind"), str("PermissionDenied"));
    EXPECT_NE(at(r.value, "message")
                  .str.find("module 'http' was required by 'test.http:binding_a' and cannot be used by a call of "
                            "'test.http:binding_b' (add http to its modules:)"),
              std::string::npos)
        << at(r.value, "message").str;
}

TEST_F(LuaHttp, OnlyEntriesListingHttpMayRequireIt) {
    auto r = call("test.http:no_module");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(at(r.value, "ok"), Value::boolean(false));
    EXPECT_NE(at(r.value, "err").str.find("module 'http' is not allowed for entry 'test.http:no_module'"),
              std::string::npos)
        << at(r.value, "err").str;
}

TEST_F(LuaHttp, QueryToJsonHandler) {
    auto ex = exchange();
    ex->query = {{"name", "Ada"}};
    auto r = serve(*ex, "test.http:hello");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::boolean(true));
    EXPECT_EQ(ex->written, R"({"message":"hello Ada"})");
    EXPECT_EQ(ex->response_header("content-type"), "application/json");
    EXPECT_EQ(ex->status, 200);
}

// -- Wippy's endpoint.md handlers, as written --

TEST_F(LuaHttp, WippyHandlerFunctionRunsUnchanged) {
    auto ex = exchange();
    ex->params = {{"id", "42"}};
    auto r = serve(*ex, "test.http:docs_handler");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(r.value, Value::boolean(true));
    EXPECT_EQ(ex->status, 200);
    EXPECT_EQ(ex->response_header("Content-Type"), "application/json");
    EXPECT_EQ(json(parsed(ex->written)), R"({"id":"42","name":"Ada","roles":["admin","dev"]})");

    // The callee's NOT_FOUND comes back as the handler's error.
    auto missing = exchange();
    missing->params = {{"id", "7"}};
    auto m = serve(*missing, "test.http:docs_handler");
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.error->kind, MODRT_ERR_NOT_FOUND);
    EXPECT_EQ(m.error->message, "user 7 not found");
    EXPECT_FALSE(missing->touched);
}

TEST_F(LuaHttp, WippyJsonApiPatternRunsUnchanged) {
    auto ex = exchange();
    ex->method = "POST";
    ex->body = R"({"item":"book","qty":2})";
    auto r = serve(*ex, "test.http:docs_json_api");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(ex->status, 200);
    EXPECT_EQ(json(parsed(ex->written)), R"({"ok":true,"received":{"item":"book","qty":2}})");

    auto bad = exchange();
    bad->body = "{not json";
    auto b = serve(*bad, "test.http:docs_json_api");
    ASSERT_TRUE(b.ok()) << b.error->message;
    EXPECT_EQ(bad->status, 400);
    EXPECT_EQ(bad->written, R"({"error":"Invalid JSON"})");
}

TEST_F(LuaHttp, WippyErrorResponsesRunUnchanged) {
    auto ex = exchange();
    ex->params = {{"id", "7"}};
    auto r = serve(*ex, "test.http:docs_error_responses");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(ex->status, 404);
    EXPECT_EQ(json(parsed(ex->written)), R"({"error":{"code":"USER_NOT_FOUND","message":"User not found"}})");

    auto found = exchange();
    found->params = {{"id", "42"}};
    auto f = serve(*found, "test.http:docs_error_responses");
    ASSERT_TRUE(f.ok()) << f.error->message;
    EXPECT_EQ(found->status, 200);
    EXPECT_EQ(json(parsed(found->written)), R"({"id":"42","name":"Ada","roles":["admin","dev"]})");
}

TEST_F(LuaHttp, WippyPathParametersRunUnchanged) {
    auto ex = exchange();
    ex->route = "/users/{user_id}/posts/{post_id}";
    ex->params = {{"user_id", "u1"}, {"post_id", "p9"}};
    auto r = serve(*ex, "test.http:docs_path_params");
    ASSERT_TRUE(r.ok()) << r.error->message;
    EXPECT_EQ(json(sorted(r.value)), R"({"post_id":"p9","user_id":"u1"})");
}

// The http functions under the memory fixture's 8 MiB memory_limit.
struct HttpLowMemoryFixture {
    static constexpr std::string_view dirs[] = {"memory", "http"};  // plugin.config first
};

class LuaHttpLowMemory : public SharedRuntime<HttpLowMemoryFixture> {};

TEST_F(LuaHttpLowMemory, BodyJsonRunningOutOfLuaMemoryFailsTheCallAndTheStateGoesOn) {
    // 300000 tables (about 20 MB of Lua memory) from 900 KB of JSON: a memory error in the middle of
    // nlohmann's parse stops it, and body_json raises it once the parser is gone (run under valgrind too).
    FakeExchange ex(rt_->host_api());
    ex.body = "[";
    for (int i = 0; i < 300000; ++i) ex.body += "{},";
    ex.body += "{}]";
    auto r = serve_on(*rt_, ex, "test.http:body_json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error->kind, MODRT_ERR_INTERNAL);
    EXPECT_NE(r.error->message.find("ran out of Lua memory"), std::string::npos) << r.error->message;

    ex.body = R"({"ok": [true]})";
    auto again = serve_on(*rt_, ex, "test.http:body_json");
    ASSERT_TRUE(again.ok()) << again.error->message;
    EXPECT_EQ(json(at(again.value, "data")), R"({"ok":[true]})");
}

}  // namespace
