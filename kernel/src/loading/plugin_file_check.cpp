#include "loading/plugin_file_check.hpp"

#include <array>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <elf.h>
#include <fstream>
#include <link.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace modrt::kernel {

namespace fs = std::filesystem;

namespace {

// -- ELF ---------------------------------------------------------------------

#if defined(__x86_64__)
constexpr unsigned kHostMachine = EM_X86_64;
#elif defined(__i386__)
constexpr unsigned kHostMachine = EM_386;
#elif defined(__aarch64__)
constexpr unsigned kHostMachine = EM_AARCH64;
#elif defined(__arm__)
constexpr unsigned kHostMachine = EM_ARM;
#elif defined(__riscv)
constexpr unsigned kHostMachine = EM_RISCV;
#elif defined(__powerpc64__)
constexpr unsigned kHostMachine = EM_PPC64;
#elif defined(__powerpc__)
constexpr unsigned kHostMachine = EM_PPC;
#elif defined(__s390__)
constexpr unsigned kHostMachine = EM_S390;
#elif defined(__mips__)
constexpr unsigned kHostMachine = EM_MIPS;
#elif defined(__loongarch__)
constexpr unsigned kHostMachine = 258;  // EM_LOONGARCH (older elf.h lacks the name)
#else
constexpr unsigned kHostMachine = 0;  // unknown: the machine is left to the dynamic loader
#endif

std::string machine_name(unsigned machine) {
    switch (machine) {
        case EM_386: return "i386";
        case EM_X86_64: return "x86_64";
        case EM_AARCH64: return "aarch64";
        case EM_ARM: return "arm";
        case EM_RISCV: return "riscv";
        case EM_PPC: return "ppc";
        case EM_PPC64: return "ppc64";
        case EM_S390: return "s390";
        case EM_MIPS: return "mips";
        case EM_SPARC: return "sparc";
        case EM_SPARCV9: return "sparc64";
        case EM_IA_64: return "ia64";
        case 258: return "loongarch";
    }
    return "";
}

std::string machine_text(unsigned machine) {
    std::string name = machine_name(machine);
    return (name.empty() ? "an unknown machine" : name) + " (ELF machine " + std::to_string(machine) + ")";
}

std::string type_text(unsigned type) {
    switch (type) {
        case ET_EXEC: return "an ELF executable";
        case ET_REL: return "an ELF object file (.o)";
        case ET_CORE: return "an ELF core dump";
    }
    return "an ELF file of type " + std::to_string(type);
}

constexpr unsigned char kHostClass = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;
constexpr unsigned char kHostData = std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB;
constexpr const char* kNotElf = "not an ELF shared library";

// A hostile file must not make us read much: bounds on what the build-id search reads.
constexpr size_t kMaxProgramHeaders = 1024;
constexpr size_t kMaxNoteBytes = 64 * 1024;

bool read_at(std::ifstream& in, uint64_t offset, void* out, size_t size) {
    in.clear();
    in.seekg(static_cast<std::streamoff>(offset));
    return in && in.read(static_cast<char*>(out), static_cast<std::streamsize>(size)) &&
           static_cast<size_t>(in.gcount()) == size;
}

std::string hex(const unsigned char* bytes, size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < size; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 15];
    }
    return out;
}

/// The GNU build-id note among the PT_NOTE segments, or "".
std::string find_build_id(std::ifstream& in, const ElfW(Ehdr) & header) {
    if (header.e_phentsize != sizeof(ElfW(Phdr)) || header.e_phnum == 0 || header.e_phnum > kMaxProgramHeaders)
        return "";
    std::vector<ElfW(Phdr)> phdrs(header.e_phnum);
    if (!read_at(in, header.e_phoff, phdrs.data(), phdrs.size() * sizeof(ElfW(Phdr)))) return "";
    for (const auto& ph : phdrs) {
        if (ph.p_type != PT_NOTE || ph.p_filesz == 0 || ph.p_filesz > kMaxNoteBytes) continue;
        std::vector<unsigned char> notes(ph.p_filesz);
        if (!read_at(in, ph.p_offset, notes.data(), notes.size())) continue;
        size_t at = 0;
        auto align4 = [](size_t n) { return (n + 3) & ~size_t{3}; };
        while (at + sizeof(ElfW(Nhdr)) <= notes.size()) {
            ElfW(Nhdr) note;
            std::memcpy(&note, notes.data() + at, sizeof note);
            size_t name_at = at + sizeof note;
            size_t desc_at = name_at + align4(note.n_namesz);
            size_t end = desc_at + align4(note.n_descsz);
            if (note.n_namesz > notes.size() || note.n_descsz > notes.size() || end > notes.size()) break;
            if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
                std::memcmp(notes.data() + name_at, "GNU", 4) == 0 && note.n_descsz > 0)
                return hex(notes.data() + desc_at, note.n_descsz);
            at = end;
        }
    }
    return "";
}

// -- ownership and modes -----------------------------------------------------

std::string mode_text(mode_t mode) {
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "%04o", static_cast<unsigned>(mode & 07777));
    return buf.data();
}

std::string user_text(uid_t uid) {
    std::string out = "uid " + std::to_string(uid);
    std::array<char, 4096> buf{};
    passwd pw{};
    passwd* found = nullptr;
    if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr && found->pw_name != nullptr)
        out += " (" + std::string(found->pw_name) + ")";
    return out;
}

std::string override_hint() {
    return std::string(" (for a development tree only, ") + kUnsafePluginPathEnv + "=1 makes this a warning)";
}

