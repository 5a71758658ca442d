// Entries of kinds no plugin serves (unknown_kinds.hpp).
#include "binding/unknown_kinds.hpp"

#include <algorithm>
#include <numeric>

namespace modrt::kernel {

namespace {

// Levenshtein distance, cut off above `limit` (kind names are short).
size_t edit_distance(std::string_view a, std::string_view b, size_t limit) {
    if ((a.size() > b.size() ? a.size() - b.size() : b.size() - a.size()) > limit) return limit + 1;
    std::vector<size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), size_t{0});
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

UnknownKind classify_unknown_kind(std::string_view kind, const std::vector<std::string>& provided, bool some_refused) {
    constexpr size_t kTypoDistance = 2;
    UnknownKind out;
    size_t best = kTypoDistance + 1;
    for (const auto& name : provided) {
        size_t d = edit_distance(kind, name, kTypoDistance);
        if (d < best) {
            best = d;
            out.suggestion = name;
        }
    }
    out.skip = best > kTypoDistance && !kind.starts_with("function.") && !some_refused;
    return out;
}

std::string skipped_entries_text(const std::vector<std::pair<std::string, std::string>>& skipped) {
    std::vector<std::string> kinds;  // in first-seen order
    for (const auto& [kind, id] : skipped)
        if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);
    std::string text = "skipped " + std::to_string(skipped.size()) + (skipped.size() == 1 ? " entry" : " entries") +
                       " of kinds no plugin serves (calling one fails):";
    for (size_t k = 0; k < kinds.size(); ++k) {
        text += (k == 0 ? " " : ", ") + kinds[k] + " (";
        bool first = true;
        for (const auto& [kind, id] : skipped)
            if (kind == kinds[k]) {
                text += (first ? "" : ", ") + id;
                first = false;
            }
        text += ")";
    }
    return text;
}

}  // namespace modrt::kernel
