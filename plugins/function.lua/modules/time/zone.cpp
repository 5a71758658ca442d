// Zone lookups (zone.hpp), after Go's time.Location.lookup and lookupName.
#include "modules/time/zone.hpp"

#include "modules/time/posix_tz.hpp"

#include <algorithm>
#include <utility>

namespace modrt::lua::gotime {

std::shared_ptr<const Zone> fixed_zone(std::string name, int32_t offset) {
    auto zone = std::make_shared<Zone>();
    zone->types.push_back(ZoneType{name, offset, false});
    zone->transitions.push_back(ZoneTransition{kAlpha, 0});
    zone->name = std::move(name);
    return zone;
}

void choose_first_type(Zone& zone) {
    // The type of the times before the first transition: type 0 unless a
    // transition uses it; then the standard-time type before the first one.
    bool first_used = std::any_of(zone.transitions.begin(), zone.transitions.end(),
                                  [](const ZoneTransition& t) { return t.type == 0; });
    zone.first_type = 0;
    if (!first_used) return;
    if (!zone.transitions.empty() && zone.types[zone.transitions.front().type].dst) {
        for (size_t i = zone.transitions.front().type; i-- > 0;) {
            if (!zone.types[i].dst) {
                zone.first_type = i;
                return;
            }
        }
    }
    for (size_t i = 0; i < zone.types.size(); ++i) {
        if (!zone.types[i].dst) {
            zone.first_type = i;
            return;
        }
    }
}

ZoneSpan zone_lookup(const Zone* zone, int64_t unix) noexcept {
    if (zone == nullptr || zone->types.empty()) return ZoneSpan{"UTC", 0, kAlpha, kOmega, false};
    const auto& tx = zone->transitions;
    if (tx.empty() || unix < tx.front().when) {
        const ZoneType& t = zone->types[zone->first_type];
        return ZoneSpan{t.abbrev, t.offset, kAlpha, tx.empty() ? kOmega : tx.front().when, t.dst};
    }
    // The last transition at or before `unix`.
    auto after = std::upper_bound(tx.begin(), tx.end(), unix,
                                  [](int64_t u, const ZoneTransition& t) { return u < t.when; });
    const ZoneTransition& at = *(after - 1);
    const ZoneType& t = zone->types[at.type];
    ZoneSpan span{t.abbrev, t.offset, at.when, after == tx.end() ? kOmega : after->when, t.dst};
    if (after == tx.end() && !zone->rule.empty()) {
        if (auto ruled = posix_tz_lookup(zone->rule, at.when, unix)) return *ruled;
    }
    return span;
}

std::string_view zone_name(const Zone* zone) noexcept {
    if (zone == nullptr) return "UTC";
    return zone->name;
}

std::optional<int32_t> zone_offset_of(const Zone* zone, std::string_view abbrev, int64_t unix) noexcept {
    if (zone == nullptr) {
        if (abbrev == "UTC") return 0;
        return std::nullopt;
    }
    // In Sydney both standard and summer time are "AEST"-like: prefer the one in effect.
    for (const ZoneType& t : zone->types) {
        if (t.abbrev != abbrev) continue;
        ZoneSpan span = zone_lookup(zone, unix - t.offset);
        if (span.abbrev == t.abbrev) return span.offset;
    }
    for (const ZoneType& t : zone->types)
        if (t.abbrev == abbrev) return t.offset;
    return std::nullopt;
}

}  // namespace modrt::lua::gotime
