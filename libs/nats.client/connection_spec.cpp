// Reading an entry's `connection:` map (connection_spec.hpp).
#include "connection_spec.hpp"

#include <modrt/duration.hpp>

#include <cstdlib>
#include <fstream>

namespace modrt::nats {

namespace {

[[noreturn]] void bad(std::string_view field, const std::string& why) {
    std::string path = "connection." + std::string(field);
    throw Failure(Error(MODRT_ERR_INVALID, path + ": " + why).set_field(path));
}

std::string text(ValueView v, std::string_view field) {
    if (!v.is_string() || v.as_string().empty()) bad(field, "expected a non-empty string");
    return std::string(v.as_string());
}

std::string env_secret(ValueView v, std::string_view field) {
    std::string name = text(v, field);
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') bad(field, "environment variable " + name + " is not set");
    return value;
}

std::string readable_file(ValueView v, std::string_view field) {
    std::string path = text(v, field);
    if (!std::ifstream(path)) bad(field, "cannot read " + path);
    return path;
}

std::chrono::milliseconds duration(ValueView v, std::string_view field) {
    std::optional<std::chrono::nanoseconds> d;
    if (v.is_string()) d = parse_duration(v.as_string());
    else if (v.type() == MODRT_INT || v.type() == MODRT_NUMBER) d = duration_from_ms(v.as_number());
    if (!d) bad(field, "expected a duration (\"500ms\", \"2s\")");
    return std::chrono::duration_cast<std::chrono::milliseconds>(*d);
}

std::vector<std::string> servers(ValueView v) {
    std::vector<std::string> out;
    auto add = [&](std::string_view url) {
        if (url.find("://") == std::string_view::npos) bad("url", "'" + std::string(url) + "' is not a URL (nats://host:port)");
        out.emplace_back(url);
    };
    if (v.is_array()) {
        for (size_t i = 0; i < v.size(); ++i) add(text(v[i], "url"));
    } else {
        std::string all = text(v, "url");  // "nats://a:4222,nats://b:4222", as the nats CLI takes it
        for (size_t start = 0; start <= all.size();) {
            size_t comma = all.find(',', start);
            if (comma == std::string::npos) comma = all.size();
            std::string_view one = std::string_view(all).substr(start, comma - start);
            while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
            while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
            if (!one.empty()) add(one);
            start = comma + 1;
        }
    }
    if (out.empty()) bad("url", "names no server");
    return out;
}

TlsSpec tls(ValueView v) {
    TlsSpec t;
    t.enabled = true;
    if (v.type() == MODRT_BOOL) {
        t.enabled = v.as_bool();
        return t;
    }
    if (!v.is_map()) bad("tls", "expected true or a map {ca, cert, key, hostname}");
    for (size_t i = 0; i < v.size(); ++i) {
        std::string_view k = v.key(i);
        std::string field = "tls." + std::string(k);
        if (k == "ca") t.ca_file = readable_file(v[i], field);
        else if (k == "cert") t.cert_file = readable_file(v[i], field);
        else if (k == "key") t.key_file = readable_file(v[i], field);
        else if (k == "hostname") t.hostname = text(v[i], field);
        else bad(field, "unknown field (known: ca, cert, key, hostname)");
    }
    if (t.cert_file.empty() != t.key_file.empty()) bad("tls", "cert and key go together");
    return t;
}

void reconnect(ValueView v, ConnectionSpec& spec) {
    if (!v.is_map()) bad("reconnect", "expected a map {max, wait}");
    for (size_t i = 0; i < v.size(); ++i) {
        std::string_view k = v.key(i);
        if (k == "max") {
            if (v[i].type() != MODRT_INT || v[i].as_int() < -1 || v[i].as_int() > 1'000'000)
                bad("reconnect.max", "expected a count of attempts, or -1 for forever");
            spec.max_reconnect = static_cast<int>(v[i].as_int());
        } else if (k == "wait") {
            spec.reconnect_wait = duration(v[i], "reconnect.wait");
        } else {
            bad("reconnect." + std::string(k), "unknown field (known: max, wait)");
        }
    }
}

}  // namespace

ConnectionSpec parse_connection(ValueView c) {
    ConnectionSpec spec;
    if (c.raw() == nullptr || c.is_nil()) return spec;
    if (!c.is_map()) bad("", "expected a map {url, user, password, token, creds, nkey_seed, tls, reconnect}");
    for (size_t i = 0; i < c.size(); ++i) {
        std::string_view k = c.key(i);
        ValueView v = c[i];
        if (k == "url") spec.servers = servers(v);
        else if (k == "name") spec.name = text(v, k);
        else if (k == "user") spec.user = text(v, k);
        else if (k == "password") spec.password = text(v, k);
        else if (k == "password_env") spec.password = env_secret(v, k);
        else if (k == "token") spec.token = text(v, k);
        else if (k == "token_env") spec.token = env_secret(v, k);
        else if (k == "creds") spec.creds_file = readable_file(v, k);
        else if (k == "nkey_seed") spec.nkey_seed_file = readable_file(v, k);
        else if (k == "tls") spec.tls = tls(v);
        else if (k == "reconnect") reconnect(v, spec);
        else if (k == "connect_timeout") spec.connect_timeout = duration(v, k);
        else if (k == "retry_on_failed_connect") {
            if (v.type() != MODRT_BOOL) bad(k, "expected true or false");
            spec.retry_on_failed_connect = v.as_bool();
        } else {
            bad(k, "unknown field (known: url, name, user, password, password_env, token, token_env, creds, "
                   "nkey_seed, tls, reconnect, connect_timeout, retry_on_failed_connect)");
        }
    }
    int logins = (!spec.user.empty() || !spec.password.empty()) + !spec.token.empty() + !spec.creds_file.empty() +
                 !spec.nkey_seed_file.empty();
    if (logins > 1) bad("", "use one way to log in: user/password, token, creds or nkey_seed");
    if (spec.user.empty() != spec.password.empty()) bad("user", "user and password go together");
    for (const auto& s : spec.servers)
        if (s.rfind("tls://", 0) == 0) spec.tls.enabled = true;
    return spec;
}

std::string ConnectionSpec::key() const {
    std::string k;
    for (const auto& s : servers) k += s + ",";
    for (const std::string* part : {&name, &user, &password, &token, &creds_file, &nkey_seed_file, &tls.ca_file,
                                    &tls.cert_file, &tls.key_file, &tls.hostname})
        k += "\x1f" + *part;
    k += "\x1f" + std::to_string(tls.enabled) + std::to_string(max_reconnect) + "/" +
         std::to_string(reconnect_wait.count()) + "/" + std::to_string(connect_timeout.count()) + "/" +
         std::to_string(retry_on_failed_connect);
    return k;
}

std::string ConnectionSpec::describe() const {
    std::string out;
    for (std::string s : servers) {
        // nats://user:secret@host: keep the secret out of logs and errors.
        size_t scheme = s.find("://"), at = s.find('@');
        if (scheme != std::string::npos && at != std::string::npos && at > scheme) s.replace(scheme + 3, at - scheme - 3, "***");
        out += (out.empty() ? "" : ",") + s;
    }
    return out;
}

}  // namespace modrt::nats
