// The request and reply messages (wire_format.hpp).
#include "wire_format.hpp"

#include <modrt/error_kinds.hpp>

namespace modrt::remote {

namespace {

std::string to_bytes(const Json& j) {
    std::vector<std::uint8_t> out = Json::to_cbor(j);
    return std::string(out.begin(), out.end());
}

[[noreturn]] void bad(const std::string& what) { throw Failure(MODRT_ERR_INVALID, "bad remote call request: " + what); }

Json parse_map(std::string_view bytes, const char* what) {
    std::string why;
    std::optional<Json> j = parse_cbor(bytes, why);
    if (!j) throw Failure(MODRT_ERR_INVALID, std::string("bad remote call ") + what + ": " + why);
    if (!j->is_object()) throw Failure(MODRT_ERR_INVALID, std::string("bad remote call ") + what + ": not a map");
    if (auto v = j->find("v"); v == j->end() || !v->is_number_integer() || v->get<int64_t>() != kWireVersion)
        throw Failure(MODRT_ERR_INVALID, std::string("bad remote call ") + what + ": wire version is not 1");
    return std::move(*j);
}

}  // namespace

std::string encode_request(std::string_view function, ValueView args, const Frame& frame, int64_t timeout_ns) {
    Json j = Json::object();
    j["v"] = kWireVersion;
    j["fn"] = std::string(function);
    j["args"] = to_wire(args);
    if (ValueView ctx = frame.context(); ctx.is_map() && ctx.size() > 0) j["ctx"] = to_wire(ctx);
    if (const modrt_actor* a = frame.actor()) {
        const modrt_host_api& h = host_api();
        Json actor = Json::object();
        actor["id"] = std::string(to_view(h.actor_id(a)));
        if (ValueView meta(h.actor_meta(a)); meta.is_map() && meta.size() > 0) actor["meta"] = to_wire(meta);
        j["actor"] = std::move(actor);
    }
    if (std::string_view scope = frame.scope(); !scope.empty()) j["scope"] = std::string(scope);
    if (timeout_ns > 0) j["timeout_ns"] = timeout_ns;
    return to_bytes(j);
}

Request decode_request(std::string_view bytes) {
    Json j = parse_map(bytes, "request");
    Request r;
    auto fn = j.find("fn");
    if (fn == j.end() || !fn->is_string() || fn->get_ref<const std::string&>().empty())
        bad("fn: expected a function id");
    r.function = fn->get<std::string>();
    auto args = j.find("args");
    if (args == j.end() || !args->is_array()) bad("args: expected an array");
    from_wire(*args, r.args.slot());
    if (auto ctx = j.find("ctx"); ctx != j.end()) {
        if (!ctx->is_object()) bad("ctx: expected a map");
        from_wire(*ctx, r.context.slot());
    }
    if (auto actor = j.find("actor"); actor != j.end()) {
        auto id = actor->is_object() ? actor->find("id") : actor->end();
        if (!actor->is_object() || id == actor->end() || !id->is_string() || id->get_ref<const std::string&>().empty())
            bad("actor: expected {id, meta}");
        r.has_actor = true;
        r.actor_id = id->get<std::string>();
        if (auto meta = actor->find("meta"); meta != actor->end()) {
            if (!meta->is_object()) bad("actor.meta: expected a map");
            from_wire(*meta, r.actor_meta.slot());
        }
    }
    if (auto scope = j.find("scope"); scope != j.end()) {
        if (!scope->is_string()) bad("scope: expected a string");
        r.scope = scope->get<std::string>();
    }
    if (auto t = j.find("timeout_ns"); t != j.end()) {
        if (!t->is_number_integer() || t->get<int64_t>() <= 0) bad("timeout_ns: expected a positive integer");
        r.timeout_ns = t->get<int64_t>();
    }
    return r;
}

std::string encode_result(ValueView result) {
    Json j = Json::object();
    j["v"] = kWireVersion;
    j["ok"] = to_wire(result);
    return to_bytes(j);
}

std::string encode_error(const Error& error) {
    Json e = Json::object();
    e["kind"] = std::string(error_kind_name(error.kind()));
    e["message"] = std::string(error.message());
    e["retryable"] = error.retryable();
    if (ValueView d = error.details(); !d.is_nil()) {
        try {
            e["details"] = to_wire(d);
        } catch (const Failure&) {  // too deep to send: the kind and message still go
        }
    }
    if (std::string_view stack = error.stack(); !stack.empty()) e["stack"] = std::string(stack);
    Json j = Json::object();
    j["v"] = kWireVersion;
    j["error"] = std::move(e);
    return to_bytes(j);
}

Error decode_reply(std::string_view bytes, ValueSlot result) {
    Json j;
    try {
        j = parse_map(bytes, "reply");
    } catch (const Failure& f) {
        return Error(f.release());
    }
    if (auto ok = j.find("ok"); ok != j.end()) {
        from_wire(*ok, result);
        return {};
    }
    auto e = j.find("error");
    if (e == j.end() || !e->is_object()) return Error(MODRT_ERR_INVALID, "bad remote call reply: neither ok nor error");
    auto text = [&](const char* key) {
        auto it = e->find(key);
        return it != e->end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    modrt_error_kind kind = parse_error_kind(text("kind")).value_or(MODRT_ERR_UNKNOWN);
    Error err(kind, text("message"));
    if (auto r = e->find("retryable"); r != e->end() && r->is_boolean()) err.set_retryable(r->get<bool>());
    if (auto d = e->find("details"); d != e->end()) from_wire(*d, err.details_slot());
    if (std::string stack = text("stack"); !stack.empty()) err.set_stack(stack);
    return err;
}

}  // namespace modrt::remote
