// function.lua, white box: modrt's string.find/match/gmatch/gsub
// (lua_strings.hpp) give what LuaJIT's own give, errors included, on a bare
// lua_State holding both; and the matcher alone (lua_pattern.hpp) reports
// its steps, bounds its depth and can be stopped.
#include "strings/lua_pattern.hpp"
#include "strings/lua_strings.hpp"

#include <gtest/gtest.h>
#include <lua.hpp>

#include <cstring>
#include <stdexcept>
#include <string>

namespace {

// Runs every case through `string` (LuaJIT) and `ours`, both called from the
// same Lua line so error positions agree; returns the number of cases and the
// first mismatches.
const char* kStringsDiffChunk = R"lua(
local ours = ...
local mismatches, count = {}, 0
local function via(f, ...) return f(...) end
local function ser(ok, ...)
  local out = {ok and "ok" or "err"}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    out[#out + 1] = type(v) .. ":" .. tostring(v)
  end
  return table.concat(out, "|")
end
local function show(v) return (string.format("%q", tostring(v))) end
local function compare(name, ...)
  count = count + 1
  local theirs = ser(pcall(via, string[name], ...))
  local mine = ser(pcall(via, ours[name], ...))
  if theirs ~= mine and #mismatches < 25 then
    local args = {}
    for i = 1, select("#", ...) do args[i] = show((select(i, ...))) end
    mismatches[#mismatches + 1] = name .. "(" .. table.concat(args, ", ") .. "): luajit " .. theirs .. " / ours " .. mine
  end
end
local function all_of(gmatch, s, p)
  local out, n = {}, 0
  local ok, err = pcall(function()
    for a, b, c in via(gmatch, s, p) do
      n = n + 1
      out[#out + 1] = tostring(a) .. "," .. tostring(b) .. "," .. tostring(c)
      if n > 40 then break end
    end
  end)
  return (ok and "ok" or ("err " .. tostring(err))) .. ":" .. table.concat(out, ";")
end

local subjects = {"", "a", "abc", "aaa", "aaab", "hello world", "  x  ", "a,b,,c", "THE (quick) fox",
  "x(a(b)c)y", "key = value", "1234.5e-3", "a\0b", "\0", "a.b", "[]]^$%", "ab12CD_!?", "\n\t \v\f\r",
  "\128\255\127", "a-b-c", "((()))", "$^", "abcabcabc", "AbC", "%a%%", "a+b?c*"}
local patterns = {"", "a", "b", ".", "..", "a*", "a+", "a-", "a?", "^a", "^", "$", "a$", "^$", "c$", "$c",
  "%a+", "%d+", "%s*", "%w+", "%p", "%c", "%x+", "%u", "%l+", "%z", "%g+", "%A", "%D+", "%S+", "%W",
  "%C", "%G", "%L", "%P", "%U", "%X", "%Z", "%q", "%.", "%%", "%]", "a%-", "%-", "%1", "%0", "%9",
  "[abc]", "[^abc]+", "[a-c]+", "[%a_]+", "[]]", "[^]]", "[a-]", "[-a]", "[%]]", "[", "[a", "[^", "[%",
  "[]", "[^]", "[a-%d]", "[%a-]", "[z-a]", "[\128-\255]+", "[%z]", "%", "a%", "%b()", "%b", "%ba",
  "%b))", "%bab", "%f[%a]%a*", "%f[%A]", "%f[%w]%w+", "%f[%z]", "%f[^%z]", "%f", "%fa", "%f[", "(a)",
  "(a)(b)", "()", "(()a)", "(a*(.)%w(%s*))", "(a)%1", "(%a)%1", "(a)%2", "(a%1)", "()%1", "(a", "a)",
  ")", "(()", "((a)", "(.-)%s", ".-b", ".*b", "(.+)(.+)", "[%d.]+", "a.-c", "^(%w+)", "(%w+)%s*=%s*(%w+)",
  "%s*(%S+)%s*", "x*", "\0", "a\0", "[\0]", ".\0b", "[+-]?%d+", ".-$", "^.-$", "(h)(e)(l)(l)(o)",
  "^*", "*", "a*?", "+", "?", "-", "a**", "^^", "$$", "^(.-)$", "(.)(.)(.)(.)(.)(.)(.)(.)(.)(.)",
  "((((((((((a))))))))))", "(%b())", "%f[%a](%a+)%f[%A]", "()a()", "(.)%1", "(.)(.)%2%1"}
local inits = {false, 1, 2, 0, -1, -2, 3, 4, 10, -10, 2.7, "2"}
for _, s in ipairs(subjects) do
  for _, p in ipairs(patterns) do
    for _, init in ipairs(inits) do
      if init then
        compare("find", s, p, init)
        compare("match", s, p, init)
        compare("find", s, p, init, true)
      else
        compare("find", s, p)
        compare("match", s, p)
      end
    end
    compare("find", s, p, 1, false)
    count = count + 1
    local a, b = all_of(string.gmatch, s, p), all_of(ours.gmatch, s, p)
    if a ~= b and #mismatches < 25 then
      mismatches[#mismatches + 1] = "gmatch(" .. show(s) .. ", " .. show(p) .. "): luajit " .. a .. " / ours " .. b
    end
    for _, r in ipairs({"", "x", "%0", "%1", "[%1]", "<%2>", "%%", "%", "x%", "%a", "%10", 7}) do
      compare("gsub", s, p, r)
    end
    compare("gsub", s, p, "-", 1)
    compare("gsub", s, p, "-", 0)
    compare("gsub", s, p, "-", -1)
    compare("gsub", s, p, "-", 2.5)
    compare("gsub", s, p, function(...) return select("#", ...) .. ":" .. table.concat({...}, ",") end)
    compare("gsub", s, p, function() return nil end)
    compare("gsub", s, p, function() return false end)
    compare("gsub", s, p, function() return 1.5 end)
    compare("gsub", s, p, function() return {} end)
    compare("gsub", s, p, {a = "A", b = false, ["1"] = 1, hello = "bye", [1] = "one"})
    compare("gsub", s, p, setmetatable({}, {__index = function(_, k) return "<" .. tostring(k) .. ">" end}))
    compare("gsub", s, p, {a = true})
  end
end

-- Patterns drawn at random from pieces that combine into every error and quirk.
local pieces = {"a", "b", ".", "%", "(", ")", "[", "]", "^", "-", "*", "+", "?", "$", "%a", "%b", "%f",
  "%1", "%2", "()", "[^", "%]", "ab", "[a-b]"}
local seed = 12345
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n + 1 end
for _ = 1, 3000 do
  local parts = {}
  for j = 1, rnd(7) do parts[j] = pieces[rnd(#pieces)] end
  local p = table.concat(parts)
  for _, s in ipairs({"", "ab", "a(b)a", "[ab]-^$%", "aab%ba"}) do
    compare("find", s, p)
    compare("match", s, p, 2)
    compare("gsub", s, p, "<%0>")
  end
end

-- Depth: the same limit as LuaJIT's, from the same patterns (each matches on
-- its first path when under the limit: a failing one would backtrack for ages).
local long = string.rep("a", 400)
for _, n in ipairs({10, 150, 190, 197, 198, 199, 200, 201, 202, 250, 1000}) do
  compare("find", long, string.rep("a?", n))
  compare("find", long, string.rep("a-", n))
  compare("find", long, string.rep("a*", n) .. "$")
  compare("match", long, string.rep("a+", math.min(n, 3)) .. string.rep("a?", n))
  compare("gsub", long, string.rep("a?", n), "")
  compare("match", long, string.rep("(a)", math.min(n, 40)))
  compare("match", long, string.rep("(a?", math.min(n, 33)) .. string.rep(")", math.min(n, 33)))
end

-- Argument errors and conversions.
compare("find", nil, "x")
compare("find", "x", nil)
compare("find", "x", {})
compare("find", 123, 2)
compare("match", 1.5, "%.")
compare("gsub", "abc", "b", true)
compare("gsub", "abc", "b", nil)
compare("gsub", "abc", "b")
compare("gsub", 123, 2, 9)
compare("gsub", "abc", "b", "x", "1")
compare("gsub", "abc", "b", "x", "z")
compare("find", "abc", "b", "z")
compare("find", "abc", "b", {})
compare("gmatch", "abc")
compare("gmatch", nil, "a")
return count, table.concat(mismatches, "\n")
)lua";

}  // namespace

class StringsDiff : public ::testing::Test {
protected:
    void SetUp() override {
        L = luaL_newstate();
        ASSERT_NE(L, nullptr);
        luaL_openlibs(L);
    }
    void TearDown() override { lua_close(L); }
    lua_State* L = nullptr;
};

namespace {

TEST_F(StringsDiff, FindMatchGmatchGsubGiveWhatLuaJitGives) {
    ASSERT_EQ(luaL_loadbuffer(L, kStringsDiffChunk, std::strlen(kStringsDiffChunk), "=diff"), 0) << lua_tostring(L, -1);
    lua_newtable(L);
    modrt::lua::install_string_matchers(L, -1);
    ASSERT_EQ(lua_pcall(L, 1, 2, 0), 0) << lua_tostring(L, -1);
    EXPECT_GT(lua_tointeger(L, -2), 100000) << "fewer cases ran than written";
    EXPECT_STREQ(lua_tostring(L, -1), "");
}

TEST_F(StringsDiff, PlainFindIsLinear) {
    // find(rep("a", n), rep("a", n/3) .. "b", 1, true): quadratic for a naive search.
    const char* chunk = R"lua(
      local f = ...
      local hay = string.rep("a", 3000000)
      local t = os.clock()
      local r1 = f(hay, string.rep("a", 1000000) .. "b", 1, true)
      local r2 = f(hay, string.rep("a", 1000000) .. "b")  -- no special character: plain too
      local r3, r4 = f(hay .. "b", string.rep("a", 1000000) .. "b", 1, true)
      return r1 == nil and r2 == nil and r3 == 2000001 and r4 == 3000001, os.clock() - t
    )lua";
    ASSERT_EQ(luaL_loadbuffer(L, chunk, std::strlen(chunk), "=plain"), 0) << lua_tostring(L, -1);
    lua_newtable(L);
    modrt::lua::install_string_matchers(L, -1);
    lua_getfield(L, -1, "find");
    lua_remove(L, -2);
    ASSERT_EQ(lua_pcall(L, 1, 2, 0), 0) << lua_tostring(L, -1);
    EXPECT_TRUE(lua_toboolean(L, -2));
    EXPECT_LT(lua_tonumber(L, -1), 2.0) << "seconds of CPU";
}

namespace strings_diff_pat = modrt::lua::pattern;

struct StringsDiffStop {};  // thrown by the interrupt to abandon a match

TEST(StringsPattern, CatastrophicMatchReportsItsStepsAndCanBeStopped) {
    std::string subject(200000, 'a');
    const char* p = ".-.-.-.-.-b";
    unsigned long calls = 0;
    auto interrupt = [](void* ctx, unsigned long steps) {
        auto* n = static_cast<unsigned long*>(ctx);
        EXPECT_GE(steps, strings_diff_pat::kInterruptEvery);
        if (++*n == 50) throw StringsDiffStop{};
    };
    strings_diff_pat::Matcher m(subject.data(), subject.size(), p, std::strlen(p), interrupt, &calls);
    EXPECT_THROW(m.match(subject.data(), p), StringsDiffStop);
    EXPECT_EQ(calls, 50u);
}

TEST(StringsPattern, EveryRepetitionKindCountsSteps) {
    std::string subject(100000, 'a');
    for (const char* p : {"a*a*a*b", "a+a+a+b", "a-a-a-b", "(a*)*b", "%ba(a)a*a*b", ".-%1b", "[a]*.*.*b"}) {
        unsigned long calls = 0;
        auto interrupt = [](void* ctx, unsigned long) {
            if (++*static_cast<unsigned long*>(ctx) == 5) throw StringsDiffStop{};
        };
        strings_diff_pat::Matcher m(subject.data(), subject.size(), p, std::strlen(p), interrupt, &calls);
        try {
            for (const char* s = subject.data(); s <= subject.data() + subject.size(); ++s)
                if (m.match(s, p) != nullptr || m.error() != strings_diff_pat::Error::none) break;
        } catch (const StringsDiffStop&) {
        }
        // Either it ended on its own (an error, a match) or the interrupt stopped it.
        EXPECT_TRUE(calls == 5 || m.error() != strings_diff_pat::Error::none) << p << ": " << calls;
    }
}

TEST(StringsPattern, DeepPatternsAreAnErrorNotACrash) {
    std::string subject(100000, 'a');
    std::string optional;
    for (int i = 0; i < 100000; ++i) optional += "a?";
    std::string nested(300, '(');
    std::string lazy;
    for (int i = 0; i < 5000; ++i) lazy += "a-";
    for (const std::string* p : {&optional, &lazy}) {
        strings_diff_pat::Matcher m(subject.data(), subject.size(), p->data(), p->size());
        EXPECT_EQ(m.match(subject.data(), p->data()), nullptr);
        EXPECT_EQ(m.error(), strings_diff_pat::Error::too_complex);
    }
    strings_diff_pat::Matcher m(subject.data(), subject.size(), nested.data(), nested.size());
    EXPECT_EQ(m.match(subject.data(), nested.data()), nullptr);
    EXPECT_EQ(m.error(), strings_diff_pat::Error::too_many_captures);
    EXPECT_STREQ(strings_diff_pat::message(strings_diff_pat::Error::too_complex), "pattern too complex");
}

}  // namespace
