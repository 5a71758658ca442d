// function.lua, white box: the per-call globals of sandbox.hpp on a bare
// lua_State, driven the way WorkerState::invoke drives them, including a
// call nested in another on the same state (no kernel path reaches that yet:
// the `funcs` host module is a later issue).
#include "values/lua_errors.hpp"
#include "values/lua_value.hpp"
#include "vm/sandbox.hpp"

#include <gtest/gtest.h>
#include <lua.hpp>

#include <cstring>
#include <string>

namespace {

using namespace modrt::lua;

// `nest(name)` is a module-level global: it runs M[name] as a nested call.
const char* kModule = R"lua(
seed = "module"  -- top level: belongs to the module
local M = {}
function M.outer()
  x = "outer"
  local inner = nest("inner")
  z = "z"  -- written after the nested call: lands in this call's scratch globals again
  return table.concat({tostring(x), inner, tostring(y), tostring(z)}, ",")
end
function M.outer_clean()  -- writes nothing itself
  local inner = nest("inner")
  return inner .. "," .. tostring(y)
end
function M.inner()
  local saw = tostring(x)  -- the calling call's globals are not visible
  y = "inner"
  return saw .. ":" .. tostring(y)
end
function M.clean()
  return table.concat({tostring(x), tostring(y), tostring(z), seed, type(pairs)}, ",")
end
function M.reader()
  return tostring(x) .. "," .. type(string.format)
end
function M.shadow()
  pairs = 1
  string = "not the library"
  return type(pairs) .. "," .. string
end
return M
)lua";

class Scratch : public ::testing::Test {
protected:
    void SetUp() override {
        L = luaL_newstate();
        ASSERT_NE(L, nullptr);
        luaL_openlibs(L);
        ASSERT_EQ(lua_cpcall(L, setup, this), 0) << lua_tostring(L, -1);
    }
    void TearDown() override { lua_close(L); }

    // Run M[name]() as one call: what WorkerState::invoke does around the method.
    std::string run(const char* name) {
        int base = lua_gettop(L);
        int saved = begin_call_globals(L, globals) ? base + 1 : 0;
        lua_rawgeti(L, LUA_REGISTRYINDEX, module_ref);
        lua_getfield(L, -1, name);
        lua_remove(L, -2);
        std::string out = lua_pcall(L, 0, 1, 0) == 0 ? "" : "error: ";
        if (const char* s = lua_tostring(L, -1)) out += s;
        end_call_globals(L, globals, saved);
        lua_settop(L, base);
        return out;
    }

    lua_State* L = nullptr;
    CallGlobals globals;
    int module_ref = LUA_NOREF;

private:
    static int setup(lua_State* L) {
        auto* self = static_cast<Scratch*>(lua_touserdata(L, 1));
        register_error_type(L);
        install_value_helpers(L);
        install_sandbox(L, &self->globals);
        if (luaL_loadbuffer(L, kModule, std::strlen(kModule), "=module") != 0) return lua_error(L);
        push_new_module_env(L);
        lua_pushlightuserdata(L, self);
        lua_pushcclosure(L, nest, 1);
        lua_setfield(L, -2, "nest");
        lua_pushvalue(L, -1);
        lua_setfenv(L, -3);  // chunk, env
        lua_insert(L, -2);   // env, chunk
        lua_call(L, 0, 1);   // env, M
        seal_module_env(L, -2);
        self->module_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        return 0;
    }
    static int nest(lua_State* L) {
        auto* self = static_cast<Scratch*>(lua_touserdata(L, lua_upvalueindex(1)));
        std::string r = self->run(luaL_checkstring(L, 1));
        lua_pushlstring(L, r.data(), r.size());
        return 1;
    }
};

TEST_F(Scratch, GlobalsOfACallAreDroppedWhenItEnds) {
    EXPECT_EQ(run("shadow"), "number,not the library");
    EXPECT_FALSE(globals.dirty);
    EXPECT_EQ(run("clean"), "nil,nil,nil,module,function");
    EXPECT_EQ(run("reader"), "nil,function");  // the string library is back
}

TEST_F(Scratch, ACallThatWritesNoGlobalsLeavesNoScratch) {
    EXPECT_EQ(run("reader"), "nil,function");
    EXPECT_FALSE(globals.dirty);
}

TEST_F(Scratch, NestedCallGetsFreshGlobalsAndGivesTheOuterOnesBack) {
    // outer sees its own x after the nested call, not the nested call's y; the
    // nested call did not see x.
    EXPECT_EQ(run("outer"), "outer,nil:inner,nil,z");
    EXPECT_FALSE(globals.dirty);
    EXPECT_EQ(run("clean"), "nil,nil,nil,module,function");
}

TEST_F(Scratch, NestedCallInACleanCall) {
    EXPECT_EQ(run("outer_clean"), "nil:inner,nil");
    EXPECT_FALSE(globals.dirty);
    EXPECT_EQ(run("clean"), "nil,nil,nil,module,function");
}

}  // namespace
