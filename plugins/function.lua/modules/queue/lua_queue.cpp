// The queue module (lua_queue.hpp).
#include "modules/queue/lua_queue.hpp"

#include "modules/security/lua_udata.hpp"
#include "values/lua_owned.hpp"
#include "vm/call_env.hpp"

#include <modrt/queue.h>
#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

char kMessageMetaKey;  // registry key (its address) of the Message metatable

struct MessageBox {
    const modrt_queue_delivery* delivery;  // borrowed from the consumer while its call runs
};

const modrt_queue_delivery* running_delivery(lua_State* L) noexcept {
    modrt_frame* frame = current_call(L).frame;
    if (frame == nullptr) return nullptr;
    auto* d = static_cast<const modrt_queue_delivery*>(
        host_api().frame_attachment(frame, to_str(MODRT_QUEUE_DELIVERY_KEY)));
    return d != nullptr && d->struct_size >= sizeof(modrt_queue_delivery) ? d : nullptr;
}

constexpr const char* kNoDelivery =
    "no queue message is being handled by this call (only a function a queue.consumer calls, and the synchronous "
    "calls it makes, see one)";

// The queue entry `queue_id` (argument 1) or nil, err on the stack (returns 0 on success).
const modrt_queue_api* find_queue(lua_State* L, const char* fn, void** self, modrt_runtime** rt) {
    size_t len = 0;
    const char* id = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &len) : nullptr;
    if (id == nullptr || len == 0) {
        lua_pushfstring(L, "%s: the queue id must be a non-empty string (ns:name)", fn);
        return_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
        return nullptr;
    }
    *rt = current_call(L).runtime;
    if (*rt == nullptr) {
        return_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
        return nullptr;
    }
    auto* api = static_cast<const modrt_queue_api*>(
        host_api().entry_interface(*rt, modrt_str{id, len}, to_str(MODRT_QUEUE_INTERFACE), self));
    if (api == nullptr || api->struct_size < sizeof(modrt_queue_api)) {
        lua_pushfstring(L, "%s: no queue.queue entry '%s'", fn, id);
        return_error(L, MODRT_ERR_NOT_FOUND, lua_tostring(L, -1));
        return nullptr;
    }
    return api;
}

int queue_publish(lua_State* L) {
    void* self = nullptr;
    modrt_runtime* rt = nullptr;
    const modrt_queue_api* api = find_queue(L, "queue.publish", &self, &rt);
    if (api == nullptr) return 2;
    if (lua_isnoneornil(L, 2))
        return return_error(L, MODRT_ERR_INVALID, "queue.publish: the message body is empty (nil)");
    if (!lua_isnoneornil(L, 3) && !lua_istable(L, 3))
        return return_error(L, MODRT_ERR_INVALID, "queue.publish: headers must be a table of strings");
    // Called without headers, slot 3 would be the first value pushed below, taken for headers.
    lua_settop(L, 3);
    OwnedKernel* body = push_owned(L);
    if (!to_modrt_protected(L, 2, body->value, "queue.publish body")) return return_error_on_top(L);
    OwnedKernel* headers = push_owned(L);
    if (!lua_isnoneornil(L, 3) && !to_modrt_protected(L, 3, headers->value, "queue.publish headers"))
        return return_error_on_top(L);
    body->error = api->publish(self, current_call(L).frame, body->value,
                               lua_isnoneornil(L, 3) ? nullptr : headers->value);
    release_owned(headers);
    if (body->error != nullptr) return return_owned_error(L, body);
    release_owned(body);
    lua_pushboolean(L, 1);
    return 1;
}

int queue_info(lua_State* L) {
    void* self = nullptr;
    modrt_runtime* rt = nullptr;
    const modrt_queue_api* api = find_queue(L, "queue.info", &self, &rt);
    if (api == nullptr) return 2;
    OwnedKernel* out = push_owned(L);
    out->error = api->info(self, out->value);
    if (out->error != nullptr) return return_owned_error(L, out);
    if (!push_modrt_protected(L, out->value)) return return_error_on_top(L);
    return 1;
}

