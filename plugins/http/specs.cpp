// Reading http.service, http.router, http.endpoint and security.token_store entries (specs.hpp).
#include "specs.hpp"

#include <modrt/byte_size.hpp>
#include <modrt/duration.hpp>

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <thread>

namespace modrt::http {

namespace {

[[noreturn]] void refuse(std::string_view field, const std::string& message) {
    throw Failure(Error(MODRT_ERR_INVALID, std::string(field) + ": " + message).set_field(field));
}

void check_fields(const EntryInfo& info, std::initializer_list<std::string_view> known) {
    ValueView fields = info.fields();
    for (size_t i = 0; i < fields.size(); ++i) {
        std::string_view key = fields.key(i);
        if (key == "name" || key == "kind" || key == "meta") continue;
        if (std::find(known.begin(), known.end(), key) != known.end()) continue;
        std::string list;
        for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        refuse(key, "unknown field (known: " + list + ")");
    }
}

std::optional<std::chrono::nanoseconds> duration_of(ValueView v) {
    if (v.is_string()) return parse_duration(v.as_string());
    if (v.type() == MODRT_INT) return duration_from_ms(static_cast<double>(v.as_int()));
    if (v.type() == MODRT_NUMBER) return duration_from_ms(v.as_number());
    return std::nullopt;
}

std::optional<uint64_t> size_of(ValueView v) {
    if (v.is_string()) return parse_byte_size(v.as_string());
    if (v.type() == MODRT_INT && v.as_int() >= 0) return static_cast<uint64_t>(v.as_int());
    return std::nullopt;
}

std::optional<uint64_t> count_of(ValueView v) {
    if (v.type() == MODRT_INT && v.as_int() > 0) return static_cast<uint64_t>(v.as_int());
    if (v.is_string()) {
        uint64_t n = 0;
        std::string_view s = v.as_string();
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (ec == std::errc() && end == s.data() + s.size() && n > 0) return n;
    }
    return std::nullopt;
}

bool valid_id(std::string_view id) {
    size_t colon = id.find(':');
    return colon != std::string_view::npos && colon > 0 && colon + 1 < id.size() &&
           id.find(':', colon + 1) == std::string_view::npos;
}

// A reference to another entry (meta.server, meta.router, func): "ns:name" or a bare name.
std::string reference(const EntryInfo& info, ValueView v, std::string_view field, std::string_view what) {
    if (!v.is_string() || v.as_string().empty())
        refuse(field, "expected the id of " + std::string(what) + " (ns:name, or a name in this namespace)");
    std::string id = resolve_id(info.id(), v.as_string());
    if (!valid_id(id)) refuse(field, "'" + std::string(v.as_string()) + "' is not an entry id (ns:name)");
    return id;
}

std::vector<std::string> id_list(ValueView v, const std::string& field) {
    std::vector<std::string> out;
    if (v.is_nil()) return out;
    if (!v.is_array()) refuse(field, "expected a list of ids (ns:name)");
    for (size_t i = 0; i < v.size(); ++i) {
        std::string_view id = v[i].is_string() ? v[i].as_string() : std::string_view();
        if (!valid_id(id) || id.find_first_of(",[] ") != std::string_view::npos)
            refuse(field, "expected ids such as app:readers");
        out.emplace_back(id);
    }
    return out;
}

std::string list_scope(const std::vector<std::string>& policies) {
    if (policies.empty()) return "";
    std::string s = "[";
    for (size_t i = 0; i < policies.size(); ++i) s += (i ? "," : "") + policies[i];
    return s + "]";
}

}  // namespace

std::string resolve_id(std::string_view entry_id, std::string_view name) {
    if (name.find(':') != std::string_view::npos) return std::string(name);
    size_t colon = entry_id.find(':');
    return std::string(entry_id.substr(0, colon)) + ":" + std::string(name);
}

ServiceSpec ServiceSpec::from_entry(const EntryInfo& info) {
    check_fields(info,
                 {"addr", "timeouts", "workers", "max_connections", "max_header_bytes", "max_body_bytes", "lifecycle"});
    ServiceSpec s;
    s.id = std::string(info.id());
    ValueView addr = info.field("addr");
    if (!addr.is_string()) refuse("addr", "expected a listen address such as \":8080\" or \"127.0.0.1:8080\"");
    s.addr = std::string(addr.as_string());
    size_t colon = s.addr.rfind(':');
    if (colon == std::string::npos)
        refuse("addr", "'" + s.addr + "' has no port: expected \":8080\" or \"127.0.0.1:8080\"");
    std::string_view host = std::string_view(s.addr).substr(0, colon);
    std::string_view port = std::string_view(s.addr).substr(colon + 1);
    if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || p > 65535)
        refuse("addr", "'" + std::string(port) + "' is not a port (0-65535)");
    s.port = static_cast<uint16_t>(p);
    if (!host.empty() && host != "localhost") {
        boost::system::error_code bad;
        boost::asio::ip::make_address(std::string(host), bad);
        if (bad) refuse("addr", "'" + std::string(host) + "' is not an IP address (or localhost)");
    }
    s.host = std::string(host);

