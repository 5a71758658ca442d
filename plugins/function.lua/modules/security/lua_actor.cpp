// Actor userdata (lua_actor.hpp).
#include "modules/security/lua_actor.hpp"

#include "modules/security/lua_udata.hpp"
#include "values/lua_errors.hpp"
#include "values/lua_owned.hpp"

#include <modrt/sdk.hpp>

namespace modrt::lua {
namespace {

char kActorMetaKey;  // registry key (its address) of the Actor metatable

const modrt_actor* check_actor(lua_State* L, int idx) {
    const modrt_actor* a = test_actor(L, idx);
    if (a == nullptr) luaL_typerror(L, idx, "Actor");
    return a;
}

int actor_gc(lua_State* L) {
    auto* box = static_cast<ActorBox*>(lua_touserdata(L, 1));
    host_api().actor_release(box->actor);
    box->actor = nullptr;
    return 0;
}

int actor_id(lua_State* L) {
    modrt_str id = host_api().actor_id(check_actor(L, 1));
    lua_pushlstring(L, id.ptr != nullptr ? id.ptr : "", id.len);
    return 1;
}

int actor_meta(lua_State* L) {
    const modrt_actor* a = check_actor(L, 1);
    if (!push_modrt_protected(L, host_api().actor_meta(a))) return lua_error(L);
    if (!lua_istable(L, -1)) {  // an actor without metadata
        lua_pop(L, 1);
        lua_newtable(L);
    }
    return 1;
}

int actor_tostring(lua_State* L) {
    modrt_str id = host_api().actor_id(check_actor(L, 1));
    lua_pushliteral(L, "Actor(");
    lua_pushlstring(L, id.ptr != nullptr ? id.ptr : "", id.len);
    lua_pushliteral(L, ")");
    lua_concat(L, 3);
    return 1;
}

const luaL_Reg kActorMethods[] = {{"id", actor_id}, {"meta", actor_meta}, {nullptr, nullptr}};
const UdataType kActorType{&kActorMetaKey, "Actor", kActorMethods, actor_gc, actor_tostring, nullptr};

}  // namespace

ActorBox* push_actor(lua_State* L) {
    auto* box = static_cast<ActorBox*>(lua_newuserdata(L, sizeof(ActorBox)));
    box->actor = nullptr;
    push_udata_metatable(L, kActorType);
    lua_setmetatable(L, -2);
    return box;
}

void push_actor_ref(lua_State* L, const modrt_actor* actor) {
    ActorBox* box = push_actor(L);
    host_api().actor_retain(actor);
    box->actor = actor;
}

const modrt_actor* test_actor(lua_State* L, int idx) {
    auto* box = static_cast<ActorBox*>(test_udata(L, idx, kActorType));
    return box != nullptr ? box->actor : nullptr;
}

}  // namespace modrt::lua
