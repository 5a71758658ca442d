// modrt-plugin-manifest PLUGIN.so: write PLUGIN.modrt-manifest from the plugin's own
// descriptor, so the runtime knows what the plugin provides without opening it.
// modrt_add_plugin() runs it after every link. A file that is not a usable plugin (a
// native function library, a broken descriptor) gets no manifest: the runtime then opens
// it as before and reports why it is refused.
#include "loading/plugin_descriptor_check.hpp"
#include "loading/plugin_file_check.hpp"
#include "loading/plugin_manifest.hpp"

#include <dlfcn.h>

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

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2 || std::string(argv[1]) == "--help") {
        std::cerr << "usage: modrt-plugin-manifest PLUGIN.so\n"
                     "Writes PLUGIN.modrt-manifest (name, version, ABI, provides) beside the plugin.\n";
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

    // Written beside, then renamed: a reader never sees half a manifest.
    const fs::path tmp = out.string() + ".tmp";
    {
        std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
        file << manifest_json(manifest_of(*d, elf.build_id), plugin.filename().string());
        if (!file.flush()) {
            std::cerr << "modrt-plugin-manifest: cannot write " << tmp.string() << "\n";
            return 1;
        }
    }
    fs::rename(tmp, out, ec);
    if (ec) {
        std::cerr << "modrt-plugin-manifest: cannot rename " << tmp.string() << " to " << out.string() << ": "
                  << ec.message() << "\n";
        return 1;
    }
    // The library stays open until exit: its thread-locals may still be referenced.
    return 0;
}