    ValueView timeouts = info.field("timeouts");
    if (!timeouts.is_nil()) {
        if (!timeouts.is_map()) refuse("timeouts", "expected a map {read, write, idle}");
        for (size_t i = 0; i < timeouts.size(); ++i) {
            std::string_view key = timeouts.key(i);
            std::string field = "timeouts." + std::string(key);
            std::chrono::nanoseconds* slot = key == "read"    ? &s.read_timeout
                                             : key == "write" ? &s.write_timeout
                                             : key == "idle"  ? &s.idle_timeout
                                                              : nullptr;
            if (slot == nullptr) refuse(field, "unknown field (known: read, write, idle)");
            auto d = duration_of(timeouts[i]);
            if (!d) refuse(field, "expected a duration such as 10s or 500ms (0 disables)");
            *slot = *d;
        }
    }
    s.workers = std::max(1u, std::thread::hardware_concurrency());
    if (ValueView w = info.field("workers"); !w.is_nil()) {
        auto n = count_of(w);
        if (!n || *n > 1024) refuse("workers", "expected a number of I/O threads from 1 to 1024");
        s.workers = static_cast<unsigned>(*n);
    }
    if (ValueView m = info.field("max_connections"); !m.is_nil()) {
        auto n = count_of(m);
        if (!n) refuse("max_connections", "expected a number above 0");
        s.max_connections = *n;
    }
    if (ValueView m = info.field("max_header_bytes"); !m.is_nil()) {
        auto n = size_of(m);
        if (!n || *n < 256 || *n > (64u << 20))
            refuse("max_header_bytes", "expected a size from 256 to 64MiB, such as 16KiB");
        s.max_header_bytes = static_cast<uint32_t>(*n);
    }
    if (ValueView m = info.field("max_body_bytes"); !m.is_nil()) {
        auto n = size_of(m);
        if (!n) refuse("max_body_bytes", "expected a size such as 8MiB");
        s.max_body_bytes = *n;
    }
    return s;
}

RouterSpec RouterSpec::from_entry(const EntryInfo& info) {
    check_fields(info, {"prefix", "middleware", "options", "post_middleware", "post_options"});
    RouterSpec r;
    r.id = std::string(info.id());
    r.server = reference(info, info.field("meta").find("server"), "meta.server", "an http.service");
    if (ValueView p = info.field("prefix"); !p.is_nil()) {
        if (!p.is_string()) refuse("prefix", "expected a path prefix such as /api/v1");
        std::string_view prefix = p.as_string();
        if (!prefix.empty() && (!prefix.starts_with('/') || prefix.find_first_of("{}?#") != std::string_view::npos))
            refuse("prefix", "expected a path prefix such as /api/v1 (starting with '/', no parameters)");
        while (prefix.ends_with('/')) prefix.remove_suffix(1);
        r.prefix = std::string(prefix);
    }
    std::string field, error;
    if (!read_middleware(info.field("middleware").raw(), info.field("options").raw(), false, r.middleware, field,
                         error) ||
        !read_middleware(info.field("post_middleware").raw(), info.field("post_options").raw(), true, r.middleware,
                         field, error))
        throw Failure(Error(MODRT_ERR_INVALID, error).set_field(field));
    if (r.middleware.token_auth) r.middleware.token_auth->store = resolve_id(r.id, r.middleware.token_auth->store);
    return r;
}

EndpointSpec EndpointSpec::from_entry(const EntryInfo& info) {
    check_fields(info, {"method", "path", "func"});
    EndpointSpec e;
    e.id = std::string(info.id());
    e.router = reference(info, info.field("meta").find("router"), "meta.router", "an http.router");
    static constexpr std::array<std::string_view, 9> kMethods = {"GET",  "POST",    "PUT",   "DELETE", "PATCH",
                                                                 "HEAD", "OPTIONS", "TRACE", "*"};
    ValueView m = info.field("method");
    if (!m.is_string() || std::find(kMethods.begin(), kMethods.end(), m.as_string()) == kMethods.end())
        refuse("method", "expected GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS, TRACE or \"*\"");
    e.method = std::string(m.as_string());
    ValueView path = info.field("path");
    if (!path.is_string()) refuse("path", "expected a path pattern such as /users/{id}");
    e.path = std::string(path.as_string());
    RoutePattern check;
    std::string error;
    if (!parse_pattern(e.path, check, error)) refuse("path", error);
    e.func = reference(info, info.field("func"), "func", "the function that answers");
    return e;
}

