#include "loading/plugin_catalog.hpp"
#include "calling/plugin_guard.hpp"

#include "loading/plugin_descriptor_check.hpp"
#include "loading/plugin_index.hpp"
#include "runtime/logging.hpp"

#include <modrt/kernel/error.hpp>

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace modrt::kernel {

namespace fs = std::filesystem;

namespace {

// Plugins are never unloaded: thread-local destructors and objects
// they made may still point into their code. One process-wide cache of opened
// libraries is what the dynamic loader forces on us anyway. A file opened only
// to read its descriptor stays open too: dlclose of a library with thread-local
// storage, and a later dlopen reusing its TLS slot, crashed LeakSanitizer's
// exit-time scan in about half the runs of a test (the DTLS slot it read was stale).
std::shared_ptr<boost::dll::shared_library> open_forever(const fs::path& file) {
    static std::mutex mutex;
    static std::map<fs::path, std::shared_ptr<boost::dll::shared_library>> libraries;
    std::lock_guard lock(mutex);
    auto& slot = libraries[file];
    if (!slot) {
        slot = std::make_shared<boost::dll::shared_library>(file.string(), boost::dll::load_mode::rtld_now |
                                                                               boost::dll::load_mode::rtld_local);
    }
    return slot;
}

bool unsafe_allowed_by_environment() {
    const char* v = std::getenv(kUnsafePluginPathEnv);
    return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}

/// "provides 'x' twice" when a name repeats, else "".
std::string repeated_provide(const std::vector<std::string>& provides) {
    for (size_t i = 0; i < provides.size(); ++i)
        for (size_t j = 0; j < i; ++j)
            if (provides[i] == provides[j]) return "provides '" + provides[i] + "' twice";
    return "";
}

/// An opened plugin file; the descriptor lives as long as `library`.
struct OpenedPlugin {
    std::shared_ptr<boost::dll::shared_library> library;
    const modrt_plugin_descriptor* descriptor = nullptr;
};

/// Open a plugin file (for good, see open_forever) and check its descriptor;
/// throws runtime_error with the reason.
OpenedPlugin open_descriptor(const fs::path& file) {
    std::shared_ptr<boost::dll::shared_library> lib;
    try {
        lib = open_forever(file);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("cannot be loaded: ") + e.what());
    }
    if (!lib->has(MODRT_PLUGIN_ENTRY_SYMBOL))
        throw std::runtime_error("has no entry symbol '" MODRT_PLUGIN_ENTRY_SYMBOL "' (not a modrt plugin?)");
    auto entry = lib->get<const modrt_plugin_descriptor*()>(MODRT_PLUGIN_ENTRY_SYMBOL);
    const modrt_plugin_descriptor* d = nullptr;
    try {
        d = entry();
    } catch (...) {  // no plugin to name yet: the caller names the file
        throw std::runtime_error(threw_text("entry symbol"));
    }
    std::string why = check_plugin_descriptor(d);
    if (!why.empty()) throw std::runtime_error(why);
    return {std::move(lib), d};
}

/// The index of plugin directory `dir` when it has a trusted, readable one.
std::optional<PluginIndex> read_index(const fs::path& dir, PluginPathTrust& trust, bool allow_unsafe) {
    const fs::path file = PluginIndex::file_in(dir);
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) {
        logger()->debug("plugin directory {} has no index {}; each plugin is described by its manifest", dir.string(),
                        file.filename().string());
        return std::nullopt;
    }
    if (std::string why = trust.check_file(file); !why.empty()) {
        if (!allow_unsafe) {
            logger()->warn("plugin index {} is not used: {}", file.string(), why);
            return std::nullopt;
        }
        logger()->warn("plugin index {} is used although {} ({} is set)", file.string(), why, kUnsafePluginPathEnv);
    }
    std::string why_not;
    auto index = PluginIndex::read(file, why_not);
    if (!index) logger()->warn("{}; each plugin in {} is described by its manifest", why_not, dir.string());
    else logger()->debug("plugin index {} describes {} plugin files", file.string(), index->size());
    return index;
}

template <class Api>
Api copy_table(const void* src) {
    Api out{};
    size_t size = std::min(sizeof(Api), *static_cast<const size_t*>(src));
    std::memcpy(&out, src, size);
    out.struct_size = size;
    return out;
}

}  // namespace

LoadedPlugin::LoadedPlugin(const PluginRecord& record, const modrt_plugin_descriptor* descriptor, modrt_host_api host)
    : record_(record), descriptor_(descriptor), host_(host) {
    for (size_t i = 0; i < descriptor->provides_count; ++i) {
        const modrt_provide& p = descriptor->provides[i];
        ProvidedApi api;
        api.type = p.type;
        api.name = p.name;
        switch (p.type) {
            case MODRT_EXT_FUNCTION_KIND: api.api.kind = copy_table<modrt_kind_api>(p.api); break;
            case MODRT_EXT_POOL: api.api.pool = copy_table<modrt_pool_api>(p.api); break;
            case MODRT_EXT_INTERCEPTOR: api.api.interceptor = copy_table<modrt_interceptor_api>(p.api); break;
            case MODRT_EXT_CONTRACT: api.api.contract = copy_table<modrt_contract_api>(p.api); break;
            case MODRT_EXT_SECURITY: api.api.security = copy_table<modrt_security_api>(p.api); break;
            case MODRT_EXT_TRIGGER: api.api.trigger = copy_table<modrt_trigger_api>(p.api); break;
        }
        provided_.push_back(std::move(api));
    }
}

