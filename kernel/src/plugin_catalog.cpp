#include "plugin_catalog.hpp"

#include "logging.hpp"

#include <modrt/kernel/error.hpp>

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace modrt::kernel {

namespace fs = std::filesystem;

namespace {

// Plugins are never unloaded (DESIGN.md): thread-local destructors and objects
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
        slot = std::make_shared<boost::dll::shared_library>(
            file.string(), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    }
    return slot;
}

size_t minimum_api_size(modrt_extension_type type) {
    // The hooks of ABI 1.0 that must be present.
    switch (type) {
    case MODRT_EXT_FUNCTION_KIND: return offsetof(modrt_kind_api, entry_destroy) + sizeof(void*);
    case MODRT_EXT_POOL: return offsetof(modrt_pool_api, submit) + sizeof(void*);
    case MODRT_EXT_INTERCEPTOR: return offsetof(modrt_interceptor_api, intercept) + sizeof(void*);
    case MODRT_EXT_CONTRACT: return offsetof(modrt_contract_api, validate_output) + sizeof(void*);
    case MODRT_EXT_SECURITY: return offsetof(modrt_security_api, evaluate) + sizeof(void*);
    }
    return SIZE_MAX;
}

std::string abi_text(uint32_t major, uint32_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

/// Check a descriptor; returns the reason it is refused, or "".
std::string check_descriptor(const modrt_plugin_descriptor* d) {
    if (d == nullptr) return "entry symbol returned no descriptor";
    if (d->struct_size < offsetof(modrt_plugin_descriptor, abi_minor) + sizeof(uint32_t))
        return "descriptor is too small to hold an ABI version";
    if (d->abi_major != MODRT_ABI_MAJOR || d->abi_minor > MODRT_ABI_MINOR)
        return "built for modrt ABI " + abi_text(d->abi_major, d->abi_minor) + ", but this kernel speaks ABI " +
               abi_text(MODRT_ABI_MAJOR, MODRT_ABI_MINOR) +
               (d->abi_major != MODRT_ABI_MAJOR ? " (the major must match)" : " (the plugin's minor is newer)");
    if (d->struct_size < offsetof(modrt_plugin_descriptor, init) + sizeof(void*))
        return "descriptor is smaller than ABI " + abi_text(d->abi_major, d->abi_minor) + " requires";
    if (d->name == nullptr || *d->name == '\0') return "descriptor has no plugin name";
    if (d->init == nullptr) return "descriptor has no init hook";
    if (d->provides_count > 0 && d->provides == nullptr) return "descriptor lists provides but gives no array";
    for (size_t i = 0; i < d->provides_count; ++i) {
        const modrt_provide& p = d->provides[i];
        if (p.name == nullptr || *p.name == '\0') return "provides item " + std::to_string(i) + " has no name";
        if (p.api == nullptr) return std::string("'") + p.name + "' has no interface table";
        size_t need = minimum_api_size(p.type);
        if (need == SIZE_MAX) return std::string("'") + p.name + "' has an unknown interface type";
        size_t size = *static_cast<const size_t*>(p.api);
        if (size < need) return std::string("'") + p.name + "' interface table is smaller than ABI 1.0 requires";
        for (size_t j = 0; j < i; ++j)
            if (std::strcmp(d->provides[j].name, p.name) == 0)
                return std::string("provides '") + p.name + "' twice";
    }
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
    } catch (...) {
        throw std::runtime_error("entry symbol threw an exception");
    }
    std::string why = check_descriptor(d);
    if (!why.empty()) throw std::runtime_error(why);
    return {std::move(lib), d};
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
        }
        provided_.push_back(std::move(api));
    }
}

LoadedPlugin::~LoadedPlugin() {
    bool has_shutdown = descriptor_->struct_size >= offsetof(modrt_plugin_descriptor, shutdown) + sizeof(void*);
    if (state_ != nullptr && has_shutdown && descriptor_->shutdown != nullptr) {
        try {
            descriptor_->shutdown(state_);
        } catch (...) {
            logger()->error("plugin {} threw during shutdown", record_.file.string());
        }
    }
}

const ProvidedApi* LoadedPlugin::find(std::string_view name) const {
    for (const auto& p : provided_)
        if (p.name == name) return &p;
    return nullptr;
}

void PluginCatalog::scan() {
    scanned_ = true;
    std::vector<fs::path> files;
    for (const auto& dir : path_) {
        std::error_code ec;
        if (fs::is_regular_file(dir, ec)) {
            files.push_back(fs::absolute(dir));
            continue;
        }
        if (!fs::is_directory(dir, ec)) {
            logger()->debug("plugin path entry {} is not a directory; skipped", dir.string());
            continue;
        }
        std::vector<fs::path> here;
        for (const auto& item : fs::directory_iterator(dir, ec))
            if (item.path().extension() == ".so") here.push_back(fs::absolute(item.path()));
        std::sort(here.begin(), here.end());
        files.insert(files.end(), here.begin(), here.end());
    }
    for (const auto& file : files) {
        if (std::any_of(records_.begin(), records_.end(), [&](const auto& r) { return r.file == file; })) continue;
        PluginRecord record;
        record.file = file;
        try {
            OpenedPlugin opened = open_descriptor(file);
            const modrt_plugin_descriptor* d = opened.descriptor;
            record.name = d->name;
            record.version = d->version ? d->version : "";
            record.abi_major = d->abi_major;
            record.abi_minor = d->abi_minor;
            for (size_t i = 0; i < d->provides_count; ++i) record.provides.emplace_back(d->provides[i].name);
            for (const auto& name : record.provides) {
                auto it = providers_.find(name);
                if (it != providers_.end() && record.refused.empty())
                    record.refused = "provides '" + name + "', already provided by " +
                                     records_[it->second].file.string();
            }
        } catch (const std::exception& e) {
            record.refused = e.what();
        }
        if (record.refused.empty()) {
            for (const auto& name : record.provides) providers_.emplace(name, records_.size());
        } else {
            logger()->warn("plugin {} refused: {}", file.string(), record.refused);
        }
        records_.push_back(std::move(record));
    }
}

const std::vector<PluginRecord>& PluginCatalog::records() {
    if (!scanned_) scan();
    return records_;
}

const PluginRecord* PluginCatalog::provider_of(std::string_view name) {
    if (!scanned_) scan();
    auto it = providers_.find(name);
    return it == providers_.end() ? nullptr : &records_[it->second];
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
    const modrt_plugin_descriptor* d = nullptr;
    try {
        d = open_descriptor(record.file).descriptor;  // stays open: the process cache holds it
    } catch (const std::exception& e) {
        throw std::runtime_error("plugin " + record.file.string() + " " + e.what());
    }
    auto plugin = std::make_unique<LoadedPlugin>(record, d, host);
    modrt_error* err = nullptr;
    std::string failure;
    if (auto it = configs_.find(record.name); it != configs_.end()) plugin->config_ = it->second;
    try {
        err = d->init(&plugin->host_, &plugin->config_, &plugin->state_);
    } catch (const std::exception& e) {
        failure = std::string("threw during init: ") + e.what();
    } catch (...) {
        failure = "threw during init";
    }
    if (err != nullptr) {
        failure = "failed to initialise: " + err->message;
        std::unique_ptr<modrt_error> owned(err);
    }
    if (!failure.empty()) {
        plugin->state_ = nullptr;
        throw std::runtime_error("plugin " + record.file.string() + " (" + record.name + ") " + failure);
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
