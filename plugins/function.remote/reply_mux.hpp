// The caller's side of request/reply: one wildcard subscription on a private inbox per
// connection, and one pending slot per call waiting on `<inbox>.<n>` (what cnats does inside
// natsConnection_Request, but here the caller's wait also ends on cancellation and deadline).
#pragma once

#include "async_subscription.hpp"
#include "connections.hpp"

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace modrt::remote {

/// One call's wait for its reply.
class PendingReply {
public:
    enum class Outcome { replied, canceled, timed_out };

    /// Wait until a reply comes, cancel() is called, or `deadline_ns` (host now_ns clock) passes.
    Outcome wait(int64_t deadline_ns);
    /// The reply (after Outcome::replied).
    natsMsg* reply() const { return reply_.get(); }
    /// Why cancel() was called (CANCELED or TIMEOUT).
    modrt_error_kind cancel_kind() const { return cancel_kind_; }

    void deliver(nats::MsgPtr msg);
    void cancel(modrt_error_kind why);

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    nats::MsgPtr reply_;
    modrt_error_kind cancel_kind_ = MODRT_ERR_UNKNOWN;
    bool canceled_ = false;
};

class ReplyMux {
public:
    /// Subscribe to a fresh inbox on `connection`.
    explicit ReplyMux(nats::ConnectionPtr connection);
    ~ReplyMux();

    natsConnection* connection() const { return connection_.get(); }

    /// A registered wait: its reply subject, and the slot the reply lands in. Unregisters on destruction.
    class Call {
    public:
        explicit Call(ReplyMux& mux);
        ~Call();
        Call(const Call&) = delete;
        Call& operator=(const Call&) = delete;
        const std::string& reply_subject() const { return subject_; }
        PendingReply& pending() { return *pending_; }

    private:
        ReplyMux& mux_;
        uint64_t token_;
        std::string subject_;
        std::shared_ptr<PendingReply> pending_;
    };

private:
    void on_reply(nats::MsgPtr msg);

    nats::ConnectionPtr connection_;
    std::string inbox_;  // "_INBOX.<nuid>"
    std::mutex mutex_;
    uint64_t next_token_ = 0;
    std::unordered_map<uint64_t, std::shared_ptr<PendingReply>> waiting_;
    std::unique_ptr<AsyncSubscription> sub_;  // last member: closed first
};

}  // namespace modrt::remote