LoadedPlugin::~LoadedPlugin() {
    bool has_shutdown = descriptor_->struct_size >= offsetof(modrt_plugin_descriptor, shutdown) + sizeof(void*);
    if (state_ != nullptr && has_shutdown && descriptor_->shutdown != nullptr) {
        if (std::string threw = call_plugin_void(this, "shutdown", [&] { descriptor_->shutdown(state_); });
            !threw.empty())
            logger()->error("{}", threw);
    }
}

const ProvidedApi* LoadedPlugin::find(std::string_view name) const {
    for (const auto& p : provided_)
        if (p.name == name) return &p;
    return nullptr;
}

std::string PluginCatalog::describe_from(PluginRecord& record, const PluginManifest& manifest) {
    record.name = manifest.name;
    record.version = manifest.version;
    record.abi_major = manifest.abi_major;
    record.abi_minor = manifest.abi_minor;
    record.provides = manifest.provides;
    if (std::string why = check_plugin_abi(record.abi_major, record.abi_minor); !why.empty()) return why;
    return repeated_provide(record.provides);
}

std::string PluginCatalog::describe(PluginRecord& record, std::optional<PluginManifest>& manifest,
                                    PluginPathTrust& trust, const PluginIndex* index, bool allow_unsafe) {
    const fs::path& file = record.file;
    struct stat st {};
    if (std::string why = trust.check_file(file, &st); !why.empty()) {
        if (!allow_unsafe) return "not trusted: " + why;
        logger()->warn("plugin {} is used although {} ({} is set)", file.string(), why, kUnsafePluginPathEnv);
    }
    if (index != nullptr && S_ISREG(st.st_mode)) {
        std::string why_not;
        manifest = index->describe(file.filename().string(), stamp_of(st), why_not);
        if (manifest) {
            record.indexed = true;
            return describe_from(record, *manifest);
        }
        logger()->debug("plugin {}: {}", file.string(), why_not);
    }
    // Before anything opens it: dlopen's own errors for a wrong-machine file are misleading.
    ElfFacts elf = inspect_elf(file);
    if (!elf.refused.empty()) return "cannot be loaded: " + elf.refused;

    const fs::path manifest_file = manifest_path(file);
    std::error_code ec;
    std::string why_not;
    if (std::string why = fs::exists(manifest_file, ec) ? trust.check_file(manifest_file) : "";
        !why.empty() && !allow_unsafe) {
        why_not = "manifest not trusted: " + why;
    } else {
        manifest = read_manifest(file, elf.build_id, why_not);
    }
    if (manifest) return describe_from(record, *manifest);
    record.manifest = why_not;
    logger()->info("plugin {}: {}; opening it to read what it provides", file.string(), why_not);
    try {
        record.opened = true;
        const modrt_plugin_descriptor* d = open_descriptor(file).descriptor;
        record.name = d->name;
        record.version = d->version ? d->version : "";
        record.abi_major = d->abi_major;
        record.abi_minor = d->abi_minor;
        for (size_t i = 0; i < d->provides_count; ++i) record.provides.emplace_back(d->provides[i].name);
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

void PluginCatalog::scan() {
    scanned_ = true;
    const bool allow_unsafe = allow_unsafe_ || unsafe_allowed_by_environment();
    PluginPathTrust trust;
    struct Candidate {
        fs::path file;
        const PluginIndex* index = nullptr;  // its directory's, when it has a usable one
    };
    std::vector<Candidate> files;
    std::vector<std::unique_ptr<PluginIndex>> indexes;
    for (const auto& dir : path_) {
        std::error_code ec;
        if (fs::is_regular_file(dir, ec)) {
            files.push_back({fs::absolute(dir)});
            continue;
        }
        if (!fs::is_directory(dir, ec)) {
            logger()->debug("plugin path entry {} is not a directory; skipped", dir.string());
            continue;
        }
        // Said once per directory; each plugin in it is refused with the same reason.
        if (std::string why = trust.check_directory(dir); !why.empty())
            logger()->warn("plugin directory {}: {}{}", dir.string(), why,
                           allow_unsafe ? " (used anyway: unsafe plugin paths are allowed)" : "");
        const PluginIndex* dir_index = nullptr;
        if (auto index = read_index(dir, trust, allow_unsafe)) {
            indexes.push_back(std::make_unique<PluginIndex>(std::move(*index)));
            dir_index = indexes.back().get();
        }
        std::vector<fs::path> here;
        for (const auto& item : fs::directory_iterator(dir, ec))
            if (item.path().extension() == ".so") here.push_back(fs::absolute(item.path()));
        std::sort(here.begin(), here.end());
        for (auto& file : here) files.push_back({std::move(file), dir_index});
    }
    for (const auto& [file, index] : files) {
        if (std::any_of(records_.begin(), records_.end(), [&file = file](const auto& r) { return r.file == file; }))
            continue;
        PluginRecord record;
        record.file = file;
        std::optional<PluginManifest> manifest;
        record.refused = describe(record, manifest, trust, index, allow_unsafe);
        for (const auto& name : record.provides) {
            auto it = providers_.find(name);
            if (it != providers_.end() && record.refused.empty())
                record.refused = "provides '" + name + "', already provided by " + records_[it->second].file.string();
        }
        if (record.refused.empty()) {
            for (const auto& name : record.provides) providers_.emplace(name, records_.size());
        } else {
            logger()->warn("plugin {} refused: {}", file.string(), record.refused);
        }
        records_.push_back(std::move(record));
        manifests_.push_back(std::move(manifest));
    }
}

const std::vector<PluginRecord>& PluginCatalog::records() {
    if (!scanned_) scan();
    return records_;
}

const std::vector<PluginRecord>& PluginCatalog::inspect_all() {
    if (!scanned_) scan();
    for (size_t i = 0; i < records_.size(); ++i) {
        if (!records_[i].refused.empty() || records_[i].opened) continue;
        try {
            open_checked(i);
        } catch (const std::exception&) {
            // open_checked refused the record; the listing shows why.
        }
    }
    return records_;
}

const PluginRecord* PluginCatalog::provider_of(std::string_view name) {
    if (!scanned_) scan();
    auto it = providers_.find(name);
    return it == providers_.end() ? nullptr : &records_[it->second];
}

const modrt_plugin_descriptor* PluginCatalog::open_checked(size_t index) {
    PluginRecord& r = records_[index];
    if (!r.refused.empty()) throw std::runtime_error(r.refused);
    try {
        r.opened = true;
        const modrt_plugin_descriptor* d =
            open_descriptor(r.file).descriptor;  // stays open: the process cache holds it
        if (const auto& manifest = manifests_[index]) {
            if (std::string why = manifest_mismatch(*manifest, *d); !why.empty() && r.indexed)
                throw std::runtime_error("does not match the plugin index: " + why + "; rebuild the plugins (which " +
                                         "rewrites the index), or run modrt-plugin-manifest --index on " +
                                         r.file.parent_path().string() + ", or delete " +
                                         PluginIndex::file_in(r.file.parent_path()).string());
            else if (!why.empty())
                throw std::runtime_error("does not match its manifest: " + why + "; rebuild the plugin (which " +
                                         "rewrites the manifest) or delete " + manifest_path(r.file).string());
        }
        return d;
    } catch (const std::exception& e) {
        r.refused = e.what();
        logger()->warn("plugin {} refused: {}", r.file.string(), r.refused);
        throw;
    }
}

std::string PluginCatalog::refused_note() {
    std::string note;
    for (const auto& r : records())
        if (!r.refused.empty()) note += (note.empty() ? "" : "; ") + r.file.filename().string() + ": " + r.refused;
    return note.empty() ? "" : " (refused on the plugin path: " + note + ")";
}

LoadedPlugin& PluginCatalog::load(const PluginRecord& record, const modrt_host_api& host) {
    for (auto& p : loaded_)
        if (&p->record() == &record) return *p;
    auto index = static_cast<size_t>(&record - records_.data());
    const modrt_plugin_descriptor* d = nullptr;
    try {
        d = open_checked(index);
    } catch (const std::exception& e) {
        throw std::runtime_error("plugin " + record.file.string() + " " + e.what());
    }
    auto plugin = std::make_unique<LoadedPlugin>(record, d, host);
    modrt_error* err = nullptr;
    std::string failure;
    if (auto it = configs_.find(record.name); it != configs_.end()) plugin->config_ = it->second;
    failure = call_plugin_void(plugin.get(), "init",
                               [&] { err = d->init(&plugin->host_, &plugin->config_, &plugin->state_); });
    if (err != nullptr) {
        failure = "plugin " + record.file.string() + " (" + record.name + ") failed to initialise: " + err->message;
        std::unique_ptr<modrt_error> owned(err);
    }
    if (!failure.empty()) {
        plugin->state_ = nullptr;
        throw std::runtime_error(failure);
    }
    for (auto& r : records_)
        if (&r == &record) r.loaded = true;
    logger()->debug("loaded plugin {} {} from {}", record.name, record.version, record.file.string());
    loaded_.push_back(std::move(plugin));
    return *loaded_.back();
}

bool PluginCatalog::initialised(std::string_view name) const {
    for (const auto& p : loaded_)
        if (p->record().name == name) return true;
    return false;
}

void PluginCatalog::unload_all() {
    while (!loaded_.empty()) loaded_.pop_back();
}

}  // namespace modrt::kernel
