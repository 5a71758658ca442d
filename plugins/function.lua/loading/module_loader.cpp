// Loading modules into a state, and what it caches (module_loader.hpp).
#include "loading/module_loader.hpp"

#include "loading/lua_require.hpp"
#include "values/lua_errors.hpp"
#include "vm/sandbox.hpp"

namespace modrt::lua {
namespace {

// libraries_ value while a library's chunk runs (distinct from LUA_NOREF/LUA_REFNIL).
constexpr int kLoading = -3;

struct LibraryArgs {
    ModuleLoader* loader;
    const std::shared_ptr<const ModuleSpec>* lib;
};

int load_library_protected(lua_State* L) {
    auto* a = static_cast<LibraryArgs*>(lua_touserdata(L, 1));
    a->loader->load_module(L, *a->lib);
    return 1;
}

}  // namespace

const ModuleSpec* ModuleLoader::spec(uint64_t serial) const noexcept {
    auto it = specs_.find(serial);
    return it == specs_.end() ? nullptr : it->second.get();
}

void ModuleLoader::load_module(lua_State* L, const std::shared_ptr<const ModuleSpec>& spec) {
    specs_.emplace(spec->serial, spec);
    int top = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, handler_ref_);
    if (luaL_loadbufferx(L, spec->source.data(), spec->source.size(), spec->chunkname.c_str(), "t") != 0) {
        lua_pushfstring(L, "syntax error: %s", lua_tostring(L, -1));
        raise_error(L, MODRT_ERR_INVALID, lua_tostring(L, -1));
    }
    // `jit: false`: the flag covers every function the chunk defines, and a trace
    // reaching one of them aborts (README.md, "Runaway loops and the JIT").
    if (!spec->jit) luaJIT_setmode(L, -1, LUAJIT_MODE_ALLFUNC | LUAJIT_MODE_OFF);
    push_new_module_env(L);
    push_require(L, this, spec->serial);
    lua_setfield(L, -2, "require");
    lua_pushvalue(L, -1);
    lua_setfenv(L, -3);
    lua_insert(L, -2);  // handler, env, chunk
    if (lua_pcall(L, 0, 1, top + 1) != 0) lua_error(L);
    seal_module_env(L, top + 2);
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
}

const ModuleLoader::LoadedMethod* ModuleLoader::find_method(uint64_t serial) noexcept {
    auto it = methods_.find(serial);
    if (it == methods_.end()) return nullptr;
    last_serial_ = serial;
    last_ = &it->second;
    return last_;
}

void ModuleLoader::push_entry_function(lua_State* L, const std::shared_ptr<const ModuleSpec>& spec) {
    if (const LoadedMethod* m = method(spec->serial)) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, m->ref);
        return;
    }
    load_module(L, spec);
    if (!lua_istable(L, -1)) {
        lua_pushfstring(L, "%s must return a table of functions (it returned a %s)", spec->source_path.c_str(),
                        luaL_typename(L, -1));
        raise_error(L, MODRT_ERR_INTERNAL, lua_tostring(L, -1));
    }
    lua_getfield(L, -1, spec->method.c_str());
    if (!lua_isfunction(L, -1)) {
        lua_pushfstring(L, "method '%s' is not a function in the table returned by %s", spec->method.c_str(),
                        spec->source_path.c_str());
        raise_error(L, MODRT_ERR_INTERNAL, lua_tostring(L, -1));
    }
    lua_remove(L, -2);
    // Indexes are 1, 2, ... so the functions table keeps them in its array part.
    LoadedMethod m;
    m.index = static_cast<int>(methods_.size()) + 1;
    lua_rawgeti(L, LUA_REGISTRYINDEX, functions_ref_);
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, m.index);
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    m.ref = luaL_ref(L, LUA_REGISTRYINDEX);
    methods_.emplace(spec->serial, m);
}

void ModuleLoader::push_library(lua_State* L, const std::shared_ptr<const ModuleSpec>& lib) {
    auto it = libraries_.find(lib->id);
    if (it != libraries_.end()) {
        if (it->second == kLoading) luaL_error(L, "circular require: library '%s' is still loading", lib->id.c_str());
        lua_rawgeti(L, LUA_REGISTRYINDEX, it->second);
        return;
    }
    libraries_[lib->id] = kLoading;
    LibraryArgs args{this, &lib};
    lua_pushcfunction(L, load_library_protected);
    lua_pushlightuserdata(L, &args);
    if (lua_pcall(L, 1, 1, 0) != 0) {
        libraries_.erase(lib->id);
        if (ErrorData* e = test_error(L, -1)) e->message = "library '" + lib->id + "': " + e->message;
        lua_error(L);
    }
    if (lua_isnil(L, -1)) {  // like Lua's require: a chunk that returns nothing gives true
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    libraries_[lib->id] = luaL_ref(L, LUA_REGISTRYINDEX);
}

}  // namespace modrt::lua