TokenStoreSpec TokenStoreSpec::from_entry(const EntryInfo& info) {
    check_fields(info, {"tokens"});
    TokenStoreSpec s;
    s.id = std::string(info.id());
    ValueView tokens = info.field("tokens");
    if (!tokens.is_array()) refuse("tokens", "expected a list of {token, actor: {id, meta}, policies, groups}");
    for (size_t i = 0; i < tokens.size(); ++i) {
        ValueView t = tokens[i];
        std::string at = "tokens." + std::to_string(i);
        if (!t.is_map()) refuse(at, "expected {token, actor: {id, meta}, policies, groups}");
        for (size_t k = 0; k < t.size(); ++k) {
            std::string_view key = t.key(k);
            if (key != "token" && key != "token_sha256" && key != "actor" && key != "policies" && key != "groups")
                refuse(at + "." + std::string(key),
                       "unknown field (known: token, token_sha256, actor, policies, groups)");
        }
        TokenSpec spec;
        ValueView plain = t.find("token"), hashed = t.find("token_sha256");
        if (plain.is_nil() == hashed.is_nil()) refuse(at, "give exactly one of token and token_sha256");
        if (!plain.is_nil()) {
            if (!plain.is_string() || plain.as_string().empty()) refuse(at + ".token", "expected the token text");
            spec.digest = TokenStore::sha256(plain.as_string());
        } else {
            std::string_view hex = hashed.is_string() ? hashed.as_string() : std::string_view();
            if (hex.size() != 64) refuse(at + ".token_sha256", "expected 64 hex digits (a SHA-256 digest)");
            for (size_t b = 0; b < 32; ++b) {
                unsigned v = 0;
                auto [end, ec] = std::from_chars(hex.data() + 2 * b, hex.data() + 2 * b + 2, v, 16);
                if (ec != std::errc() || end != hex.data() + 2 * b + 2)
                    refuse(at + ".token_sha256", "expected 64 hex digits (a SHA-256 digest)");
                spec.digest[b] = static_cast<unsigned char>(v);
            }
        }
        ValueView actor = t.find("actor");
        ValueView aid = actor.find("id");
        if (!actor.is_map() || !aid.is_string() || aid.as_string().empty())
            refuse(at + ".actor", "expected {id: string, meta: map}");
        spec.actor_id = std::string(aid.as_string());
        ValueView meta = actor.find("meta");
        if (!meta.is_nil() && !meta.is_map()) refuse(at + ".actor.meta", "expected a map");
        if (meta.is_map()) spec.actor_meta = std::make_shared<Value>(meta);
        spec.policies = id_list(t.find("policies"), at + ".policies");
        spec.groups = id_list(t.find("groups"), at + ".groups");
        for (const auto& other : s.tokens)
            if (other.digest == spec.digest) refuse(at, "the same token is listed twice");
        s.tokens.push_back(std::move(spec));
    }
    return s;
}

Identity make_identity(const Host& host, const std::string& actor_id, const Value* actor_meta,
                       const std::vector<std::string>& policies, const std::vector<std::string>& groups) {
    Identity id;
    if (!actor_id.empty())
        id.actor = share_actor(host_api().actor_new(to_str(actor_id), actor_meta ? actor_meta->raw() : nullptr));
    if (groups.empty()) {
        id.scope = list_scope(policies);
    } else if (policies.empty() && groups.size() == 1) {
        id.scope = groups.front();  // one group is a scope of its own
    } else {
        std::vector<std::string> all = policies;
        for (const auto& g : groups) {
            Value listed;
            Error err(host.api().security_scope_policies(host.runtime(), to_str(g), listed.raw()));
            if (err.failed()) throw Failure(Error(err.kind(), "groups: " + std::string(err.message())));
            ValueView v = listed.view();
            for (size_t i = 0; i < v.size(); ++i) all.emplace_back(v[i].as_string());
        }
        id.scope = list_scope(all);
    }
    return id;
}

}  // namespace modrt::http
