// Finding plugins on the plugin path, checking them, and loading the ones a registry uses.
// A plugin described by its directory's index or by its manifest is opened (its code run) only
// when a registry needs one of its names; one without either is opened at scan to read its descriptor.
#pragma once

#include "loading/plugin_file_check.hpp"
#include "loading/plugin_index.hpp"
#include "loading/plugin_manifest.hpp"

#include <modrt/abi.h>
#include <modrt/kernel/runtime.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace modrt::kernel {

/// A provided interface, with the plugin's table copied to our size (missing tail = NULL).
struct ProvidedApi {
    modrt_extension_type type{};
    std::string name;
    union {
        modrt_kind_api kind;
        modrt_pool_api pool;
        modrt_interceptor_api interceptor;
        modrt_contract_api contract;
        modrt_security_api security;
        modrt_trigger_api trigger;
    } api{};
};

/// A plugin that has been initialised for one runtime.
class LoadedPlugin {
public:
    LoadedPlugin(const PluginRecord& record, const modrt_plugin_descriptor* descriptor, modrt_host_api host);
    ~LoadedPlugin();
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;

    const PluginRecord& record() const { return record_; }
    void* state() const { return state_; }
    const modrt_host_api* host() const { return &host_; }
    const ProvidedApi* find(std::string_view name) const;

private:
    friend class PluginCatalog;
    const PluginRecord& record_;
    const modrt_plugin_descriptor* descriptor_;
    modrt_host_api host_;          // this runtime's copy (host_.runtime set); plugins keep its address
    Value config_ = Value::map();  // what init received; plugins may keep a view of it
    void* state_ = nullptr;
    std::vector<ProvidedApi> provided_;
};

class PluginCatalog {
public:
    /// `allow_unsafe`: use (with a warning) plugins that fail the ownership/mode checks.
    explicit PluginCatalog(std::vector<std::filesystem::path> path, bool allow_unsafe = false)
        : path_(std::move(path)), allow_unsafe_(allow_unsafe) {}

    /// Every plugin file on the path, scanned once.
    const std::vector<PluginRecord>& records();
    /// Every plugin file, each opened and its descriptor checked against its manifest.
    const std::vector<PluginRecord>& inspect_all();
    /// The plugin providing `name` (load() may still refuse it), or null.
    const PluginRecord* provider_of(std::string_view name);
    /// Loaded (initialised) plugin for `record`, loading it on first use. Throws std::runtime_error
    /// naming the file and the reason when it cannot be loaded.
    LoadedPlugin& load(const PluginRecord& record, const modrt_host_api& host);
    /// Set the config map plugin `name` receives at init (no effect once it is initialised).
    void configure(const std::string& name, Value config) { configs_[name] = std::move(config); }
    /// Whether plugin `name` has been initialised (its config can no longer change).
    bool initialised(std::string_view name) const;
    /// Whether `name` has a config set by configure().
    bool configured(std::string_view name) const { return configs_.find(name) != configs_.end(); }
    /// Plugins loaded so far, in load order.
    const std::vector<std::unique_ptr<LoadedPlugin>>& loaded() const { return loaded_; }
    /// Shut down every loaded plugin, newest first.
    void unload_all();
    /// " (refused on the plugin path: a.so: why; ...)" or "" — appended to "not provided" errors.
    std::string refused_note();
    const std::vector<std::filesystem::path>& path() const { return path_; }

private:
    void scan();
    /// Fill `record` from its directory's index, its manifest or, lacking both, from the opened file;
    /// returns why it is refused.
    std::string describe(PluginRecord& record, std::optional<PluginManifest>& manifest, PluginPathTrust& trust,
                         const PluginIndex* index, bool allow_unsafe);
    /// Fill `record` from a description read without opening the plugin; returns why it is refused.
    static std::string describe_from(PluginRecord& record, const PluginManifest& manifest);
    /// Open records_[index] and check its descriptor (against the manifest, if it has one);
    /// on failure the record is refused and runtime_error says why.
    const modrt_plugin_descriptor* open_checked(size_t index);

    std::vector<std::filesystem::path> path_;
    bool allow_unsafe_ = false;
    bool scanned_ = false;
    std::vector<PluginRecord> records_;
    std::vector<std::optional<PluginManifest>> manifests_;  // parallel to records_: from the index or manifest
    std::map<std::string, size_t, std::less<>> providers_;  // name -> index in records_
    std::map<std::string, Value, std::less<>> configs_;     // plugin name -> config for its init
    std::vector<std::unique_ptr<LoadedPlugin>> loaded_;
};

}  // namespace modrt::kernel
