// Which sanitizer a test binary is built with: some bounds are wall-clock, and
// ThreadSanitizer runs this code 5-15x slower (deep native recursion most of all).
#pragma once

namespace modrt::test {

#if defined(__SANITIZE_THREAD__)
inline constexpr bool kUnderTsan = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
inline constexpr bool kUnderTsan = true;
#else
inline constexpr bool kUnderTsan = false;
#endif
#else
inline constexpr bool kUnderTsan = false;
#endif

/// Multiply wall-clock bounds by this: 1 in plain and ASan builds, 8 under TSan.
inline constexpr int kTimeScale = kUnderTsan ? 8 : 1;

}  // namespace modrt::test
