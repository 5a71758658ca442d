// Entries of kinds no plugin serves. A real project folder (Wippy's, say) mixes function
// entries with kinds served elsewhere (processes, terminals, databases): those entries are
// skipped, listed once per load, and fail only when something calls them. What is more
// likely a mistake stays a registry error:
//   - a `function.*` kind: a function modrt cannot run is never someone else's to serve;
//   - a name within two edits of one a plugin provides (a typo: "did you mean ...?");
//   - any name while a plugin on the path is refused: it may be the one that provides it
//     (a refused file's names are not always known), and the catalog says why it was refused.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace modrt::kernel {

/// What to do with an entry of `kind` when no usable plugin provides it.
struct UnknownKind {
    bool skip = false;       // true: skip the entry; false: a registry error
    std::string suggestion;  // a provided name close to `kind` ("" when none)
};

/// Decide for `kind`, knowing every name the plugins on the path provide (refused ones too)
/// and whether any plugin on the path was refused.
UnknownKind classify_unknown_kind(std::string_view kind, const std::vector<std::string>& provided, bool some_refused);

/// One log line for the entries a load skipped: "skipped 2 entries of kinds no plugin
/// serves: process.lua (app:worker, app:cron), terminal.host (app:term)". `skipped` holds
/// (kind, id) pairs in declaration order.
std::string skipped_entries_text(const std::vector<std::pair<std::string, std::string>>& skipped);

}  // namespace modrt::kernel