// The delivery of the Message at index 1, when it is still the one this call handles.
const modrt_queue_delivery* live_message(lua_State* L, const UdataType& type) {
    auto* box = static_cast<MessageBox*>(test_udata(L, 1, type));
    if (box == nullptr) luaL_typerror(L, 1, "Message");
    const modrt_queue_delivery* d = running_delivery(L);
    return d == box->delivery ? d : nullptr;
}

const UdataType& message_type();

int msg_id(lua_State* L) {
    const modrt_queue_delivery* d = live_message(L, message_type());
    if (d == nullptr) return return_error(L, MODRT_ERR_INVALID, kNoDelivery);
    lua_pushlstring(L, d->id.ptr, d->id.len);
    return 1;
}

int msg_headers(lua_State* L) {
    const modrt_queue_delivery* d = live_message(L, message_type());
    if (d == nullptr) return return_error(L, MODRT_ERR_INVALID, kNoDelivery);
    if (!push_modrt_protected(L, d->headers)) return return_error_on_top(L);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
    }
    return 1;
}

int msg_header(lua_State* L) {
    const modrt_queue_delivery* d = live_message(L, message_type());
    if (d == nullptr) return return_error(L, MODRT_ERR_INVALID, kNoDelivery);
    size_t len = 0;
    const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &len) : nullptr;
    if (key == nullptr) return return_error(L, MODRT_ERR_INVALID, "msg:header: the name must be a string");
    const modrt_value* v = host_api().value_find(d->headers, modrt_str{key, len});
    if (v == nullptr) {
        lua_pushnil(L);
        return 1;
    }
    modrt_str s = host_api().value_string(v);
    lua_pushlstring(L, s.ptr != nullptr ? s.ptr : "", s.len);
    return 1;
}

int settle(lua_State* L, int ack) {
    const modrt_queue_delivery* d = live_message(L, message_type());
    if (d == nullptr) return return_error(L, MODRT_ERR_INVALID, kNoDelivery);
    if (d->settle(d->self, ack) == 0) return return_error(L, MODRT_ERR_INVALID, "the message was settled already");
    lua_pushboolean(L, 1);
    return 1;
}
int msg_ack(lua_State* L) { return settle(L, 1); }
int msg_nack(lua_State* L) { return settle(L, 0); }

int msg_tostring(lua_State* L) {
    // The delivery may be gone (a Message kept past its call): only a live one shows its id.
    const modrt_queue_delivery* d = live_message(L, message_type());
    if (d == nullptr) lua_pushliteral(L, "Message");
    else lua_pushfstring(L, "Message(%s)", d->id.ptr);
    return 1;
}

const luaL_Reg kMessageMethods[] = {{"id", msg_id},   {"header", msg_header}, {"headers", msg_headers},
                             {"ack", msg_ack}, {"nack", msg_nack},     {nullptr, nullptr}};

const UdataType& message_type() {
    static const UdataType type{&kMessageMetaKey, "Message", kMessageMethods, nullptr, msg_tostring, nullptr};
    return type;
}

int queue_message(lua_State* L) {
    if (current_call(L).frame == nullptr) return return_error(L, MODRT_ERR_INTERNAL, kNoCallMessage);
    const modrt_queue_delivery* d = running_delivery(L);
    if (d == nullptr) return return_error(L, MODRT_ERR_INVALID, kNoDelivery);
    auto* box = static_cast<MessageBox*>(lua_newuserdata(L, sizeof(MessageBox)));
    box->delivery = d;
    push_udata_metatable(L, message_type());
    lua_setmetatable(L, -2);
    return 1;
}

}  // namespace

int open_queue_module(lua_State* L) {
    static const luaL_Reg fns[] = {{"publish", queue_publish},
                                   {"message", queue_message},
                                   {"info", queue_info},
                                   {nullptr, nullptr}};
    lua_createtable(L, 0, 3);
    luaL_register(L, nullptr, fns);
    // lua_require binds and seals it per requiring module (module_binding.hpp).
    return 1;
}

}  // namespace modrt::lua
