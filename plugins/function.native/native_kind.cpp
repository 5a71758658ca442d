// function.native: `source: file://libfoo.so`, `method: symbol` names a
// modrt_native_fn in a shared library the kernel loads (and keeps loaded).
#include <modrt/sdk.hpp>

namespace {

class NativeEntry final : public modrt::FunctionEntry {
public:
    NativeEntry(const modrt_host_api* host, modrt_native_fn fn) : host_(host), fn_(fn) {}

    modrt::Error invoke(modrt::Frame frame, modrt::ValueView args, modrt::ValueSlot result) override {
        return modrt::Error(fn_(host_, frame.raw(), args.raw(), result.raw()));
    }

private:
    const modrt_host_api* host_;
    modrt_native_fn fn_;
};

class NativeKind final : public modrt::FunctionKind {
public:
    explicit NativeKind(const modrt::Host& host) : host_(host) {}

    std::unique_ptr<modrt::FunctionEntry> create_entry(const modrt::EntryInfo& info) override {
        if (info.source_path().empty())
            throw modrt::Failure(modrt::Error(MODRT_ERR_INVALID, "function.native needs 'source: file://lib.so'")
                                     .set_field("source"));
        if (info.method().empty())
            throw modrt::Failure(
                modrt::Error(MODRT_ERR_INVALID, "function.native needs 'method' (the exported symbol)").set_field("method"));
        modrt_error* err = nullptr;
        void* symbol = host_.api().library_symbol(host_.runtime(), info.raw()->source_path, info.raw()->method, &err);
        if (symbol == nullptr) {
            modrt::Error e(err);
            throw modrt::Failure(modrt::Error(e.kind(), e.message()).set_field(e.kind() == MODRT_ERR_NOT_FOUND ? "method" : "source"));
        }
        return std::make_unique<NativeEntry>(&host_.api(), reinterpret_cast<modrt_native_fn>(symbol));
    }

private:
    const modrt::Host& host_;
};

}  // namespace

MODRT_PLUGIN("function.native", "0.1.0", modrt::provide_kind<NativeKind>("function.native"))
