// Which sanitizer a test binary is built with: some bounds are wall-clock, and
// ThreadSanitizer runs this code 5-15x slower (deep native recursion most of all);
// the ASan+UBSan suite is built at -O0 and runs CPU-bound code 3-5x slower.
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

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kUnderAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kUnderAsan = true;
#else
inline constexpr bool kUnderAsan = false;
#endif
#else
inline constexpr bool kUnderAsan = false;
#endif

/// Multiply wall-clock bounds by this: 1 in plain builds, 4 under ASan (-O0), 8 under TSan.
inline constexpr int kTimeScale = kUnderTsan ? 8 : kUnderAsan ? 4 : 1;

}  // namespace modrt::test
