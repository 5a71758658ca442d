// A test plugin that reports being opened: its constructor writes "opened" into
// `<this .so>.opened` when a test has created that file (so builds and other tests
// leave no trace). It provides the callable kind test.marker, returning "marker".
#include <modrt/sdk.hpp>

#include <cstdio>
#include <dlfcn.h>
#include <string>

namespace {

__attribute__((constructor)) void trust_marker_constructed() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&trust_marker_constructed), &info) == 0 || info.dli_fname == nullptr) return;
    std::string marker = std::string(info.dli_fname) + ".opened";
    if (std::FILE* f = std::fopen(marker.c_str(), "r+")) {  // "r+": only a marker the test armed
        std::fputs("opened\n", f);
        std::fclose(f);
    }
}

class MarkerEntry final : public modrt::FunctionEntry {
public:
    modrt::Error invoke(modrt::Frame, modrt::ValueView, modrt::ValueSlot result) override {
        result.set_string("marker");
        return {};
    }
};

class MarkerKind final : public modrt::FunctionKind {
public:
    explicit MarkerKind(const modrt::Host&) {}
    std::unique_ptr<modrt::FunctionEntry> create_entry(const modrt::EntryInfo&) override {
        return std::make_unique<MarkerEntry>();
    }
};

}  // namespace

MODRT_PLUGIN("test.marker", "0.9.1", modrt::provide_kind<MarkerKind>("test.marker"))
