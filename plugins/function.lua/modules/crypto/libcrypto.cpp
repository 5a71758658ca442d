// Opening libcrypto on first use (libcrypto.hpp).
#include "modules/crypto/libcrypto.hpp"

#include <openssl/opensslv.h>

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace modrt::lua {
namespace {

#define MODRT_STR2(x) #x
#define MODRT_STR(x) MODRT_STR2(x)
// The soname the headers we compiled against belong to ("libcrypto.so.3").
constexpr const char* kSoname = "libcrypto.so." MODRT_STR(OPENSSL_SHLIB_VERSION);
#undef MODRT_STR
#undef MODRT_STR2

// Process-wide, as the library itself is once the dynamic linker has opened it: filled
// once under the once_flag, read-only afterwards.
struct Loaded {
    std::once_flag once;
    LibCrypto fns{};
    std::string error;  // empty: loaded
};
Loaded& loaded() {
    static Loaded l;
    return l;
}

template <class F>
bool resolve(void* lib, F& slot, const char* name, std::string& error) {
    slot = reinterpret_cast<F>(dlsym(lib, name));
    if (slot == nullptr && error.empty()) error = std::string("no symbol ") + name + " in " + kSoname;
    return slot != nullptr;
}

void load(Loaded& l) {
    // Never closed: what it allocated (contexts in Lua userdata, OpenSSL's own state) may
    // outlive any owner we could give it.
    void* lib = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
        const char* why = dlerror();
        l.error = std::string("cannot load ") + kSoname + ": " + (why != nullptr ? why : "unknown error");
        return;
    }
    LibCrypto& f = l.fns;
#define MODRT_RESOLVE(name) resolve(lib, f.name, #name, l.error)
    MODRT_RESOLVE(EVP_EncodeBlock);
    MODRT_RESOLVE(EVP_DecodeBlock);
    MODRT_RESOLVE(RAND_bytes);
    MODRT_RESOLVE(EVP_md5);
    MODRT_RESOLVE(EVP_sha1);
    MODRT_RESOLVE(EVP_sha256);
    MODRT_RESOLVE(EVP_sha512);
    MODRT_RESOLVE(EVP_Digest);
    MODRT_RESOLVE(EVP_MD_CTX_new);
    MODRT_RESOLVE(EVP_MD_CTX_free);
    MODRT_RESOLVE(EVP_DigestInit_ex);
    MODRT_RESOLVE(EVP_DigestUpdate);
    MODRT_RESOLVE(EVP_DigestFinal_ex);
    MODRT_RESOLVE(HMAC);
    MODRT_RESOLVE(EVP_MAC_fetch);
    MODRT_RESOLVE(EVP_MAC_free);
    MODRT_RESOLVE(EVP_MAC_CTX_new);
    MODRT_RESOLVE(EVP_MAC_CTX_free);
    MODRT_RESOLVE(EVP_MAC_CTX_get_mac_size);
    MODRT_RESOLVE(EVP_MAC_init);
    MODRT_RESOLVE(EVP_MAC_update);
    MODRT_RESOLVE(EVP_MAC_final);
    MODRT_RESOLVE(OSSL_PARAM_construct_utf8_string);
    MODRT_RESOLVE(OSSL_PARAM_construct_end);
#undef MODRT_RESOLVE
}

}  // namespace

void require_libcrypto(lua_State* L, const char* module) {
    Loaded& l = loaded();
    std::call_once(l.once, [&] { load(l); });
    if (!l.error.empty()) luaL_error(L, "%s: %s", module, l.error.c_str());
}

const LibCrypto& crypto() noexcept { return loaded().fns; }

}  // namespace modrt::lua
