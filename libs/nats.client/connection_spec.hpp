// How an entry says which NATS servers to use and how to log in: its `connection:` map,
// read into a ConnectionSpec. Every NATS plugin reads the same fields (README.md).
#pragma once

#include <modrt/sdk.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace modrt::nats {

/// TLS settings; `enabled` when the map is present (or a URL says tls://).
struct TlsSpec {
    bool enabled = false;
    std::string ca_file;    ///< trusted CA certificates (PEM); empty: the system's
    std::string cert_file;  ///< client certificate chain (PEM), with key_file
    std::string key_file;   ///< client private key (PEM)
    std::string hostname;   ///< expected server name when it differs from the URL's host
};

/// Everything that decides one connection; two entries with equal specs share it.
struct ConnectionSpec {
    std::vector<std::string> servers{"nats://127.0.0.1:4222"};
    std::string name;  ///< shown by the server (connz); default "modrt"
    std::string user, password, token;
    std::string creds_file;      ///< a .creds file (JWT and nkey seed)
    std::string nkey_seed_file;  ///< a file holding an nkey seed (SU...)
    TlsSpec tls;
    int max_reconnect = -1;  ///< -1: forever (a server node should never give up)
    std::chrono::milliseconds reconnect_wait{1000};
    std::chrono::milliseconds connect_timeout{2000};
    bool retry_on_failed_connect = true;  ///< start even when NATS is down, connect when it is up

    /// A key equal for equal specs (secrets included: two logins are two connections).
    std::string key() const;
    /// "nats://a:4222,nats://b:4222" for messages (never secrets).
    std::string describe() const;
};

/// Read `connection` (a map, or nil for every default); a bad field throws Failure(INVALID)
/// naming "connection.<field>". `*_env` fields read the secret from that environment variable.
ConnectionSpec parse_connection(ValueView connection);

}  // namespace modrt::nats
