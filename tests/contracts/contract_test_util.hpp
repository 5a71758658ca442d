// Shared helpers for the contract plugin tests: a runtime over a registry written by the
// test (the real contract.so and function.native loaded through the kernel), and the
// contract plugin driven directly through its C tables for what the kernel never shows
// (covers, concurrent loads).
#pragma once

#include <modrt/kernel/json.hpp>
#include <modrt/kernel/runtime.hpp>

#include "support/scratch_registry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <dlfcn.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace ct {

namespace fs = std::filesystem;
using modrt::kernel::CallResult;
using modrt::kernel::Runtime;
using modrt::kernel::Value;

/// A fresh directory (unique per process and call).
inline fs::path scratch_dir() { return modrt::test::scratch_dir(CT_SCRATCH_DIR); }

/// `text` with every "@LIB@" replaced by the native test library.
inline std::string with_lib(std::string text) { return modrt::test::with_lib(std::move(text), CT_NATIVE_LIB); }

/// A loaded registry: the runtime, where its files are, and every error formatted.
struct Loaded {
    std::unique_ptr<Runtime> rt;
    fs::path dir;
    std::string errors;  // one "file:line: entry 'id': message" per line
    std::string file(const std::string& name) const { return (dir / name).string(); }
};

/// Write each (file, yaml) pair into one registry directory and load it.
inline Loaded load_files(const std::vector<std::pair<std::string, std::string>>& files) {
    Loaded l;
    l.dir = scratch_dir();
    for (const auto& [file, yaml] : files) std::ofstream(l.dir / file) << with_lib(yaml);
    l.rt = std::make_unique<Runtime>(
        modrt::kernel::RuntimeOptions{.plugin_path = {fs::path(MODRT_TEST_PLUGIN_DIR)},
                                      .source_roots = {fs::path(CT_NATIVE_LIB).parent_path()}});
    for (const auto& e : l.rt->load(l.dir)) l.errors += e.format() + "\n";
    return l;
}

inline Loaded load(const std::string& yaml) { return load_files({{"registry.yaml", yaml}}); }

/// Load and expect no error.
inline Loaded load_ok(const std::string& yaml) {
    Loaded l = load(yaml);
    EXPECT_EQ(l.errors, "");
    return l;
}

