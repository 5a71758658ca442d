// A plugin built with today's SDK for a chosen target minor (modrt_add_plugin's
// TARGET_ABI_MINOR; ABI_TARGET_TAG names the build). abi_target_test.cpp checks
// that an older kernel would accept it exactly when its target allows, and that
// today's kernel runs it.
//
// kind test.abi_target_<tag>: (numbers...) -> {sum, target_minor, stoppable}
// `stoppable` is the frame's answer from target 3 on, and nil before (the SDK
// refuses Frame::stoppable at compile time for an older target).
#include <modrt/sdk.hpp>

#define ABI_TARGET_TEXT2(x) #x
#define ABI_TARGET_TEXT(x) ABI_TARGET_TEXT2(x)

namespace {

class AbiTargetEntry final : public modrt::FunctionEntry {
public:
    modrt::Error invoke(modrt::Frame frame, modrt::ValueView args, modrt::ValueSlot result) override {
        modrt::ScalarArgs<4> in(args);  // value_scalars from target 2 on, item by item before
        int64_t sum = 0;
        for (size_t i = 0; i < in.size() && i < 4; ++i) sum += in.as_int(i);
        result.set_map();
        result.insert("sum").set_int(sum);
        result.insert("target_minor").set_int(MODRT_TARGET_ABI_MINOR);
#if MODRT_TARGET_ABI_MINOR >= 3
        result.insert("stoppable").set_bool(frame.stoppable());
#else
        (void)frame;
#endif
        return {};
    }
};

class AbiTargetKind final : public modrt::FunctionKind {
public:
    explicit AbiTargetKind(const modrt::Host&) {}
    std::unique_ptr<modrt::FunctionEntry> create_entry(const modrt::EntryInfo&) override {
        return std::make_unique<AbiTargetEntry>();
    }
};

}  // namespace

MODRT_PLUGIN("test.abi_target_" ABI_TARGET_TEXT(ABI_TARGET_TAG), "1.0.0",
             modrt::provide_kind<AbiTargetKind>("test.abi_target_" ABI_TARGET_TEXT(ABI_TARGET_TAG)))
