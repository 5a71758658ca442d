// Checks on a plugin file made before anything opens it: is it an ELF shared object for
// this machine, and can only its owner (you or root) have put it there.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <string>

namespace modrt::kernel {

/// What the ELF header of a would-be plugin says.
struct ElfFacts {
    std::string refused;   // why it cannot be a shared library for this process, or ""
    std::string build_id;  // the linker's NT_GNU_BUILD_ID note in hex, "" when absent
};

/// Read the ELF header (and build-id note) of `file` without loading it.
ElfFacts inspect_elf(const std::filesystem::path& file);

/// Ownership and mode checks in the spirit of sshd's StrictModes: a plugin file and every
/// directory above it must be owned by the current user or root and not be writable by
/// group or others (a root- or self-owned sticky directory such as /tmp is fine: others
/// can add entries to it but not replace ours). Verdicts on directories are cached, so one
/// instance serves a whole scan.
class PluginPathTrust {
public:
    /// Why `file` (a plugin, or a manifest or index beside one) is not to be trusted, or "".
    /// `file_stat`, when given, receives the file's stat (that of a symlink's target).
    std::string check_file(const std::filesystem::path& file, struct stat* file_stat = nullptr);
    /// Why directory `dir` or one above it is not to be trusted, or "".
    std::string check_directory(const std::filesystem::path& dir);

private:
    /// `dir` with every symlink resolved (cached: a scan asks once per file); "" or why it cannot be.
    std::string real_directory(const std::filesystem::path& dir, std::filesystem::path& real);

    std::map<std::filesystem::path, std::string> dirs_;                 // canonical directory -> verdict
    std::map<std::filesystem::path, std::filesystem::path> real_dirs_;  // directory as given -> canonical
};

/// How to switch the permission checks to warnings (for development trees on shared machines).
inline constexpr const char* kUnsafePluginPathEnv = "MODRT_ALLOW_UNSAFE_PLUGIN_PATH";

}  // namespace modrt::kernel
