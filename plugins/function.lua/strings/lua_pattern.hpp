// modrt's Lua 5.1 pattern matcher: the engine behind the sandbox's string.find,
// match, gmatch and gsub (lua_strings.hpp), with no Lua API inside.
//
// Written from the Lua 5.1 manual's description of patterns (section 5.4.1)
// and checked case by case against LuaJIT's string library
// (tests/function.lua/lua_strings_diff_test.cpp), quirks included: the pattern ends at
// its first NUL byte, `^` anchors only where the caller says, `$` only at the
// end. What LuaJIT's matcher lacks: it counts its steps and calls `Interrupt`
// every kInterruptEvery steps, so a backtracking match that would run for
// minutes can be canceled (the callback may raise a Lua error: the matcher's
// frames hold nothing to clean up). Its recursion is bounded by kMaxDepth,
// LuaJIT's own limit ("pattern too complex").
#pragma once

#include <cstddef>

namespace modrt::lua::pattern {

inline constexpr int kMaxCaptures = 32;                      ///< Lua's LUA_MAXCAPTURES ("too many captures")
inline constexpr int kMaxDepth = 200;                        ///< nested match levels, as LuaJIT ("pattern too complex")
inline constexpr unsigned long kInterruptEvery = 1ul << 16;  ///< steps between two Interrupt calls

enum class Error : unsigned char {
    none,
    ends_with_percent,        ///< malformed pattern (ends with '%')
    missing_bracket,          ///< malformed pattern (missing ']')
    unbalanced,               ///< %b without its two characters
    frontier_bracket,         ///< %f not followed by a set
    invalid_capture_index,    ///< %0, or %n of a capture that is not closed or does not exist
    invalid_pattern_capture,  ///< ')' with no open capture
    too_many_captures,
    too_complex,  ///< more than kMaxDepth nested levels
};

/// The message LuaJIT gives for `e` (no position prefix).
const char* message(Error e) noexcept;

/// Called with the steps done since the last call; may raise out of the match.
using Interrupt = void (*)(void* ctx, unsigned long steps);

inline constexpr std::ptrdiff_t kUnfinished = -1;  ///< Capture::len of a capture still open
inline constexpr std::ptrdiff_t kPosition = -2;    ///< Capture::len of a position capture `()`

struct Capture {
    const char* init;
    std::ptrdiff_t len;  ///< bytes, or kUnfinished / kPosition
};

class Matcher {
public:
    /// Neither string is copied: both must outlive the matcher.
    Matcher(const char* subject, std::size_t subject_len, const char* pattern, std::size_t pattern_len,
            Interrupt interrupt = nullptr, void* ctx = nullptr) noexcept;

    /// Match the pattern from `p` (a pointer into it: past a `^` anchor, say) at
    /// subject position `s`, after clearing the captures of an earlier attempt.
    /// Returns the end of the match, or nullptr when it fails or error() is set.
    const char* match(const char* s, const char* p);

    Error error() const noexcept { return error_; }
    int level() const noexcept { return level_; }
    const Capture& capture(int i) const noexcept { return captures_[i]; }
    const char* subject() const noexcept { return src_; }
    const char* subject_end() const noexcept { return src_end_; }
    /// Where the pattern ends for matching: its first NUL byte, or its end.
    const char* pattern_end() const noexcept { return p_end_; }

private:
    const char* do_match(const char* s, const char* p);
    const char* recurse(const char* s, const char* p);
    const char* class_end(const char* p);
    bool single(unsigned char c, const char* p, const char* ep) const noexcept;
    bool in_set(unsigned char c, const char* p, const char* close) const noexcept;
    const char* max_expand(const char* s, const char* p, const char* ep);
    const char* min_expand(const char* s, const char* p, const char* ep);
    const char* open_capture(const char* s, const char* p, std::ptrdiff_t what);
    const char* close_capture(const char* s, const char* p);
    const char* balance(const char* s, const char* p);
    const char* back_reference(const char* s, char digit);
    const char* fail(Error e) noexcept {
        error_ = e;
        return nullptr;
    }
    /// The pattern's byte at q, NUL at or past its end (patterns read as C strings).
    char at(const char* q) const noexcept { return q < p_end_ ? *q : '\0'; }
    void step() {
        if (++steps_ >= kInterruptEvery) flush();
    }
    void flush();

    const char* src_;
    const char* src_end_;
    const char* p_end_;
    Interrupt interrupt_;
    void* ctx_;
    unsigned long steps_ = 0;
    int depth_ = 0;
    int level_ = 0;
    Error error_ = Error::none;
    Capture captures_[kMaxCaptures];
};

}  // namespace modrt::lua::pattern
