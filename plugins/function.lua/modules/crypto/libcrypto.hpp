// OpenSSL's libcrypto, opened the first time a module needs it (hash, uuid, base64)
// rather than with function.lua.so. Linked, it cost every process that loads the plugin
// 2.7 M instructions of relocations (BIND_NOW, 21 k of them) and the mapping of 4.5 MB,
// a sixth of a cold `modrt call`, whether or not any function used it.
#pragma once

#include <lua.hpp>
#include <openssl/core.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/rand.h>

namespace modrt::lua {

/// The libcrypto functions function.lua calls, as its own headers declare them.
struct LibCrypto {
    decltype(&::EVP_EncodeBlock) EVP_EncodeBlock;
    decltype(&::EVP_DecodeBlock) EVP_DecodeBlock;
    decltype(&::RAND_bytes) RAND_bytes;
    decltype(&::EVP_md5) EVP_md5;
    decltype(&::EVP_sha1) EVP_sha1;
    decltype(&::EVP_sha256) EVP_sha256;
    decltype(&::EVP_sha512) EVP_sha512;
    decltype(&::EVP_Digest) EVP_Digest;
    decltype(&::EVP_MD_CTX_new) EVP_MD_CTX_new;
    decltype(&::EVP_MD_CTX_free) EVP_MD_CTX_free;
    decltype(&::EVP_DigestInit_ex) EVP_DigestInit_ex;
    decltype(&::EVP_DigestUpdate) EVP_DigestUpdate;
    decltype(&::EVP_DigestFinal_ex) EVP_DigestFinal_ex;
    decltype(&::HMAC) HMAC;
    decltype(&::EVP_MAC_fetch) EVP_MAC_fetch;
    decltype(&::EVP_MAC_free) EVP_MAC_free;
    decltype(&::EVP_MAC_CTX_new) EVP_MAC_CTX_new;
    decltype(&::EVP_MAC_CTX_free) EVP_MAC_CTX_free;
    decltype(&::EVP_MAC_CTX_get_mac_size) EVP_MAC_CTX_get_mac_size;
    decltype(&::EVP_MAC_init) EVP_MAC_init;
    decltype(&::EVP_MAC_update) EVP_MAC_update;
    decltype(&::EVP_MAC_final) EVP_MAC_final;
    decltype(&::OSSL_PARAM_construct_utf8_string) OSSL_PARAM_construct_utf8_string;
    decltype(&::OSSL_PARAM_construct_end) OSSL_PARAM_construct_end;
};

/// Open libcrypto if no module has yet, or raise a Lua error naming `module` and why
/// ("hash: cannot load libcrypto.so.3: ..."). Each module's open function calls it, so
/// the functions a module exposes may use crypto() freely.
void require_libcrypto(lua_State* L, const char* module);

/// The functions; only after require_libcrypto has succeeded in this process.
const LibCrypto& crypto() noexcept;

}  // namespace modrt::lua
