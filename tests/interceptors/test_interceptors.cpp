// Interceptors for the chain tests:
//   interceptor.tag    {name}: wraps the result as [name, inner result]; puts `name` into the
//                             context list "trail" seen beneath it; per-call {tag: {name}} renames.
//   interceptor.tag2   the same, under another name (to order two of them)
//   interceptor.answer {value}: short-circuits: answers `value` without calling the function.
#include <modrt/sdk.hpp>

#include <cstddef>
#include <string>

namespace {

using modrt::Error;
using modrt::Frame;
using modrt::Value;
using modrt::ValueSlot;
using modrt::ValueView;

class Tag : public modrt::Interceptor {
public:
    Tag(const modrt::Host&, const modrt::EntryInfo&, ValueView options) : name_(options.find("name").as_string()) {
        if (name_.empty()) throw modrt::Failure(Error(MODRT_ERR_INVALID, "tag needs a name").set_field("name"));
    }

    Error intercept(Frame frame, ValueView args, ValueSlot result, const modrt_next& next) override {
        std::string name = name_;
        ValueView per_call = frame.options().find("tag");
        if (per_call.is_map() && per_call.find("name").is_string()) name = per_call.find("name").as_string();
        // The trail so far plus this tag, as context for everything beneath.
        Value context;
        ValueSlot trail = context.slot().insert("trail");
        trail.copy_from(frame.context("trail"));
        if (!trail.view().is_array()) trail.set_array();
        trail.push().set_string(name);
        modrt_call_options o{};
        o.struct_size = sizeof(o);
        o.context = context.raw();
        Value inner;
        const modrt_host_api& h = modrt::host_api();
        Error err(h.next_invoke_with(&next, frame.raw(), &o, args.raw(), inner.raw()));
        if (err.failed()) return err;
        result.set_array(2);
        result.push().set_string(name);
        result.push().copy_from(inner.view());
        return {};
    }

private:
    std::string name_;
};

class Answer : public modrt::Interceptor {
public:
    Answer(const modrt::Host&, const modrt::EntryInfo&, ValueView options) : value_(options.find("value")) {}

    Error intercept(Frame, ValueView, ValueSlot result, const modrt_next&) override {
        result.copy_from(value_.view());
        return {};
    }

private:
    Value value_;
};

}  // namespace

MODRT_PLUGIN("test.interceptors", "0.0.1", modrt::provide_interceptor<Tag>("interceptor.tag"),
             modrt::provide_interceptor<Tag>("interceptor.tag2"),
             modrt::provide_interceptor<Answer>("interceptor.answer"))
