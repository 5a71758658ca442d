// The function.remote kind (remote_kind.hpp).
#include "remote_kind.hpp"

#include "entry_fields.hpp"
#include "nats_status.hpp"
#include "subjects.hpp"
#include "wire_format.hpp"

namespace modrt::remote {

namespace {

constexpr std::chrono::nanoseconds kDefaultTimeout = std::chrono::seconds(30);

void on_caller_canceled(void* user, modrt_error_kind why) { static_cast<PendingReply*>(user)->cancel(why); }

/// frame_on_cancel for the span of one wait.
class CancelRegistration {
public:
    CancelRegistration(Frame frame, PendingReply& pending)
        : reg_(host_api().frame_on_cancel(frame.raw(), on_caller_canceled, &pending)) {}
    ~CancelRegistration() { host_api().frame_off_cancel(reg_); }
    CancelRegistration(const CancelRegistration&) = delete;
    CancelRegistration& operator=(const CancelRegistration&) = delete;

private:
    modrt_cancel_reg* reg_;
};

}  // namespace

std::string subject_prefix(const EntryInfo& info) {
    ValueView p = info.field("prefix");
    if (p.is_nil()) return std::string(kDefaultPrefix);
    if (!p.is_string()) refuse("prefix", "expected a subject prefix such as modrt.call");
    if (auto why = prefix_problem(p.as_string())) refuse("prefix", "not a literal NATS subject: " + *why);
    return std::string(p.as_string());
}

RemoteEntry::RemoteEntry(std::string id, std::string target, std::string prefix, std::chrono::nanoseconds timeout,
                         std::shared_ptr<ReplyMux> mux)
    : id_(std::move(id)),
      target_(std::move(target)),
      subject_(function_subject(prefix, target_)),
      cancel_subject_(cancel_subject(prefix)),
      timeout_(timeout),
      mux_(std::move(mux)) {}

Error RemoteEntry::invoke(Frame frame, ValueView args, ValueSlot result) {
    const int64_t now = host_api().now_ns();
    const int64_t own_deadline = now + timeout_.count();
    const int64_t caller_deadline = frame.deadline_ns();
    const bool caller_decides = caller_deadline != 0 && caller_deadline <= own_deadline;
    const int64_t deadline = caller_decides ? caller_deadline : own_deadline;
    if (deadline <= now) return Error(MODRT_ERR_TIMEOUT, "the deadline passed before calling " + subject_);

    // Not connected (NATS down, a refused login, reconnecting): say so at once, retryably,
    // instead of letting cnats buffer the request until the timeout.
    if (natsConnection_Status(mux_->connection()) != NATS_CONN_STATUS_CONNECTED) {
        const char* last = nullptr;
        natsConnection_GetLastError(mux_->connection(), &last);
        return Error(MODRT_ERR_UNAVAILABLE,
                     "remote call to " + target_ + ": not connected to NATS" +
                         (last != nullptr && *last != '\0' ? std::string(" (") + last + ")" : ""))
            .set_retryable(true);
    }
    std::string request = encode_request(target_, args, frame, deadline - now);
    ReplyMux::Call call(*mux_);
    natsStatus s = natsConnection_PublishRequest(mux_->connection(), subject_.c_str(), call.reply_subject().c_str(),
                                                 request.data(), static_cast<int>(request.size()));
    if (s != NATS_OK) return nats::status_error(s, "call " + subject_);

    PendingReply::Outcome outcome;
    {
        CancelRegistration watch(frame, call.pending());
        outcome = call.pending().wait(deadline);
    }
    switch (outcome) {
        case PendingReply::Outcome::canceled:
            send_cancel(call.reply_subject());
            return Error(call.pending().cancel_kind() == MODRT_ERR_TIMEOUT ? MODRT_ERR_TIMEOUT : MODRT_ERR_CANCELED,
                         "remote call to " + target_ + " canceled by its caller");
        case PendingReply::Outcome::timed_out:
            send_cancel(call.reply_subject());
            if (caller_decides) return Error(MODRT_ERR_TIMEOUT, "remote call to " + target_ + ": deadline exceeded");
            // Our own timeout, not the caller's: most likely the node serving it died mid-call,
            // so another attempt (the retry interceptor's) may well succeed.
            return Error(MODRT_ERR_TIMEOUT, "remote call to " + target_ + ": no reply on " + subject_ + " within " +
                                                format_duration(timeout_))
                .set_retryable(true);
        case PendingReply::Outcome::replied: break;
    }
    natsMsg* reply = call.pending().reply();
    if (natsMsg_IsNoResponders(reply))
        return Error(MODRT_ERR_UNAVAILABLE, "remote call to " + target_ + ": no node serves " + subject_)
            .set_retryable(true);
    return decode_reply(std::string_view(natsMsg_GetData(reply), static_cast<size_t>(natsMsg_GetDataLength(reply))),
                        result);
}

void RemoteEntry::send_cancel(const std::string& reply_subject) const {
    natsStatus s = natsConnection_Publish(mux_->connection(), cancel_subject_.c_str(), reply_subject.data(),
                                          static_cast<int>(reply_subject.size()));
    if (s != NATS_OK)
        log(MODRT_LOG_DEBUG, "function.remote", id_ + ": could not send a cancel: " + natsStatus_GetText(s));
}

std::shared_ptr<ReplyMux> RemoteKind::mux_for(const nats::ConnectionSpec& spec, std::string_view owner) {
    std::lock_guard lock(mutex_);
    auto& slot = muxes_[spec.key()];
    if (auto live = slot.lock()) return live;
    auto made = std::make_shared<ReplyMux>(connections_.get(spec, owner));
    slot = made;
    return made;
}

std::unique_ptr<FunctionEntry> RemoteKind::create_entry(const EntryInfo& info) {
    std::string id(info.id());
    nats::ConnectionSpec spec = nats::parse_connection(info.field("connection"));
    std::string target = id;
    if (ValueView t = info.field("target"); !t.is_nil()) {
        if (!t.is_string()) refuse("target", "expected the function id on the serving side, such as app.api:get_user");
        target = std::string(t.as_string());
    }
    if (auto why = function_id_problem(target)) refuse("target", *why);
    std::string prefix = subject_prefix(info);
    auto timeout = positive_duration(info, "timeout", kDefaultTimeout);
    return std::make_unique<RemoteEntry>(std::move(id), std::move(target), std::move(prefix), timeout,
                                         mux_for(spec, info.id()));
}

}  // namespace modrt::remote
