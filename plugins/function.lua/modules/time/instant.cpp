// Go's Time arithmetic (instant.hpp).
#include "modules/time/instant.hpp"

#include <limits>
#include <utility>

namespace modrt::lua::gotime {
namespace {

__extension__ using Wide = __int128;  // GCC and Clang; __extension__ keeps -Wpedantic quiet

constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();

int64_t saturate(Wide v) noexcept {
    if (v > kMax64) return kMax64;
    if (v < kMin64) return kMin64;
    return static_cast<int64_t>(v);
}

// Go's norm: carry lo's overflow of [0, base) into hi.
void norm(Wide& hi, Wide& lo, Wide base) noexcept {
    if (lo < 0) {
        Wide n = (-lo - 1) / base + 1;
        hi -= n;
        lo += n * base;
    }
    if (lo >= base) {
        Wide n = lo / base;
        hi += n;
        lo -= n * base;
    }
}

// Nanoseconds since the zero time (year 1), the base of Round and Truncate.
Wide since_zero(const Instant& t) noexcept { return (Wide{t.sec} - kZeroTimeUnix) * kNanosPerSecond + t.nsec; }

Instant without_mono(Instant t) noexcept {
    t.mono = 0;
    return t;
}

}  // namespace

Instant unix_instant(int64_t sec, int64_t nsec, std::shared_ptr<const Zone> zone) {
    if (nsec < 0 || nsec >= kNanosPerSecond) {
        int64_t n = nsec / kNanosPerSecond;
        sec += n;
        nsec -= n * kNanosPerSecond;
        if (nsec < 0) {
            nsec += kNanosPerSecond;
            --sec;
        }
    }
    return Instant{sec, static_cast<int32_t>(nsec), 0, std::move(zone)};
}

Broken broken_down(const Instant& t) noexcept {
    ZoneSpan span = zone_lookup(t.zone.get(), t.sec);
    const int64_t local = t.sec + span.offset;
    const int64_t days = floor_div(local, kSecondsPerDay);
    const int64_t secs = local - days * kSecondsPerDay;
    CivilDate d = civil_from_days(days);
    Broken b{};
    b.year = d.year;
    b.month = d.month;
    b.day = d.day;
    b.yday = static_cast<int>(days - days_from_civil(d.year, 1, 1)) + 1;
    b.weekday = weekday_from_days(days);
    b.hour = static_cast<int>(secs / 3600);
    b.minute = static_cast<int>(secs % 3600 / 60);
    b.second = static_cast<int>(secs % 60);
    b.nsec = t.nsec;
    b.abbrev = span.abbrev;
    b.offset = span.offset;
    return b;
}

std::optional<Instant> date_instant(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t minute,
                                    int64_t second, int64_t nsec, std::shared_ptr<const Zone> zone) {
    Wide y = year, m = Wide{month} - 1, d = day, h = hour, mi = minute, s = second, ns = nsec;
    norm(y, m, 12);
    norm(s, ns, kNanosPerSecond);
    norm(mi, s, 60);
    norm(h, mi, 60);
    norm(d, h, 24);
    // Years beyond ±2^40 are far outside int64 seconds; refuse before the calendar math.
    constexpr Wide kYearLimit = Wide{1} << 40;
    if (y > kYearLimit || y < -kYearLimit) return std::nullopt;
    Wide days = Wide{days_from_civil(static_cast<int64_t>(y), static_cast<int>(m) + 1, 1)} + d - 1;
    Wide unix = days * kSecondsPerDay + h * 3600 + mi * 60 + s;
    if (unix > kMax64 || unix < kMin64) return std::nullopt;
    int64_t local = static_cast<int64_t>(unix);
    // `local` is the wall clock read as UTC: find the offset in effect, checking that it
    // still holds at the adjusted instant (a guess near a transition may be off by one).
    const Zone* z = zone.get();
    ZoneSpan span = zone_lookup(z, local);
    int64_t offset = span.offset;
    if (offset != 0) {
        int64_t utc = local - offset;
        if (utc < span.start || utc >= span.end) offset = zone_lookup(z, utc).offset;
        if ((offset > 0 && local < kMin64 + offset) || (offset < 0 && local > kMax64 + offset)) return std::nullopt;
        local -= offset;
    }
    return Instant{local, static_cast<int32_t>(ns), 0, std::move(zone)};
}

Instant add(const Instant& t, int64_t d) noexcept {
    Instant r = t;
    int64_t dsec = d / kNanosPerSecond;
    int64_t nsec = t.nsec + d % kNanosPerSecond;
    if (nsec >= kNanosPerSecond) {
        ++dsec;
        nsec -= kNanosPerSecond;
    } else if (nsec < 0) {
        --dsec;
        nsec += kNanosPerSecond;
    }
    r.sec = saturate(Wide{t.sec} + dsec);
    r.nsec = static_cast<int32_t>(nsec);
    if (r.mono != 0) {
        Wide m = Wide{r.mono} + d;
        r.mono = m > kMax64 || m < kMin64 ? 0 : static_cast<int64_t>(m);  // Go strips a reading that overflows
    }
    return r;
}

int64_t sub(const Instant& t, const Instant& u) noexcept {
    if (t.mono != 0 && u.mono != 0) return saturate(Wide{t.mono} - u.mono);
    return saturate((Wide{t.sec} - u.sec) * kNanosPerSecond + (t.nsec - u.nsec));
}

std::optional<Instant> add_date(const Instant& t, int64_t years, int64_t months, int64_t days) {
    Broken b = broken_down(t);
    return date_instant(saturate(Wide{b.year} + years), saturate(Wide{b.month} + months), saturate(Wide{b.day} + days),
                        b.hour, b.minute, b.second, b.nsec, t.zone);
}

bool before(const Instant& t, const Instant& u) noexcept {
    if (t.mono != 0 && u.mono != 0) return t.mono < u.mono;
    return t.sec < u.sec || (t.sec == u.sec && t.nsec < u.nsec);
}

bool after(const Instant& t, const Instant& u) noexcept { return before(u, t); }

bool equal(const Instant& t, const Instant& u) noexcept {
    if (t.mono != 0 && u.mono != 0) return t.mono == u.mono;
    return t.sec == u.sec && t.nsec == u.nsec;
}

Instant truncate(const Instant& t, int64_t d) noexcept {
    Instant r = without_mono(t);
    if (d <= 0) return r;
    Wide rem = since_zero(r) % d;
    if (rem < 0) rem += d;
    return add(r, -static_cast<int64_t>(rem));
}

Instant round(const Instant& t, int64_t d) noexcept {
    Instant r = without_mono(t);
    if (d <= 0) return r;
    Wide rem = since_zero(r) % d;
    if (rem < 0) rem += d;
    if (rem + rem < d) return add(r, -static_cast<int64_t>(rem));  // halfway rounds up, as Go's
    return add(r, static_cast<int64_t>(d - rem));
}

bool is_zero(const Instant& t) noexcept { return t.sec == kZeroTimeUnix && t.nsec == 0; }

int64_t unix_nano(const Instant& t) noexcept {
    return static_cast<int64_t>(static_cast<uint64_t>(t.sec) * kNanosPerSecond + static_cast<uint64_t>(t.nsec));
}

}  // namespace modrt::lua::gotime
