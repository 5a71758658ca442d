// Fuzz target: bytes from a client into the http plugin's request path, as the server runs
// it but without sockets: Beast's parser (pipelined requests, limits), the target and path
// decoding, routing, the middleware, the exchange a handler reads and writes (flush
// included), error answers and response framing. Never a crash; every answer is framed.
#include "core/site.hpp"

#include <modrt/kernel/runtime.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace {

using namespace modrt::http;

// Collects what a flush sends and checks it is framed.
class CheckingSink final : public Sink {
public:
    bool send(const std::string_view* parts, size_t count) override {
        for (size_t i = 0; i < count; ++i) sent.append(parts[i]);
        return !fail_next;
    }
    std::string sent;
    bool fail_next = false;
};

void check_head(const std::string& head) {
    if (!head.starts_with("HTTP/1.1 ") || !head.ends_with("\r\n\r\n")) __builtin_trap();
    for (size_t i = 0; i < head.size(); ++i)  // every line ends with CRLF: nothing was injected
        if (head[i] == '\n' && (i == 0 || head[i - 1] != '\r')) __builtin_trap();
}

// A handler that reads everything the exchange offers and writes what the request asks.
class FuzzCaller final : public Caller {
public:
    CallStatus call(const EndpointSite& endpoint, const Identity&, const std::string* firewall, LentExchange& exchange,
                    modrt::ValueSlot result, modrt::Error& error) override {
        modrt_http_exchange* ex = &exchange.head;
        const modrt_http_api* api = ex->api;
        if (firewall && endpoint.id == "fuzz:deny") return CallStatus::Forbidden;
        size_t total = 0;
        for (int f = MODRT_HTTP_METHOD; f <= MODRT_HTTP_ROUTE; ++f)
            total += api->field(ex, static_cast<modrt_http_field>(f)).len;
        for (int l = MODRT_HTTP_PARAMS; l <= MODRT_HTTP_HEADERS; ++l) {
            auto list = static_cast<modrt_http_list>(l);
            size_t n = api->count(ex, list);
            for (size_t i = 0; i <= n; ++i) total += api->name_at(ex, list, i).len + api->value_at(ex, list, i).len;
        }
        auto query = [&](const char* name) {
            modrt_str v = api->get(ex, MODRT_HTTP_QUERY, modrt_str{name, std::strlen(name)});
            return v.ptr ? std::string_view(v.ptr, v.len) : std::string_view();
        };
        (void)api->get(ex, MODRT_HTTP_HEADERS, modrt_str{"HOST", 4});
        auto consume = [](modrt_error* e) { modrt::Error owned(e); };
        std::string_view status = query("status");
        if (!status.empty()) consume(api->set_status(ex, std::atoi(std::string(status).c_str())));
        std::string_view name = query("h"), value = query("v");
        if (!name.empty())
            consume(api->set_header(ex, modrt_str{name.data(), name.size()}, {value.data(), value.size()}));
        modrt_str body = api->field(ex, MODRT_HTTP_BODY);
        if (!query("write").empty()) consume(api->write(ex, body));
        if (!query("flush").empty()) consume(api->flush(ex));
        if (!query("write2").empty()) consume(api->write(ex, modrt_str{"tail", 4}));
        if (api->responded(ex) > 1) __builtin_trap();
        if (std::string_view kind = query("fail"); !kind.empty()) {
            error = modrt::Error(static_cast<modrt_error_kind>(kind.size() % 12), std::string_view(body.ptr, body.len));
            return CallStatus::Failed;
        }
        if (!query("result").empty()) {
            result.set_map();
            result.insert("total").set_int(static_cast<int64_t>(total));
            result.insert("body").set_bytes(std::string_view(body.ptr, body.len));
            result.insert("list").set_array();
        } else {
            result.set_nil();
        }
        return CallStatus::Returned;
    }
};

