// The hash module (lua_hash.hpp).
#include "modules/hash/lua_hash.hpp"

#include "modules/crypto/libcrypto.hpp"

#include "modules/hash/digests.hpp"
#include "modules/hash/fnv.hpp"
#include "modules/hash/pbkdf2.hpp"
#include "values/lua_owned.hpp"

#include <cmath>
#include <string_view>

namespace modrt::lua {
namespace {

// PBKDF2 bounds: hash.md's iterations; key lengths are modrt's (hash.md sets none).
constexpr lua_Number kMaxIterations = 10'000'000;
constexpr lua_Number kMaxKeyLength = 4096;

// The string argument at `idx`, or nullptr after pushing nil, err (INVALID
// "<fn>: <what> must be a string").
const char* string_arg(lua_State* L, int idx, size_t* len, const char* fn, const char* what) {
    if (lua_type(L, idx) == LUA_TSTRING) return lua_tolstring(L, idx, len);
    lua_pushfstring(L, "%s: %s must be a string", fn, what);
    return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    return nullptr;
}

// Push the digest as hex, or as raw bytes when `raw`.
int push_digest(lua_State* L, const Digest& d, bool raw) {
    if (raw) {
        lua_pushlstring(L, reinterpret_cast<const char*>(d.bytes), d.len);
        return 1;
    }
    char hex[2 * sizeof d.bytes];
    to_hex(d.bytes, d.len, hex);
    lua_pushlstring(L, hex, 2 * d.len);
    return 1;
}

// hash.<digest>(data, raw?). Upvalues: the DigestId, the function's name.
int hash_digest(lua_State* L) {
    auto id = static_cast<DigestId>(lua_tointeger(L, lua_upvalueindex(1)));
    const char* fn = lua_tostring(L, lua_upvalueindex(2));
    size_t len = 0;
    const char* data = string_arg(L, 1, &len, fn, "data");
    if (data == nullptr) return 2;
    Digest d;
    if (!compute_digest(id, {data, len}, d)) return return_error(L, MODRT_ERR_INTERNAL, "hash: the digest failed");
    return push_digest(L, d, lua_toboolean(L, 2) != 0);
}

// hash.hmac_<digest>(data, secret, raw?). Upvalues: the DigestId, the function's name.
int hash_hmac(lua_State* L) {
    auto id = static_cast<DigestId>(lua_tointeger(L, lua_upvalueindex(1)));
    const char* fn = lua_tostring(L, lua_upvalueindex(2));
    size_t len = 0;
    size_t key_len = 0;
    const char* data = string_arg(L, 1, &len, fn, "data");
    if (data == nullptr) return 2;
    const char* key = string_arg(L, 2, &key_len, fn, "secret");
    if (key == nullptr) return 2;
    Digest d;
    if (!compute_hmac(id, {key, key_len}, {data, len}, d))
        return return_error(L, MODRT_ERR_INTERNAL, "hash: the HMAC failed");
    return push_digest(L, d, lua_toboolean(L, 3) != 0);
}

int hash_fnv32(lua_State* L) {
    size_t len = 0;
    const char* data = string_arg(L, 1, &len, "hash.fnv32", "data");
    if (data == nullptr) return 2;
    lua_pushnumber(L, fnv1_32({data, len}));
    return 1;
}

int hash_fnv64(lua_State* L) {
    size_t len = 0;
    const char* data = string_arg(L, 1, &len, "hash.fnv64", "data");
    if (data == nullptr) return 2;
    // A Lua number, as hash.md says: the nearest double to the 64-bit value.
    lua_pushnumber(L, static_cast<lua_Number>(fnv1_64({data, len})));
    return 1;
}

// An integer argument in [lo, hi], or false after pushing nil, err.
bool integer_arg(lua_State* L, int idx, lua_Number lo, lua_Number hi, const char* message, lua_Number* out) {
    lua_Number n = lua_type(L, idx) == LUA_TNUMBER ? lua_tonumber(L, idx) : NAN;
    if (!(n >= lo && n <= hi) || std::floor(n) != n) {
        return_error(L, MODRT_ERR_INVALID, message);
        return false;
    }
    *out = n;
    return true;
}

int hash_pbkdf2(lua_State* L) {
    size_t pass_len = 0;
    size_t salt_len = 0;
    const char* pass = string_arg(L, 1, &pass_len, "hash.pbkdf2", "password");
    if (pass == nullptr) return 2;
    const char* salt = string_arg(L, 2, &salt_len, "hash.pbkdf2", "salt");
    if (salt == nullptr) return 2;
    if (pass_len == 0) return return_error(L, MODRT_ERR_INVALID, "hash.pbkdf2: password must not be empty");
    if (salt_len == 0) return return_error(L, MODRT_ERR_INVALID, "hash.pbkdf2: salt must not be empty");
    lua_Number iterations = 0;
    lua_Number key_length = 0;
    if (!integer_arg(L, 3, 1, kMaxIterations, "hash.pbkdf2: iterations must be an integer from 1 to 10000000",
                     &iterations))
        return 2;
    if (!integer_arg(L, 4, 1, kMaxKeyLength, "hash.pbkdf2: key_length must be an integer from 1 to 4096", &key_length))
        return 2;
    DigestId digest = DigestId::sha256;
    if (!lua_isnoneornil(L, 5)) {
        const char* name = lua_type(L, 5) == LUA_TSTRING ? lua_tostring(L, 5) : "";
        std::string_view n = name;
        if (n != "sha256" && n != "sha512")
            return return_error(L, MODRT_ERR_INVALID, "hash.pbkdf2: hash must be \"sha256\" or \"sha512\"");
        digest = *find_digest(n);
    }
    if (!push_pbkdf2(L, digest, {pass, pass_len}, {salt, salt_len}, static_cast<uint32_t>(iterations),
                     static_cast<size_t>(key_length)))
        return return_error(L, MODRT_ERR_INTERNAL, "hash.pbkdf2: the key derivation failed");
    return 1;
}

struct DigestFunction {
    const char* name;
    DigestId id;
};

constexpr DigestFunction kDigestFunctions[] = {{"md5", DigestId::md5},
                                               {"sha1", DigestId::sha1},
                                               {"sha256", DigestId::sha256},
                                               {"sha512", DigestId::sha512}};
constexpr DigestFunction kHmacFunctions[] = {{"hmac_md5", DigestId::md5},
                                             {"hmac_sha1", DigestId::sha1},
                                             {"hmac_sha256", DigestId::sha256},
                                             {"hmac_sha512", DigestId::sha512}};

}  // namespace

int open_hash_module(lua_State* L) {
    require_libcrypto(L, "hash");  // its functions use crypto() freely from here on
    lua_createtable(L, 0, 11);
    for (const auto& f : kDigestFunctions) {
        lua_pushinteger(L, static_cast<lua_Integer>(f.id));
        lua_pushfstring(L, "hash.%s", f.name);
        lua_pushcclosure(L, hash_digest, 2);
        lua_setfield(L, -2, f.name);
    }
    for (const auto& f : kHmacFunctions) {
        lua_pushinteger(L, static_cast<lua_Integer>(f.id));
        lua_pushfstring(L, "hash.%s", f.name);
        lua_pushcclosure(L, hash_hmac, 2);
        lua_setfield(L, -2, f.name);
    }
    static const luaL_Reg fns[] = {{"fnv32", hash_fnv32},
                                   {"fnv64", hash_fnv64},
                                   {"pbkdf2", hash_pbkdf2},
                                   {nullptr, nullptr}};
    luaL_register(L, nullptr, fns);
    // lua_require binds and seals it per requiring module (module_binding.hpp).
    return 1;
}

}  // namespace modrt::lua
