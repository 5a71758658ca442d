// A well-behaved test plugin built with the SDK:
//  - test.data:  a data-only kind (entries load, but cannot be called), written the
//    pre-DataKind way on purpose: provide_data_kind still takes a FunctionKind;
//  - test.probe: a callable kind whose function returns what the kernel told it
//    about its entry (id, kind, source_path, method, file, line).
#include <modrt/sdk.hpp>

namespace {

class DataKind final : public modrt::FunctionKind {
public:
    explicit DataKind(const modrt::Host&) {}
    std::unique_ptr<modrt::FunctionEntry> create_entry(const modrt::EntryInfo& info) override {
        if (info.fields().has("reject"))
            throw modrt::Failure(modrt::Error(MODRT_ERR_INVALID, "test.data refuses this entry").set_field("reject"));
        return nullptr;
    }
};

class ProbeEntry final : public modrt::FunctionEntry {
public:
    explicit ProbeEntry(const modrt::EntryInfo& info)
        : id_(info.id()),
          kind_(info.kind()),
          source_(info.source_path()),
          method_(info.method()),
          file_(info.file()),
          line_(info.line()) {}

    modrt::Error invoke(modrt::Frame, modrt::ValueView, modrt::ValueSlot result) override {
        result.set_map();
        result.insert("id").set_string(id_);
        result.insert("kind").set_string(kind_);
        result.insert("source_path").set_string(source_);
        result.insert("method").set_string(method_);
        result.insert("file").set_string(file_);
        result.insert("line").set_int(line_);
        return {};
    }

private:
    std::string id_, kind_, source_, method_, file_;
    int64_t line_;
};

class ProbeKind final : public modrt::FunctionKind {
public:
    explicit ProbeKind(const modrt::Host&) {}
    std::unique_ptr<modrt::FunctionEntry> create_entry(const modrt::EntryInfo& info) override {
        return std::make_unique<ProbeEntry>(info);
    }
};

}  // namespace

MODRT_PLUGIN("test.good", "1.2.3", modrt::provide_data_kind<DataKind>("test.data"),
             modrt::provide_kind<ProbeKind>("test.probe"))
