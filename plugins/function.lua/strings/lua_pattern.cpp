// The pattern matcher (lua_pattern.hpp).
//
// A backtracking matcher over the pattern text, no compilation step: errors in
// a part of the pattern the match never reaches are not reported, as in
// LuaJIT (string.find("b", "a%") is nil, not an error). Every nested level
// (an optional item, a repetition trying its continuations, a capture) is one
// recursive call counted against kMaxDepth, the same levels LuaJIT counts, so
// "pattern too complex" is raised for the same patterns.
#include "strings/lua_pattern.hpp"

#include <cstring>

namespace modrt::lua::pattern {
namespace {

// Character classes on ASCII, independent of the C locale (as LuaJIT's lj_char).
bool is_lower(unsigned c) { return c - 'a' < 26; }
bool is_upper(unsigned c) { return c - 'A' < 26; }
bool is_alpha(unsigned c) { return is_lower(c) || is_upper(c); }
bool is_digit(unsigned c) { return c - '0' < 10; }
bool is_space(unsigned c) { return c == ' ' || c - '\t' < 5; }
bool is_cntrl(unsigned c) { return c < 32 || c == 127; }
bool is_graph(unsigned c) { return c - 33 < 94; }
bool is_punct(unsigned c) { return is_graph(c) && !is_alpha(c) && !is_digit(c); }
bool is_xdigit(unsigned c) { return is_digit(c) || (c | 0x20) - 'a' < 6; }

// Whether c is in the class named by the letter after '%'; any other character
// stands for itself. An upper-case class letter is the complement.
bool in_class(unsigned char c, unsigned char letter) {
    bool in;
    switch (letter | 0x20) {
        case 'a': in = is_alpha(c); break;
        case 'c': in = is_cntrl(c); break;
        case 'd': in = is_digit(c); break;
        case 'g': in = is_graph(c); break;
        case 'l': in = is_lower(c); break;
        case 'p': in = is_punct(c); break;
        case 's': in = is_space(c); break;
        case 'u': in = is_upper(c); break;
        case 'w': in = is_alpha(c) || is_digit(c); break;
        case 'x': in = is_xdigit(c); break;
        case 'z': in = c == 0; break;
        default: return letter == c;
    }
    return is_upper(letter) ? !in : in;
}

}  // namespace

const char* message(Error e) noexcept {
    switch (e) {
        case Error::none: return "no error";
        case Error::ends_with_percent: return "malformed pattern (ends with '%')";
        case Error::missing_bracket: return "malformed pattern (missing ']')";
        case Error::unbalanced: return "unbalanced pattern";
        case Error::frontier_bracket: return "missing '[' after '%f' in pattern";
        case Error::invalid_capture_index: return "invalid capture index";
        case Error::invalid_pattern_capture: return "invalid pattern capture";
        case Error::too_many_captures: return "too many captures";
        case Error::too_complex: return "pattern too complex";
    }
    return "malformed pattern";
}

Matcher::Matcher(const char* subject, std::size_t subject_len, const char* pattern, std::size_t pattern_len,
                 Interrupt interrupt, void* ctx) noexcept
    : src_(subject), src_end_(subject + subject_len), interrupt_(interrupt), ctx_(ctx) {
    const void* nul = std::memchr(pattern, '\0', pattern_len);
    p_end_ = nul != nullptr ? static_cast<const char*>(nul) : pattern + pattern_len;
}

void Matcher::flush() {
    unsigned long done = steps_;
    steps_ = 0;
    if (interrupt_ != nullptr) interrupt_(ctx_, done);
}

const char* Matcher::match(const char* s, const char* p) {
    level_ = 0;
    depth_ = 0;
    return recurse(s, p);
}

const char* Matcher::recurse(const char* s, const char* p) {
    if (++depth_ > kMaxDepth) return fail(Error::too_complex);
    const char* r = do_match(s, p);
    --depth_;
    return r;
}

// Past the single-character class at p (p < p_end_): a character, %x, or a [set].
const char* Matcher::class_end(const char* p) {
    char c = *p++;
    if (c == '%') {
        if (p >= p_end_) return fail(Error::ends_with_percent);
        return p + 1;
    }
    if (c != '[') return p;
    if (at(p) == '^') ++p;
    // The first character of a set is never its end: "[]]" and "[^]]" hold ']'.
    do {
        if (p >= p_end_) return fail(Error::missing_bracket);
        if (*p++ == '%' && p < p_end_) ++p;
    } while (at(p) != ']');
    return p + 1;
}

// Whether c is in the set from p ('[') to close (its ']').
bool Matcher::in_set(unsigned char c, const char* p, const char* close) const noexcept {
    bool positive = true;
    ++p;
    if (*p == '^') {
        positive = false;
        ++p;
    }
    for (; p < close; ++p) {
        if (*p == '%') {
            ++p;
            if (in_class(c, static_cast<unsigned char>(*p))) return positive;
        } else if (p[1] == '-' && p + 2 < close) {
            if (static_cast<unsigned char>(p[0]) <= c && c <= static_cast<unsigned char>(p[2])) return positive;
            p += 2;
        } else if (static_cast<unsigned char>(*p) == c) {
            return positive;
        }
    }
    return !positive;
}

// Whether c matches the class from p to ep.
bool Matcher::single(unsigned char c, const char* p, const char* ep) const noexcept {
    switch (*p) {
        case '.': return true;
        case '%': return in_class(c, static_cast<unsigned char>(p[1]));
        case '[': return in_set(c, p, ep - 1);
        default: return static_cast<unsigned char>(*p) == c;
    }
}

// Longest run first, then shorter ones, each followed by the rest of the pattern.
const char* Matcher::max_expand(const char* s, const char* p, const char* ep) {
    std::size_t n = 0;
    while (s + n < src_end_ && single(static_cast<unsigned char>(s[n]), p, ep)) {
        ++n;
        step();
    }
    for (;;) {
        if (const char* r = recurse(s + n, ep + 1)) return r;
        if (error_ != Error::none || n == 0) return nullptr;
        --n;
        step();
    }
}

// Shortest run first, growing one character at a time.
const char* Matcher::min_expand(const char* s, const char* p, const char* ep) {
    for (;;) {
        if (const char* r = recurse(s, ep + 1)) return r;
        if (error_ != Error::none) return nullptr;
        if (s >= src_end_ || !single(static_cast<unsigned char>(*s), p, ep)) return nullptr;
        ++s;
        step();
    }
}

const char* Matcher::open_capture(const char* s, const char* p, std::ptrdiff_t what) {
    if (level_ >= kMaxCaptures) return fail(Error::too_many_captures);
    captures_[level_] = {s, what};
    ++level_;
    const char* r = recurse(s, p);
    if (r == nullptr) --level_;
    return r;
}

const char* Matcher::close_capture(const char* s, const char* p) {
    int open = level_ - 1;
    while (open >= 0 && captures_[open].len != kUnfinished) --open;
    if (open < 0) return fail(Error::invalid_pattern_capture);
    captures_[open].len = s - captures_[open].init;
    const char* r = recurse(s, p);
    if (r == nullptr) captures_[open].len = kUnfinished;
    return r;
}

// %bxy at s (p points at x): from an x to its matching y.
const char* Matcher::balance(const char* s, const char* p) {
    if (p >= p_end_ || p + 1 >= p_end_) return fail(Error::unbalanced);
    if (s >= src_end_ || *s != *p) return nullptr;
    const char open = p[0];
    const char close = p[1];
    int depth = 1;
    while (++s < src_end_) {
        step();
        if (*s == close) {
            if (--depth == 0) return s + 1;
        } else if (*s == open) {
            ++depth;
        }
    }
    return nullptr;
}

// %1-%9: the text of an earlier closed capture, again.
const char* Matcher::back_reference(const char* s, char digit) {
    int i = digit - '1';
    if (i < 0 || i >= level_ || captures_[i].len == kUnfinished) return fail(Error::invalid_capture_index);
    std::ptrdiff_t len = captures_[i].len;
    // A position capture repeats nothing LuaJIT can find: it never matches.
    if (len < 0 || src_end_ - s < len) return nullptr;
    steps_ += static_cast<unsigned long>(len) >> 6;
    step();
    return std::memcmp(captures_[i].init, s, static_cast<std::size_t>(len)) == 0 ? s + len : nullptr;
}

const char* Matcher::do_match(const char* s, const char* p) {
    for (;;) {
        step();
        if (p >= p_end_) return s;
        switch (*p) {
            case '(':
                if (at(p + 1) == ')') return open_capture(s, p + 2, kPosition);
                return open_capture(s, p + 1, kUnfinished);
            case ')': return close_capture(s, p + 1);
            case '$':
                if (p + 1 == p_end_) return s == src_end_ ? s : nullptr;
                break;  // a '$' elsewhere is itself
            case '%': {
                char next = at(p + 1);
                if (next == 'b') {
                    s = balance(s, p + 2);
                    if (s == nullptr) return nullptr;
                    p += 4;
                    continue;
                }
                if (next == 'f') {
                    p += 2;
                    if (at(p) != '[') return fail(Error::frontier_bracket);
                    const char* ep = class_end(p);
                    if (ep == nullptr) return nullptr;
                    // Before the subject and past its end the character is NUL.
                    auto before = static_cast<unsigned char>(s == src_ ? '\0' : s[-1]);
                    auto here = static_cast<unsigned char>(s < src_end_ ? *s : '\0');
                    if (in_set(before, p, ep - 1) || !in_set(here, p, ep - 1)) return nullptr;
                    p = ep;
                    continue;
                }
                if (is_digit(static_cast<unsigned char>(next))) {
                    s = back_reference(s, next);
                    if (s == nullptr) return nullptr;
                    p += 2;
                    continue;
                }
                break;  // a class such as %a
            }
            default: break;
        }
        // One single-character class, perhaps with a repetition after it.
        const char* ep = class_end(p);
        if (ep == nullptr) return nullptr;
        bool hit = s < src_end_ && single(static_cast<unsigned char>(*s), p, ep);
        switch (at(ep)) {
            case '?':
                if (hit) {
                    if (const char* r = recurse(s + 1, ep + 1)) return r;
                    if (error_ != Error::none) return nullptr;
                }
                p = ep + 1;
                continue;
            case '*': return max_expand(s, p, ep);
            case '+': return hit ? max_expand(s + 1, p, ep) : nullptr;
            case '-': return min_expand(s, p, ep);
            default:
                if (!hit) return nullptr;
                ++s;
                p = ep;
                continue;
        }
    }
}

}  // namespace modrt::lua::pattern