/// Why a file or directory with these owner and mode bits cannot be trusted, or "".
std::string verdict(const fs::path& path, const struct stat& st, bool directory) {
    const std::string what = (directory ? "directory " : "file ") + path.string();
    const std::string consequence = directory ? "could replace the plugins in it"
                                              : "could replace the code modrt would run";
    const uid_t me = geteuid();
    if (st.st_uid != me && st.st_uid != 0)
        return what + " is owned by " + user_text(st.st_uid) + ", neither you (" + user_text(me) +
               ") nor root: that user " + consequence + "; fix: chown it to yourself or root, or use a plugin " +
               "directory you own" + override_hint();
    const mode_t writable = st.st_mode & (S_IWGRP | S_IWOTH);
    if (writable == 0) return "";
    // A sticky directory lets others add entries but not rename or remove ours (like /tmp).
    if (directory && (st.st_mode & S_ISVTX) != 0) return "";
    const std::string who = writable == (S_IWGRP | S_IWOTH) ? "group and others"
                            : writable == S_IWGRP           ? "its group"
                                                            : "others";
    return what + " is writable by " + who + " (mode " + mode_text(st.st_mode) + "): anyone who can write it " +
           consequence + "; fix: chmod go-w " + path.string() + override_hint();
}

}  // namespace

ElfFacts inspect_elf(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {std::string("cannot be read: ") + std::strerror(errno), ""};
    ElfW(Ehdr) header{};
    in.read(reinterpret_cast<char*>(&header), sizeof header);
    const auto got = static_cast<size_t>(in.gcount());
    if (got == 0) return {std::string(kNotElf) + " (the file is empty)", ""};
    if (got < SELFMAG || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0)
        return {std::string(kNotElf) + " (it does not start with the ELF magic number)", ""};
    if (got < EI_NIDENT) return {std::string(kNotElf) + " (its ELF header is truncated)", ""};
    const std::string host = machine_name(kHostMachine).empty() ? "this machine" : machine_name(kHostMachine);
    const unsigned char elf_class = header.e_ident[EI_CLASS];
    if (elf_class != ELFCLASS32 && elf_class != ELFCLASS64)
        return {std::string(kNotElf) + " (unknown ELF class " + std::to_string(elf_class) + ")", ""};
    if (elf_class != kHostClass)
        return {std::string(elf_class == ELFCLASS32 ? "a 32-bit" : "a 64-bit") + " ELF file; this process is " +
                    std::to_string(sizeof(void*) * 8) + "-bit " + host,
                ""};
    if (header.e_ident[EI_DATA] != kHostData)
        return {std::string("a ") + (header.e_ident[EI_DATA] == ELFDATA2MSB ? "big" : "little") + "-endian ELF file; " +
                    host + " is " + (kHostData == ELFDATA2LSB ? "little" : "big") + "-endian",
                ""};
    if (got < sizeof header) return {std::string(kNotElf) + " (its ELF header is truncated)", ""};
    if (header.e_type != ET_DYN) return {type_text(header.e_type) + ", not a shared library", ""};
    if (kHostMachine != 0 && header.e_machine != kHostMachine)
        return {"built for " + machine_text(header.e_machine) + "; this is " + host, ""};
    return {"", find_build_id(in, header)};
}

std::string PluginPathTrust::check_file(const fs::path& file, struct stat* file_stat) {
    struct stat st {};
    fs::path real;
    if (::lstat(file.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        // Not a symlink: its real path is its directory's plus its name, and a scan's files share
        // a few directories, so one lstat is the whole cost of a file (no path walk per file).
        fs::path dir = file.parent_path();
        if (std::string why = real_directory(dir, real); !why.empty()) return why;
        real /= file.filename();
    } else {
        std::error_code ec;
        real = fs::canonical(file, ec);
        if (ec) return "cannot resolve " + file.string() + ": " + ec.message();
        if (::stat(real.c_str(), &st) != 0) return "cannot stat " + real.string() + ": " + std::strerror(errno);
    }
    if (!S_ISREG(st.st_mode)) return real.string() + " is not a regular file";
    if (file_stat != nullptr) *file_stat = st;
    if (std::string why = verdict(real, st, false); !why.empty()) return why;
    // The directory that lists the file (a symlink's own directory) and the one that holds its target.
    if (std::string why = check_directory(file.parent_path()); !why.empty()) return why;
    return check_directory(real.parent_path());
}

std::string PluginPathTrust::real_directory(const fs::path& dir, fs::path& real) {
    const fs::path& given = dir.empty() ? fs::path(".") : dir;
    if (auto it = real_dirs_.find(given); it != real_dirs_.end()) {
        real = it->second;
        return "";
    }
    std::error_code ec;
    real = fs::canonical(given, ec);
    if (ec) return "cannot resolve " + given.string() + ": " + ec.message();
    real_dirs_.emplace(given, real);
    return "";
}

std::string PluginPathTrust::check_directory(const fs::path& dir) {
    fs::path real;
    if (std::string why = real_directory(dir, real); !why.empty()) return why;
    std::vector<fs::path> unchecked;
    std::string why;
    for (fs::path d = real;; d = d.parent_path()) {
        if (auto it = dirs_.find(d); it != dirs_.end()) {
            why = it->second;
            break;
        }
        unchecked.push_back(d);
        struct stat st {};
        if (::stat(d.c_str(), &st) != 0) {
            why = "cannot stat " + d.string() + ": " + std::strerror(errno);
            break;
        }
        why = verdict(d, st, true);
        if (!why.empty() || d == d.parent_path()) break;
    }
    // Every directory walked shares the verdict of the first bad one above it (or is fine).
    for (const auto& d : unchecked) dirs_.emplace(d, why);
    return why;
}

}  // namespace modrt::kernel