Site make_site() {
    Site site;
    site.service_id = "fuzz:gw";
    RouterSite api{"fuzz:api", "/api", {}, {}};
    api.middleware.pre = {PreStep::Cors, PreStep::TokenAuth, PreStep::RateLimit};
    api.middleware.cors = CorsOptions{};
    api.middleware.cors->origins = {"https://a.example", "*.b.example"};
    api.middleware.cors->credentials = true;
    TokenAuthOptions t;
    t.store = "fuzz:tokens";
    t.query_param = "token";
    auto store = std::make_shared<TokenStore>();
    store->add(TokenStore::sha256("t0k3n"), Identity{nullptr, "[fuzz:p]"});
    t.tokens = store;
    api.middleware.token_auth = t;
    api.middleware.ratelimit_requests = 1000000;
    api.middleware.ratelimit_window = std::chrono::minutes(1);
    api.middleware.firewall_action = "access";
    site.routers.push_back(std::move(api));
    site.routers.push_back(RouterSite{"fuzz:root", "", {}, {}});
    const struct {
        const char* id;
        const char* method;
        const char* path;
        size_t router;
    } routes[] = {{"fuzz:user", "GET", "/api/users/{id}", 0},
                  {"fuzz:me", "GET", "/api/users/me", 0},
                  {"fuzz:files", "*", "/api/files/{p...}", 0},
                  {"fuzz:deny", "POST", "/api/deny", 0},
                  {"fuzz:two", "PUT", "/api/{a}/x/{b}", 0},
                  {"fuzz:root", "GET", "/", 1},
                  {"fuzz:any", "*", "/any/{x}", 1}};
    for (const auto& r : routes) {
        RoutePattern p;
        std::string error;
        if (!parse_pattern(r.path, p, error)) __builtin_trap();
        site.endpoints.push_back(EndpointSite{r.id, "fuzz:f", r.method, p, r.router});
    }
    site.build();
    return site;
}

struct World {
    std::unique_ptr<modrt::kernel::Runtime> rt;
    Site site;
};

World& world() {
    static World w = [] {
        World made;
        modrt::kernel::set_log_level("off");
        made.rt = std::make_unique<modrt::kernel::Runtime>(modrt::kernel::RuntimeOptions{{MODRT_FUZZ_PLUGIN_DIR}});
        modrt::detail::set_host(&made.rt->host_api());  // the SDK's values and errors, through this kernel
        made.site = make_site();
        return made;
    }();
    return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    World& w = world();
    Request req;
    Response res;
    CheckingSink sink;
    std::atomic<bool> gone{false};
    LentExchange exchange(req, res, sink, 4096, gone);
    FuzzCaller caller;
    Scratch scratch;
    modrt::Value result;
    req.remote_addr = "127.0.0.1:4242";
    std::string_view input(reinterpret_cast<const char*>(data), size);
    for (int served = 0; served < 8 && !input.empty(); ++served) {
        req.clear();
        res.clear();
        sink.sent.clear();
        gone = false;
        RequestParser parser(req, 1024, 2048);
        size_t used = 0;
        int status = 0;
        ParseStep step = parse_some(parser, input, used, status);
        if (used > input.size()) __builtin_trap();
        input.remove_prefix(used);
        if (step == ParseStep::NeedMore) return 0;
        if (step == ParseStep::Failed) {
            if (status != 400 && status != 413 && status != 431) __builtin_trap();
            res.set_error(status, "Invalid", "malformed request", "id");
            res.build_head(req, Framing::Length, res.body.size());
            check_head(res.head_text);
            return 0;
        }
        req.request_id = "fuzz-" + std::to_string(served);
        w.site.serve(req, res, exchange, caller, scratch, result);
        if (res.status < 100 || res.status > 599) __builtin_trap();
        if (res.abort) return 0;
        if (res.head_sent) {
            check_head(sink.sent.substr(0, sink.sent.find("\r\n\r\n") + 4));
            finish_flushed_response(res, sink);
        } else {
            res.build_head(req, Framing::Length, res.body.size());
            check_head(res.head_text);
        }
        if (res.close_after) return 0;
    }
    return 0;
}
