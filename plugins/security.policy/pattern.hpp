// Action and resource patterns of a policy: "*" matches anything, and '*'
// inside a pattern matches any run of characters ("*.read", "document:*").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace modrt::security {

/// One pattern, split at its stars so matching never allocates.
class Pattern {
public:
    explicit Pattern(std::string_view text);
    bool matches(std::string_view s) const noexcept;
    const std::string& text() const noexcept { return text_; }

private:
    std::string text_;
    std::vector<std::string> parts_;  // the text between stars
    bool leading_star_ = false;
    bool trailing_star_ = false;
};

/// A policy's `actions` or `resources`: any of its patterns matching is a match.
class PatternSet {
public:
    void add(std::string_view text);
    bool matches(std::string_view s) const noexcept;
    bool empty() const noexcept { return patterns_.empty() && !any_; }

private:
    std::vector<Pattern> patterns_;
    bool any_ = false;  // a bare "*"
};

}  // namespace modrt::security
