// The digests the hash and uuid modules compute, on OpenSSL's EVP: one table
// of EVP_MDs, no hash of our own. Every function here is noexcept and touches
// no Lua, so callers may run it between Lua API calls that raise.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace modrt::lua {

/// A digest the modules offer.
enum class DigestId : unsigned char { md5, sha1, sha256, sha512 };

/// A computed digest or HMAC (at most SHA-512's 64 bytes).
struct Digest {
    unsigned char bytes[64] = {};
    size_t len = 0;
};

/// The digest named `name` ("md5", "sha1", "sha256", "sha512"); nullopt for any other.
std::optional<DigestId> find_digest(std::string_view name) noexcept;

/// The digest of `data` into `out`; false when OpenSSL fails.
bool compute_digest(DigestId id, std::string_view data, Digest& out) noexcept;
/// The digest of `first` followed by `second` (no copy of either); false when OpenSSL fails.
bool compute_digest(DigestId id, std::string_view first, std::string_view second, Digest& out) noexcept;

/// HMAC of `data` under `key` into `out`; false when OpenSSL fails.
bool compute_hmac(DigestId id, std::string_view key, std::string_view data, Digest& out) noexcept;

/// OpenSSL's name of the digest ("SHA256"), for EVP_MAC parameters.
const char* digest_openssl_name(DigestId id) noexcept;

/// Lower-case hex of `bytes` into `out` (2 * len chars, no NUL).
void to_hex(const unsigned char* bytes, size_t len, char* out) noexcept;

}  // namespace modrt::lua
