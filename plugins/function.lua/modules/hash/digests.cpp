// Digests and HMACs on OpenSSL EVP, opened on first use (digests.hpp, crypto/libcrypto.hpp).
#include "modules/hash/digests.hpp"

#include "modules/crypto/libcrypto.hpp"

#include <climits>

namespace modrt::lua {
namespace {

struct DigestRow {
    DigestId id;
    const char* name;          ///< as Lua code names it
    const char* openssl_name;  ///< as EVP_MAC's "digest" parameter names it
    decltype(LibCrypto::EVP_md5) LibCrypto::*md;  ///< the digest, from libcrypto once it is open
};

// The one table: every digest and HMAC of the hash module, and uuid's v3/v5.
constexpr DigestRow kDigests[] = {
    {DigestId::md5, "md5", "MD5", &LibCrypto::EVP_md5},
    {DigestId::sha1, "sha1", "SHA1", &LibCrypto::EVP_sha1},
    {DigestId::sha256, "sha256", "SHA256", &LibCrypto::EVP_sha256},
    {DigestId::sha512, "sha512", "SHA512", &LibCrypto::EVP_sha512},
};

const DigestRow& row(DigestId id) noexcept { return kDigests[static_cast<size_t>(id)]; }

}  // namespace

std::optional<DigestId> find_digest(std::string_view name) noexcept {
    for (const auto& r : kDigests)
        if (name == r.name) return r.id;
    return std::nullopt;
}

const char* digest_openssl_name(DigestId id) noexcept { return row(id).openssl_name; }

bool compute_digest(DigestId id, std::string_view data, Digest& out) noexcept {
    unsigned int len = 0;
    if (crypto().EVP_Digest(data.data(), data.size(), out.bytes, &len, (crypto().*row(id).md)(), nullptr) != 1) return false;
    out.len = len;
    return true;
}

bool compute_digest(DigestId id, std::string_view first, std::string_view second, Digest& out) noexcept {
    EVP_MD_CTX* ctx = crypto().EVP_MD_CTX_new();
    if (ctx == nullptr) return false;
    unsigned int len = 0;
    bool ok = crypto().EVP_DigestInit_ex(ctx, (crypto().*row(id).md)(), nullptr) == 1 &&
              crypto().EVP_DigestUpdate(ctx, first.data(), first.size()) == 1 &&
              crypto().EVP_DigestUpdate(ctx, second.data(), second.size()) == 1 && crypto().EVP_DigestFinal_ex(ctx, out.bytes, &len) == 1;
    crypto().EVP_MD_CTX_free(ctx);
    out.len = len;
    return ok;
}

bool compute_hmac(DigestId id, std::string_view key, std::string_view data, Digest& out) noexcept {
    if (key.size() > static_cast<size_t>(INT_MAX)) return false;  // HMAC() takes an int key length
    unsigned int len = 0;
    // A non-null key pointer even when empty: HMAC() treats a null key as "reuse the last one".
    const void* k = key.data() != nullptr ? key.data() : "";
    const auto* d = reinterpret_cast<const unsigned char*>(data.data() != nullptr ? data.data() : "");
    if (crypto().HMAC((crypto().*row(id).md)(), k, static_cast<int>(key.size()), d, data.size(), out.bytes, &len) == nullptr) return false;
    out.len = len;
    return true;
}

void to_hex(const unsigned char* bytes, size_t len, char* out) noexcept {
    constexpr char kDigits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; ++i) {
        out[2 * i] = kDigits[bytes[i] >> 4];
        out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
    }
}

}  // namespace modrt::lua
