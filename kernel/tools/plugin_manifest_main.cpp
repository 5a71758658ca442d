// modrt-plugin-manifest PLUGIN.so: write PLUGIN.modrt-manifest from the plugin's own
// descriptor, so the runtime knows what the plugin provides without opening it.
// modrt_add_plugin() runs it after every link. A file that is not a usable plugin (a
// native function library, a broken descriptor) gets no manifest: the runtime then opens
// it as before and reports why it is refused.
//
// modrt-plugin-manifest --index DIR: write DIR/plugins.modrt-index from the current manifests
// of the plugins in DIR (opening none), so a scan of DIR reads one file instead of every
// plugin's ELF header and manifest. The build runs it once every plugin is linked, and the
// install once every plugin is installed; run it again after adding a plugin by hand.
#include "loading/plugin_descriptor_check.hpp"
#include "loading/plugin_file_check.hpp"
#include "loading/plugin_index.hpp"
#include "loading/plugin_manifest.hpp"

#include <dlfcn.h>
#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <vector>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <system_error>

namespace fs = std::filesystem;
using namespace modrt::kernel;

namespace {

// A note for the build log; no manifest is still a successful run.
int no_manifest(const fs::path& plugin, const std::string& why) {
    std::cerr << "modrt-plugin-manifest: no manifest for " << plugin.string() << ": " << why << "\n";
    return 0;
}

/// Write `text` to `out` through a temporary file beside it: a reader never sees half of it.
int write_atomically(const fs::path& out, const std::string& text) {
    const fs::path tmp = out.string() + ".tmp";
    {
        std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
        file << text;
        if (!file.flush()) {
            std::cerr << "modrt-plugin-manifest: cannot write " << tmp.string() << "\n";
            return 1;
        }
    }
    std::error_code ec;
    fs::rename(tmp, out, ec);
    if (ec) {
        std::cerr << "modrt-plugin-manifest: cannot rename " << tmp.string() << " to " << out.string() << ": "
                  << ec.message() << "\n";
        return 1;
    }
    return 0;
}

/// --index DIR: every plugin in DIR with a current manifest, with its size and modification time.
int write_index(const fs::path& dir) {
    std::error_code ec;
    std::vector<fs::path> plugins;
    for (const auto& item : fs::directory_iterator(dir, ec))
        if (item.path().extension() == ".so") plugins.push_back(item.path());
    if (ec) {
        std::cerr << "modrt-plugin-manifest: cannot list " << dir.string() << ": " << ec.message() << "\n";
        return 1;
    }
    std::sort(plugins.begin(), plugins.end());
    std::map<std::string, PluginIndex::Item> items;
    for (const auto& plugin : plugins) {
        struct stat st {};
        if (::stat(plugin.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        ElfFacts elf = inspect_elf(plugin);
        std::string why_not;
        std::optional<PluginManifest> manifest = elf.refused.empty() ? read_manifest(plugin, elf.build_id, why_not)
                                                                     : std::nullopt;
        // Left out, the file is described at run time as before (its manifest, or opened).
        if (!manifest) continue;
        items.emplace(plugin.filename().string(), PluginIndex::Item{stamp_of(st), std::move(*manifest)});
    }
    return write_atomically(PluginIndex::file_in(dir), PluginIndex::to_json(items));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--index") return write_index(argv[2]);
    if (argc != 2 || std::string(argv[1]) == "--help") {
        std::cerr << "usage: modrt-plugin-manifest PLUGIN.so\n"
                     "       modrt-plugin-manifest --index DIR\n"
                     "Writes PLUGIN.modrt-manifest (name, version, ABI, provides) beside the plugin, or\n"
                     "DIR/plugins.modrt-index from the current manifests of every plugin in DIR.\n";
        return argc == 2 ? 0 : 2;
    }
    const fs::path plugin = fs::absolute(argv[1]);
    const fs::path out = manifest_path(plugin);
    std::error_code ec;
    fs::remove(out, ec);  // whatever happens next, never leave an old manifest beside a new plugin

    ElfFacts elf = inspect_elf(plugin);
    if (!elf.refused.empty()) return no_manifest(plugin, elf.refused);
    // The descriptor is static data; opening the plugin runs its constructors, as the build's tests would.
    void* lib = ::dlopen(plugin.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
        const char* err = ::dlerror();
        return no_manifest(plugin, std::string("cannot be loaded: ") + (err ? err : "unknown error"));
    }
    void* sym = ::dlsym(lib, MODRT_PLUGIN_ENTRY_SYMBOL);
    if (sym == nullptr) return 0;  // not a plugin (e.g. a function.native library): nothing to describe
    const modrt_plugin_descriptor* d = nullptr;
    try {
        d = reinterpret_cast<modrt_plugin_entry_fn>(sym)();
    } catch (...) {
        return no_manifest(plugin, "entry symbol threw an exception");
    }
    if (std::string why = check_plugin_descriptor(d); !why.empty()) return no_manifest(plugin, why);

    if (int rc = write_atomically(out, manifest_json(manifest_of(*d, elf.build_id), plugin.filename().string())))
        return rc;
    // The library stays open until exit: its thread-locals may still be referenced.
    return 0;
}
