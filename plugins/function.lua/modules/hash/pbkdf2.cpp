// PBKDF2 on EVP_MAC, interruptible (pbkdf2.hpp).
#include "modules/hash/pbkdf2.hpp"

#include "modules/crypto/libcrypto.hpp"

#include "values/lua_owned.hpp"
#include "vm/call_env.hpp"

#include <openssl/core_names.h>

#include <cstring>

namespace modrt::lua {
namespace {

char kMacBoxMetaKey;  // registry key (its address) of the MacBox metatable

/// An HMAC context owned by a Lua userdata: __gc frees it if the loop raises.
struct MacBox {
    EVP_MAC_CTX* ctx = nullptr;
};

int mac_box_gc(lua_State* L) {
    auto* box = static_cast<MacBox*>(lua_touserdata(L, 1));
    crypto().EVP_MAC_CTX_free(box->ctx);
    box->ctx = nullptr;
    return 0;
}

MacBox* push_mac_box(lua_State* L) {
    auto* box = static_cast<MacBox*>(lua_newuserdata(L, sizeof(MacBox)));
    *box = MacBox{};
    push_gc_metatable(L, &kMacBoxMetaKey, mac_box_gc);
    lua_setmetatable(L, -2);
    return box;
}

// A context keyed with `password`; null on failure. No Lua here.
EVP_MAC_CTX* new_hmac(DigestId digest, std::string_view password) noexcept {
    EVP_MAC* mac = crypto().EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr) return nullptr;
    EVP_MAC_CTX* ctx = crypto().EVP_MAC_CTX_new(mac);
    crypto().EVP_MAC_free(mac);  // the context holds its own reference
    if (ctx == nullptr) return nullptr;
    OSSL_PARAM params[] = {crypto().OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                                            const_cast<char*>(digest_openssl_name(digest)), 0),
                           crypto().OSSL_PARAM_construct_end()};
    const auto* key = reinterpret_cast<const unsigned char*>(password.data());
    if (crypto().EVP_MAC_init(ctx, key, password.size(), params) != 1) {
        crypto().EVP_MAC_CTX_free(ctx);
        return nullptr;
    }
    return ctx;
}

// One HMAC under the context's key (EVP_MAC_init without a key reuses it).
bool hmac_step(EVP_MAC_CTX* ctx, const unsigned char* a, size_t alen, const unsigned char* b, size_t blen,
               unsigned char* out, size_t out_len) noexcept {
    size_t written = 0;
    return crypto().EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1 && crypto().EVP_MAC_update(ctx, a, alen) == 1 &&
           (blen == 0 || crypto().EVP_MAC_update(ctx, b, blen) == 1) && crypto().EVP_MAC_final(ctx, out, &written, out_len) == 1 &&
           written == out_len;
}

}  // namespace

bool push_pbkdf2(lua_State* L, DigestId digest, std::string_view password, std::string_view salt, uint32_t iterations,
                 size_t key_length) {
    MacBox* box = push_mac_box(L);
    box->ctx = new_hmac(digest, password);
    if (box->ctx == nullptr) return false;
    const size_t h_len = crypto().EVP_MAC_CTX_get_mac_size(box->ctx);
    if (h_len == 0 || h_len > sizeof(Digest::bytes)) return false;
    // The key, then U and T of the block being computed: Lua memory, freed by the collector.
    auto* key = static_cast<unsigned char*>(lua_newuserdata(L, key_length + 2 * h_len));
    unsigned char* u = key + key_length;
    unsigned char* t = u + h_len;
    uint32_t until_check = kPbkdf2CheckEvery;
    for (uint32_t block = 1; static_cast<size_t>(block - 1) * h_len < key_length; ++block) {
        const unsigned char index[4] = {static_cast<unsigned char>(block >> 24),
                                        static_cast<unsigned char>(block >> 16), static_cast<unsigned char>(block >> 8),
                                        static_cast<unsigned char>(block)};
        // U1 = PRF(P, S || INT(i)); Uj = PRF(P, Uj-1); T = U1 ^ ... ^ Uc.
        if (!hmac_step(box->ctx, reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), index, 4, u, h_len))
            return false;
        std::memcpy(t, u, h_len);
        for (uint32_t j = 1; j < iterations; ++j) {
            if (!hmac_step(box->ctx, u, h_len, nullptr, 0, u, h_len)) return false;
            for (size_t k = 0; k < h_len; ++k) t[k] ^= u[k];
            if (--until_check == 0) {
                until_check = kPbkdf2CheckEvery;
                interrupt_point(L, kPbkdf2CheckEvery);  // a tick per HMAC at a module's top level
            }
        }
        size_t offset = static_cast<size_t>(block - 1) * h_len;
        std::memcpy(key + offset, t, key_length - offset < h_len ? key_length - offset : h_len);
    }
    lua_pushlstring(L, reinterpret_cast<const char*>(key), key_length);
    crypto().EVP_MAC_CTX_free(box->ctx);
    box->ctx = nullptr;
    return true;
}

}  // namespace modrt::lua
