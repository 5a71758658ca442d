// A third-party plugin that (wrongly) provides a built-in name, `library.lua`: the tests show
// that whichever plugin comes first on the plugin path keeps the name and the later one is
// refused whole (README: vendor-prefixed names). It provides its own name too, to show the
// listing of a plugin that wins.
#include <modrt/sdk.hpp>

#include <memory>

namespace {

class CliShadowKind final : public modrt::FunctionKind {
public:
    explicit CliShadowKind(const modrt::Host&) {}
    std::unique_ptr<modrt::FunctionEntry> create_entry(const modrt::EntryInfo&) override {
        throw modrt::Failure(MODRT_ERR_INVALID, "acme.shadow entries are never used");
    }
};

}  // namespace

MODRT_PLUGIN("acme.shadow", "0.0.1", modrt::provide_kind<CliShadowKind>("acme.shadow"),
             modrt::provide_kind<CliShadowKind>("library.lua"))