/// 1-based line of the first line of `text` containing `needle` (0 when none).
inline int64_t line_of(const std::string& text, const std::string& needle) {
    size_t at = text.find(needle);
    if (at == std::string::npos) return 0;
    return 1 + static_cast<int64_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

/// The value of a JSON text.
inline Value json(std::string_view text) {
    Value v;
    auto err = modrt::kernel::parse_json(text, v);
    EXPECT_EQ(err, nullptr) << text;
    return v;
}

/// Arguments from one JSON array text: args("[1, \"a\"]").
inline Value args(std::string_view json_array) { return json(json_array); }

inline std::string to_json(const Value& v) { return modrt::kernel::to_json(v); }

/// The kind of a failed call, or -1 when it succeeded.
inline int kind_of(const CallResult& r) { return r.ok() ? -1 : static_cast<int>(r.error->kind); }

/// A native function entry `name` running `symbol` of the test library (inline pool).
inline std::string native(const std::string& name, const std::string& symbol) {
    return "  - name: " + name + "\n    kind: function.native\n    source: file://@LIB@\n    method: " + symbol + "\n";
}

/// contract_resolve through the host API, as the Lua module will call it.
inline CallResult resolve(Runtime& rt, std::string_view binding, std::string_view method) {
    CallResult r;
    r.error.reset(rt.host_api().contract_resolve(rt.handle(), {binding.data(), binding.size()},
                                                 {method.data(), method.size()}, &r.value));
    return r;
}

/// The contract plugin (contract.so) driven directly: its own instance, initialised with a
/// runtime's host table (so entry_find sees that runtime's entries), fed entries by the test.
class DirectPlugin {
public:
    explicit DirectPlugin(Runtime& rt) {
        std::string path = std::string(MODRT_TEST_PLUGIN_DIR) + "/contract.so";
        lib_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        EXPECT_NE(lib_, nullptr) << dlerror();
        auto entry = reinterpret_cast<modrt_plugin_entry_fn>(dlsym(lib_, MODRT_PLUGIN_ENTRY_SYMBOL));
        desc_ = entry();
        for (size_t i = 0; i < desc_->provides_count; ++i) {
            const modrt_provide& p = desc_->provides[i];
            if (p.type == MODRT_EXT_CONTRACT) contract_ = static_cast<const modrt_contract_api*>(p.api);
            if (p.type == MODRT_EXT_FUNCTION_KIND) kind_ = static_cast<const modrt_kind_api*>(p.api);
        }
        modrt_error* err = desc_->init(&rt.host_api(), nullptr, &state_);
        EXPECT_EQ(err, nullptr);
    }
    ~DirectPlugin() {
        for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
            if ((*it)->handle) kind_->entry_destroy(state_, (*it)->handle);
        desc_->shutdown(state_);
        // never dlclose: the kernel may hold the same library
    }
    DirectPlugin(const DirectPlugin&) = delete;
    DirectPlugin& operator=(const DirectPlugin&) = delete;

    /// Create entry `id` of `kind` with fields from a JSON map; returns the error message ("" when created).
    std::string add(const std::string& id, const std::string& kind, std::string_view fields_json) {
        auto e = std::make_unique<Stored>();
        e->id = id;
        e->kind = kind;
        e->file = "direct.yaml";
        e->fields = json(fields_json);
        e->info.struct_size = sizeof(modrt_entry_info);
        e->info.id = {e->id.c_str(), e->id.size()};
        e->info.kind = {e->kind.c_str(), e->kind.size()};
        e->info.source_path = {"", 0};
        e->info.method = {"", 0};
        e->info.file = {e->file.c_str(), e->file.size()};
        e->info.line = static_cast<int64_t>(entries_.size() + 1);
        e->info.fields = &e->fields;
        std::string message;
        if (modrt_error* err = kind_->entry_create(state_, &e->info, &e->handle)) {
            message = err->message;
            modrt::kernel::ErrorPtr owned(err);
            e->handle = nullptr;
        }
        entries_.push_back(std::move(e));  // the plugin keeps pointers into it: never moved again
        return message;
    }
    /// load_finished: the problems as a JSON array.
    std::string finish() {
        Value problems = Value::array();
        kind_->load_finished(state_, &problems);
        return to_json(problems);
    }
    bool covers(std::string_view target) const {
        return contract_->covers(state_, {target.data(), target.size()}) != 0;
    }
    modrt::kernel::ErrorPtr validate_input(std::string_view target, const Value& args) const {
        return modrt::kernel::ErrorPtr(contract_->validate_input(state_, {target.data(), target.size()}, &args));
    }
    modrt::kernel::ErrorPtr validate_output(std::string_view target, const Value& result) const {
        return modrt::kernel::ErrorPtr(contract_->validate_output(state_, {target.data(), target.size()}, &result));
    }
    /// The plugin's contract table and state, for hooks the helpers above do not wrap.
    const modrt_contract_api& contract_api() const { return *contract_; }
    void* state() const { return state_; }
    CallResult resolve(std::string_view binding, std::string_view method) const {
        CallResult r;
        r.error.reset(
            contract_->resolve(state_, {binding.data(), binding.size()}, {method.data(), method.size()}, &r.value));
        return r;
    }

private:
    struct Stored {
        std::string id, kind, file;
        Value fields;
        modrt_entry_info info{};
        void* handle = nullptr;
    };
    void* lib_ = nullptr;
    const modrt_plugin_descriptor* desc_ = nullptr;
    const modrt_contract_api* contract_ = nullptr;
    const modrt_kind_api* kind_ = nullptr;
    void* state_ = nullptr;
    std::vector<std::unique_ptr<Stored>> entries_;
};

}  // namespace ct
