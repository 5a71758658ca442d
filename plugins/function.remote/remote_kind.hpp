// The `function.remote` kind: an entry whose calls run on another node. A call sends one
// request on `<prefix>.<target>` and waits for the reply, its caller's cancellation or its
// deadline, whichever comes first; on cancellation or deadline it also tells the callee.
#pragma once

#include "connections.hpp"
#include "reply_mux.hpp"

#include <modrt/sdk.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace modrt::remote {

class RemoteEntry final : public FunctionEntry {
public:
    RemoteEntry(std::string id, std::string target, std::string prefix, std::chrono::nanoseconds timeout,
                std::shared_ptr<ReplyMux> mux);
    Error invoke(Frame frame, ValueView args, ValueSlot result) override;

private:
    /// Tell the callee to stop (best effort: a lost cancel leaves it its own deadline).
    void send_cancel(const std::string& reply_subject) const;

    std::string id_, target_, subject_, cancel_subject_;
    std::chrono::nanoseconds timeout_;
    std::shared_ptr<ReplyMux> mux_;
};

class RemoteKind final : public FunctionKind {
public:
    explicit RemoteKind(const Host&) {}
    std::unique_ptr<FunctionEntry> create_entry(const EntryInfo& info) override;

private:
    std::shared_ptr<ReplyMux> mux_for(const nats::ConnectionSpec& spec, std::string_view owner);

    nats::Connections connections_;
    std::mutex mutex_;
    std::map<std::string, std::weak_ptr<ReplyMux>> muxes_;  // one inbox per connection
};

}  // namespace modrt::remote
