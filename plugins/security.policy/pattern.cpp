// Wildcard patterns (pattern.hpp).
#include "pattern.hpp"

namespace modrt::security {

Pattern::Pattern(std::string_view text) : text_(text) {
    std::string_view rest = text_;
    leading_star_ = rest.starts_with('*');
    trailing_star_ = rest.ends_with('*');
    size_t start = 0;
    while (start <= rest.size()) {
        size_t star = rest.find('*', start);
        std::string_view part = rest.substr(start,
                                            star == std::string_view::npos ? std::string_view::npos : star - start);
        if (!part.empty()) parts_.emplace_back(part);
        if (star == std::string_view::npos) break;
        start = star + 1;
    }
}

bool Pattern::matches(std::string_view s) const noexcept {
    if (parts_.empty()) return leading_star_ || s.empty();  // "*", "**" or ""
    size_t first = 0, last = parts_.size();
    // Anchored ends first; the parts between them are found left to right, which is
    // enough for '*'-only patterns (a greedy earliest match never blocks a later part).
    if (!leading_star_) {
        if (!s.starts_with(parts_[0])) return false;
        s.remove_prefix(parts_[0].size());
        first = 1;
    }
    if (!trailing_star_ && last > first) {
        if (!s.ends_with(parts_[last - 1])) return false;
        s.remove_suffix(parts_[last - 1].size());
        --last;
    } else if (!trailing_star_ && last == first) {
        return s.empty();  // one part, anchored at the start, consumed
    }
    for (size_t i = first; i < last; ++i) {
        size_t at = s.find(parts_[i]);
        if (at == std::string_view::npos) return false;
        s.remove_prefix(at + parts_[i].size());
    }
    return true;
}

void PatternSet::add(std::string_view text) {
    if (text == "*") any_ = true;
    else patterns_.emplace_back(text);
}

bool PatternSet::matches(std::string_view s) const noexcept {
    if (any_) return true;
    for (const auto& p : patterns_)
        if (p.matches(s)) return true;
    return false;
}

}  // namespace modrt::security
