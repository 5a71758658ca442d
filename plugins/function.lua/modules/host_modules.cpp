// The table of host modules (host_modules.hpp).
#include "modules/host_modules.hpp"

#include "modules/base64/lua_base64.hpp"
#include "modules/contract/lua_contract.hpp"
#include "modules/ctx/lua_ctx.hpp"
#include "modules/funcs/lua_funcs.hpp"
#include "modules/hash/lua_hash.hpp"
#include "modules/http/lua_http.hpp"
#include "modules/json/lua_json.hpp"
#include "modules/logger/lua_logger.hpp"
#include "modules/queue/lua_queue.hpp"
#include "modules/security/lua_security.hpp"
#include "modules/time/lua_time.hpp"
#include "modules/uuid/lua_uuid.hpp"
#include "vm/sandbox.hpp"

namespace modrt::lua {
namespace {

constexpr HostModule kModules[] = {
    // Executors record their binding: funcs.call, on every nested call, binds nothing after.
    {"funcs", open_funcs_module, true},
    {"ctx", open_ctx_module},
    {"security", open_security_module},
    {"contract", open_contract_module},
    // Needs an HTTP trigger's exchange (modrt/http.h).
    {"http", open_http_module, true},
    // Needs a queue plugin's queues and, for queue.message(), a consumer's delivery (modrt/queue.h).
    {"queue", open_queue_module},
    // Data modules: json, base64, uuid, hash, logger.
    {"json", open_json_module},
    {"base64", open_base64_module},
    {"uuid", open_uuid_module},
    {"hash", open_hash_module},
    {"logger", open_logger_module},
    {"time", open_time_module},
};

}  // namespace

const HostModule* find_host_module(std::string_view name) noexcept {
    for (const auto& m : kModules)
        if (name == m.name) return &m;
    return nullptr;
}

const char* host_module_names() noexcept {
    return "funcs, ctx, security, contract, http, queue"
           ", json, base64, uuid, hash, logger"
           ", time";
}

void seal_host_module(lua_State* L, const char* name) {
    // A userdata, not a table: rawset cannot reach into it.
    lua_newuserdata(L, 0);
    push_readonly_meta(L, -2, "module", name);
    lua_setmetatable(L, -2);
    lua_replace(L, -2);
}

}  // namespace modrt::lua
